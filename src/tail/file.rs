//! Following a growing file like `tail -F`, by polling: new complete lines in order, across
//! truncation (size shrinks: start again from the top) and rotation (the path names a new file:
//! finish the old one, then read the new one from its start). Blocking, no async runtime.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Something the user may want to know about the followed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileEvent {
    Truncated,
    Rotated,
}

/// What one poll found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Polled {
    pub lines: Vec<String>,
    pub events: Vec<FileEvent>,
    /// More was already written than one poll reads ([`READ_CHUNK`]): poll again at once.
    pub more: bool,
}

/// The most one poll reads, bytes: following a 10 GB file (or its first read, the history)
/// holds this much at a time, not the file.
pub const READ_CHUNK: usize = 4 << 20;

/// A file being followed.
#[derive(Debug)]
pub struct FileFollower {
    path: PathBuf,
    file: Option<File>,
    id: Option<(u64, u64)>,
    pos: u64,
    partial: Vec<u8>,
    /// The last bytes read before `pos`: if they change, the file was truncated and rewritten
    /// past `pos` between two polls (which a size check alone misses).
    sig: Vec<u8>,
    /// The longest line kept, bytes (`max_line_bytes`); `partial` never grows past it.
    max_line: usize,
    /// The line in `partial` was cut at `max_line`: the rest up to its newline is skipped.
    cut: bool,
}

const SIG_LEN: usize = 64;

#[cfg(unix)]
fn file_id(m: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_m: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Whether the bytes before `pos` are no longer `sig`: the file was rewritten. A file that
/// shrank since its size was read (truncated between two calls) changed too, not an error
/// that stops following.
fn sig_changed(file: &mut File, pos: u64, sig: &[u8]) -> io::Result<bool> {
    let mut now = vec![0; sig.len()];
    file.seek(SeekFrom::Start(pos.saturating_sub(sig.len() as u64)))?;
    match file.read_exact(&mut now) {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(true),
        r => r.map(|()| now != sig),
    }
}

fn to_line(mut bytes: &[u8]) -> String {
    if bytes.last() == Some(&b'\r') {
        bytes = &bytes[..bytes.len() - 1];
    }
    String::from_utf8_lossy(bytes).into_owned()
}

impl FileFollower {
    /// Follows `path` from its current end: only lines appended from now on.
    pub fn from_end(path: impl AsRef<Path>) -> io::Result<Self> {
        let mut f = Self::from_start(path)?;
        if let Some(file) = &mut f.file {
            f.pos = file.seek(SeekFrom::End(0))?;
            let k = f.pos.min(SIG_LEN as u64);
            file.seek(SeekFrom::Start(f.pos - k))?;
            f.sig = vec![0; k as usize];
            file.read_exact(&mut f.sig)?;
        }
        Ok(f)
    }

    /// Follows `path` from its first line.
    pub fn from_start(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let file = File::open(&path).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot follow {}: {e}", path.display()))
        })?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("cannot follow {}: it is a directory", path.display()),
            ));
        }
        Ok(Self {
            path,
            id: file_id(&meta),
            file: Some(file),
            pos: 0,
            partial: Vec::new(),
            sig: Vec::new(),
            max_line: crate::model::limits::max_line_bytes(),
            cut: false,
        })
    }

    /// Adds bytes of the current line, up to the line size cap.
    fn push_partial(&mut self, bytes: &[u8]) {
        if self.cut {
            return;
        }
        let room = self.max_line.saturating_sub(self.partial.len());
        if bytes.len() > room {
            self.partial.extend_from_slice(&bytes[..room]);
            self.cut = true;
        } else {
            self.partial.extend_from_slice(bytes);
        }
    }

    /// The current line, complete (marked when it was cut), and a fresh one started.
    fn take_line(&mut self) -> String {
        let mut line = to_line(&self.partial);
        if self.cut {
            line.push_str(&crate::model::limits::truncation_marker(self.max_line));
        }
        self.partial.clear();
        self.cut = false;
        line
    }

    /// Reads what is new in the open file into `out`, at most [`READ_CHUNK`] bytes; whether
    /// there may be more.
    fn drain(&mut self, out: &mut Polled) -> io::Result<bool> {
        let Some(file) = &mut self.file else {
            return Ok(false);
        };
        let len = file.metadata()?.len();
        let rewritten =
            len >= self.pos && !self.sig.is_empty() && sig_changed(file, self.pos, &self.sig)?;
        if len < self.pos || rewritten {
            out.events.push(FileEvent::Truncated);
            self.pos = 0;
            self.partial.clear();
            self.cut = false;
            self.sig.clear();
        }
        file.seek(SeekFrom::Start(self.pos))?;
        let mut buf = Vec::new();
        let n = file
            .by_ref()
            .take(READ_CHUNK as u64)
            .read_to_end(&mut buf)?;
        self.pos += n as u64;
        if n >= SIG_LEN {
            self.sig = buf[n - SIG_LEN..].to_vec();
        } else if n > 0 {
            self.sig.extend_from_slice(&buf);
            let excess = self.sig.len().saturating_sub(SIG_LEN);
            self.sig.drain(..excess);
        }
        let mut rest = buf.as_slice();
        while let Some(i) = memchr::memchr(b'\n', rest) {
            if self.partial.is_empty() && !self.cut && i <= self.max_line {
                out.lines.push(to_line(&rest[..i]));
            } else {
                self.push_partial(&rest[..i]);
                let line = self.take_line();
                out.lines.push(line);
            }
            rest = &rest[i + 1..];
        }
        self.push_partial(rest);
        Ok(n == READ_CHUNK)
    }

    /// New complete lines since the last poll (a rotated-away file's unterminated last line
    /// counts as complete), from at most [`READ_CHUNK`] bytes of each file: `more` says to
    /// poll again. Lines are cut at the max line size, with a marker.
    pub fn poll(&mut self) -> io::Result<Polled> {
        let mut out = Polled::default();
        if self.drain(&mut out)? {
            // The current file first, whole: a rotation is looked at once it is read.
            out.more = true;
            return Ok(out);
        }
        let Ok(meta) = std::fs::metadata(&self.path) else {
            // Renamed away and not recreated yet: keep the old file until a new one appears.
            return Ok(out);
        };
        let id = file_id(&meta);
        if id.is_some() && id != self.id {
            let Ok(file) = File::open(&self.path) else {
                return Ok(out);
            };
            if !self.partial.is_empty() || self.cut {
                let line = self.take_line();
                out.lines.push(line);
            }
            out.events.push(FileEvent::Rotated);
            self.id = file.metadata().ok().as_ref().and_then(file_id);
            self.file = Some(file);
            self.pos = 0;
            self.sig.clear();
            out.more = self.drain(&mut out)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn append(path: &Path, text: &str) {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .unwrap();
        f.write_all(text.as_bytes()).unwrap();
    }

    #[test]
    fn appended_lines_once_partial_lines_wait_for_their_newline() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("app.log");
        append(&p, "old\n");
        let mut f = FileFollower::from_end(&p).unwrap();
        assert!(f.poll().unwrap().lines.is_empty());
        append(&p, "a\nb\r\npart");
        assert_eq!(f.poll().unwrap().lines, ["a", "b"]);
        append(&p, "ial\n");
        assert_eq!(f.poll().unwrap().lines, ["partial"]);
        assert!(f.poll().unwrap().lines.is_empty());
    }

    #[test]
    fn a_file_shrinking_between_size_and_read_is_a_truncation_not_an_error() {
        // The race behind "stopped following f.log: failed to fill whole buffer": the size
        // was read before `> f.log` truncated it, the signature read after.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.log");
        let before = "{\"event\":\"b1\",\"timestamp\":\"2026-01-10T08:00:05Z\"}\n";
        std::fs::write(&p, before).unwrap();
        let mut file = File::open(&p).unwrap();
        let pos = before.len() as u64;
        assert!(!sig_changed(&mut file, pos, before.as_bytes()).unwrap());
        std::fs::write(&p, "x\n").unwrap();
        assert!(sig_changed(&mut file, pos, before.as_bytes()).unwrap());
    }

    #[test]
    fn truncation_starts_over_from_the_top() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("app.log");
        append(&p, "one\ntwo\n");
        let mut f = FileFollower::from_start(&p).unwrap();
        assert_eq!(f.poll().unwrap().lines, ["one", "two"]);
        std::fs::write(&p, "x\n").unwrap();
        let got = f.poll().unwrap();
        assert_eq!(got.lines, ["x"]);
        assert_eq!(got.events, [FileEvent::Truncated]);
        // Truncated and rewritten past the old position between two polls.
        std::fs::write(&p, "a much longer first line\nand another\n").unwrap();
        let got = f.poll().unwrap();
        assert_eq!(got.lines, ["a much longer first line", "and another"]);
        assert_eq!(got.events, [FileEvent::Truncated]);
    }

    #[test]
    fn rotation_finishes_the_old_file_then_reads_the_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("app.log");
        append(&p, "1\n");
        let mut f = FileFollower::from_end(&p).unwrap();
        append(&p, "2\n3");
        std::fs::rename(&p, dir.path().join("app.log.1")).unwrap();
        // Still written to after the rename (the writer has not reopened yet).
        append(&dir.path().join("app.log.1"), "\n4\n");
        assert_eq!(f.poll().unwrap().lines, ["2", "3", "4"]);
        append(&p, "5\n6\n");
        let got = f.poll().unwrap();
        assert_eq!(got.lines, ["5", "6"]);
        assert_eq!(got.events, [FileEvent::Rotated]);
        append(&p, "7\n");
        assert_eq!(f.poll().unwrap().lines, ["7"]);
    }

    #[test]
    fn invalid_utf8_is_kept_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("app.log");
        std::fs::write(&p, b"ok\n\xff\xfe bad\n").unwrap();
        let mut f = FileFollower::from_start(&p).unwrap();
        let lines = f.poll().unwrap().lines;
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with(" bad"));
    }

    #[test]
    fn a_big_file_is_read_a_chunk_per_poll_every_line_once() {
        // Issue 12.3: the first poll read the whole file (its history) into memory at once.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.log");
        let line = "x".repeat(99);
        let n = 3 * READ_CHUNK / 100 + 77;
        let text: String = (0..n).map(|i| format!("{i:08}{}\n", &line[8..])).collect();
        std::fs::write(&p, &text).unwrap();
        let mut f = FileFollower::from_start(&p).unwrap();
        let mut seen = 0;
        let mut polls = 0;
        loop {
            let got = f.poll().unwrap();
            polls += 1;
            let bytes: usize = got.lines.iter().map(|l| l.len() + 1).sum();
            assert!(bytes <= READ_CHUNK, "{bytes} bytes in one poll");
            for l in &got.lines {
                assert_eq!(l[..8], format!("{seen:08}"));
                seen += 1;
            }
            if !got.more {
                break;
            }
        }
        assert_eq!(seen, n);
        assert_eq!(polls, 4);
    }

    #[test]
    fn lines_are_cut_at_the_max_line_size_even_before_their_newline() {
        // Issue 12.3: an endless line (or `/dev/zero`-like file) grew `partial` forever.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("long.log");
        append(&p, "short\n");
        let mut f = FileFollower::from_start(&p).unwrap();
        f.max_line = 1000;
        assert_eq!(f.poll().unwrap().lines, ["short"]);
        append(&p, &"y".repeat(5000));
        assert!(f.poll().unwrap().lines.is_empty());
        append(&p, &"z".repeat(5000));
        assert!(f.poll().unwrap().lines.is_empty());
        assert_eq!(f.partial.len(), 1000);
        append(&p, "zz\nafter\n");
        let got = f.poll().unwrap().lines;
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0],
            format!(
                "{}{}",
                "y".repeat(1000),
                crate::model::limits::truncation_marker(1000)
            )
        );
        assert_eq!(got[1], "after");
        // A long line within one read is cut the same way.
        append(&p, &format!("{}\nok\n", "w".repeat(3000)));
        let got = f.poll().unwrap().lines;
        assert!(got[0].starts_with(&"w".repeat(1000)) && got[0].contains("line truncated"));
        assert_eq!(got[1], "ok");
    }

    #[test]
    fn missing_file_and_directory_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let e = FileFollower::from_end(dir.path().join("nope.log")).unwrap_err();
        assert!(e.to_string().contains("nope.log"));
        let e = FileFollower::from_end(dir.path()).unwrap_err();
        assert!(e.to_string().contains("directory"));
    }
}
