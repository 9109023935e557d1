//! Opening local inputs and reading them in large newline-aligned blocks: plain files, gzip
//! (concatenated members too) and zstd, recognised by their magic bytes; the demo and a small
//! stdin are held in memory (a big stdin is spooled to a file: see `stdin`).

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::SourceError;

/// Bytes per block handed to a worker: big enough to amortise the per-block work, small enough
/// that a batch of them stays a few tens of MB.
pub(crate) const BLOCK: usize = 4 << 20;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// How a file is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// Where an input's bytes are.
#[derive(Debug, Clone)]
pub(crate) enum Data {
    File {
        path: PathBuf,
        compression: Compression,
    },
    Memory {
        name: String,
        bytes: Arc<Vec<u8>>,
    },
}

impl Data {
    pub fn name(&self) -> String {
        match self {
            Data::File { path, .. } => path.display().to_string(),
            Data::Memory { name, .. } => name.clone(),
        }
    }
}

fn open_error(path: &Path, e: io::Error) -> SourceError {
    let path = path.to_path_buf();
    match e.kind() {
        io::ErrorKind::NotFound => SourceError::NotFound { path },
        io::ErrorKind::PermissionDenied => SourceError::PermissionDenied { path },
        _ => SourceError::Read { path, source: e },
    }
}

/// Checks a file can be read and finds its compression.
pub(crate) fn probe(path: &Path) -> Result<Compression, SourceError> {
    let meta = std::fs::metadata(path).map_err(|e| open_error(path, e))?;
    if meta.is_dir() {
        return Err(SourceError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    let mut file = File::open(path).map_err(|e| open_error(path, e))?;
    let mut magic = [0u8; 4];
    let mut got = 0;
    while got < magic.len() {
        match file.read(&mut magic[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(open_error(path, e)),
        }
    }
    Ok(if got >= 2 && magic[..2] == GZIP_MAGIC {
        Compression::Gzip
    } else if got == 4 && magic == ZSTD_MAGIC {
        Compression::Zstd
    } else {
        Compression::None
    })
}

/// A decompressing reader over a file.
pub(crate) fn open_reader(
    path: &Path,
    compression: Compression,
) -> Result<Box<dyn Read + Send>, SourceError> {
    let file = File::open(path).map_err(|e| open_error(path, e))?;
    let buffered = BufReader::with_capacity(1 << 20, file);
    let max = max_line_bytes();
    Ok(match compression {
        Compression::None => Box::new(LineCap::new(buffered, max)),
        Compression::Gzip => Box::new(LineCap::new(
            flate2::bufread::MultiGzDecoder::new(buffered),
            max,
        )),
        Compression::Zstd => Box::new(LineCap::new(
            zstd::stream::read::Decoder::with_buffer(buffered)
                .map_err(|e| read_error(path, compression, e))?,
            max,
        )),
    })
}

pub use crate::model::limits::{max_line_bytes, truncation_marker};

/// Caps every line of a byte stream at `max` bytes, so memory is bounded by the cap and not by
/// the input (one 2 GB line, `/dev/zero`). Like Loki with `max_line_size_truncate`, the rest of
/// an over-long line is dropped; a visible marker ([`truncation_marker`]) says so. Loki refuses
/// such lines at push; for reading local files keeping the head of the line is kinder.
pub(crate) struct LineCap<R> {
    inner: R,
    max: usize,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    in_line: usize,
    skipping: bool,
    marker: Vec<u8>,
    marker_pos: usize,
}

impl<R: Read> LineCap<R> {
    pub fn new(inner: R, max: usize) -> Self {
        Self::resume(inner, max, 0)
    }

    /// A cap that starts `in_line` bytes into a line (where [`Capped`] hands over).
    fn resume(inner: R, max: usize, in_line: usize) -> Self {
        let marker = truncation_marker(max).into_bytes();
        Self {
            inner,
            max,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            pos: 0,
            len: 0,
            in_line,
            skipping: false,
            marker_pos: marker.len(),
            marker,
        }
    }
}

impl<R: Read> Read for LineCap<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if self.marker_pos < self.marker.len() {
                let n = (self.marker.len() - self.marker_pos).min(out.len());
                out[..n].copy_from_slice(&self.marker[self.marker_pos..self.marker_pos + n]);
                self.marker_pos += n;
                return Ok(n);
            }
            if self.pos == self.len {
                self.len = self.inner.read(&mut self.buf)?;
                self.pos = 0;
                if self.len == 0 {
                    return Ok(0);
                }
            }
            // Whole runs at a time (memchr for the newline, one copy per run): this sits
            // under every local file read.
            let mut w = 0;
            while self.pos < self.len && w < out.len() {
                let avail = &self.buf[self.pos..self.len];
                if self.skipping {
                    // drop the rest of the capped line; its newline is kept
                    match memchr::memchr(b'\n', avail) {
                        Some(i) => {
                            self.pos += i;
                            self.skipping = false;
                        }
                        None => self.pos = self.len,
                    }
                    continue;
                }
                let room = (out.len() - w).min(avail.len());
                let budget = self.max.saturating_sub(self.in_line);
                // a newline within `budget` bytes ends the line in time
                let scan = room.min(budget.saturating_add(1));
                if let Some(i) = memchr::memchr(b'\n', &avail[..scan]) {
                    out[w..w + i + 1].copy_from_slice(&avail[..=i]);
                    w += i + 1;
                    self.pos += i + 1;
                    self.in_line = 0;
                    continue;
                }
                if budget == 0 {
                    // the line is full and goes on: cap it
                    self.skipping = true;
                    self.marker_pos = 0;
                    break;
                }
                let n = scan.min(budget);
                out[w..w + n].copy_from_slice(&avail[..n]);
                w += n;
                self.pos += n;
                self.in_line += n;
            }
            if w > 0 {
                return Ok(w);
            }
        }
    }
}

/// A read error, explained for compressed files (truncated downloads are the usual cause).
pub(crate) fn read_error(path: &Path, compression: Compression, e: io::Error) -> SourceError {
    match compression {
        Compression::None => SourceError::Read {
            path: path.to_path_buf(),
            source: e,
        },
        Compression::Gzip | Compression::Zstd => SourceError::Corrupt {
            path: path.to_path_buf(),
            format: if compression == Compression::Gzip {
                "gzip"
            } else {
                "zstd"
            },
            source: e,
        },
    }
}

pub use crate::model::limits::max_stdin_bytes;
#[cfg(test)]
pub use crate::model::limits::{DEFAULT_MAX_STDIN_MB, MAX_STDIN_ENV};

/// A stream decompressed when it starts with gzip or zstd magic bytes (`cat app.log.gz |
/// vs-logs`), its lines capped at [`max_line_bytes`] as they are read (see [`LineCap`]).
pub(crate) fn decoded<'a>(mut input: impl Read + 'a) -> io::Result<Box<dyn Read + 'a>> {
    let mut magic = Vec::with_capacity(4);
    (&mut input).take(4).read_to_end(&mut magic)?;
    let gzip = magic.starts_with(&GZIP_MAGIC);
    let zstd = magic == ZSTD_MAGIC;
    let whole = io::Cursor::new(magic).chain(input);
    let max = max_line_bytes();
    Ok(if gzip {
        Box::new(LineCap::new(flate2::read::MultiGzDecoder::new(whole), max))
    } else if zstd {
        Box::new(LineCap::new(zstd::stream::read::Decoder::new(whole)?, max))
    } else {
        Box::new(LineCap::new(whole, max))
    })
}

/// Reads a whole stream into memory, [`decoded`], up to `max` bytes after decompression:
/// more is an error that says what to do, not a process that grows until the machine gives
/// out (`yes | vs-logs query --stdin`). The in-memory half of `stdin::keep`, for tests.
#[cfg(test)]
pub(crate) fn read_all(input: impl Read, max: u64) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    decoded(input)?
        .take(max.saturating_add(1))
        .read_to_end(&mut out)?;
    if out.len() as u64 > max {
        return Err(over_stdin_cap(max));
    }
    Ok(out)
}

/// Stdin held more than the cap `max` (bytes): what to do about it.
pub(crate) fn over_stdin_cap(max: u64) -> io::Error {
    io::Error::other(format!(
        "it holds more than {} MiB, the most vs-logs keeps of it; save it to a file and use \
         --file, or raise {} ({})",
        max >> 20,
        crate::model::limits::MAX_STDIN_FLAG,
        crate::model::limits::MAX_STDIN_ENV
    ))
}

/// The same bytes as a [`LineCap`] over `inner`, read straight into the caller's block while
/// every line fits the cap: no copy through a small buffer and, for a file, no zeroing
/// (`read_to_end` reads into spare capacity). Lines are checked a window of `max + 1` bytes at a
/// time (one backward search per window, not one per line). From the first longer line on,
/// the rest goes through a `LineCap`, resumed where the check stopped.
pub(crate) enum Capped<R> {
    Direct {
        inner: R,
        max: usize,
        /// Bytes of the current line already handed out.
        in_line: usize,
    },
    Copied(LineCap<io::Chain<io::Cursor<Vec<u8>>, R>>),
    /// Only while switching from `Direct` to `Copied`.
    Gone,
}

impl<R: Read> Capped<R> {
    pub fn new(inner: R, max: usize) -> Self {
        Capped::Direct {
            inner,
            max,
            in_line: 0,
        }
    }
}

/// Checks `buf[from..]`, which starts `in_line` bytes into a line, for a line longer than
/// `max`: returns where the first such line must be cut (after its first `max` bytes), else
/// updates `in_line` for the bytes after the last newline.
fn first_overlong(buf: &[u8], from: usize, in_line: &mut usize, max: usize) -> Option<usize> {
    let mut p = from;
    let mut cur = *in_line;
    loop {
        let budget = max.saturating_sub(cur);
        // The line must end within its next `budget + 1` bytes.
        let window_end = p.saturating_add(budget).saturating_add(1);
        if window_end > buf.len() {
            cur = match memchr::memrchr(b'\n', &buf[p..]) {
                Some(i) => buf.len() - (p + i + 1),
                None => cur + (buf.len() - p),
            };
            *in_line = cur;
            return None;
        }
        match memchr::memrchr(b'\n', &buf[p..window_end]) {
            Some(i) => {
                p += i + 1;
                cur = 0;
            }
            None => return Some(p + budget),
        }
    }
}

/// Filling a block buffer up to a target size.
pub(crate) trait Fill {
    /// Appends to `buf` until it holds `target` bytes; `false` when the input ended first.
    fn fill(&mut self, buf: &mut Vec<u8>, target: usize) -> io::Result<bool>;
}

impl<R: Read> Fill for R {
    fn fill(&mut self, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
        fill(self, buf, target)
    }
}

impl<R: Read> Fill for Capped<R> {
    fn fill(&mut self, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
        let Capped::Direct {
            inner,
            max,
            in_line,
        } = self
        else {
            return match self {
                Capped::Copied(r) => fill(r, buf, target),
                _ => Ok(false),
            };
        };
        let start = buf.len();
        if start >= target {
            return Ok(true);
        }
        buf.reserve_exact(target - start);
        let want = (target - start) as u64;
        let got = inner.by_ref().take(want).read_to_end(buf)?;
        let Some(cut) = first_overlong(buf, start, in_line, *max) else {
            return Ok(got as u64 == want);
        };
        // A line longer than the cap: its head stays, the rest of the input is capped.
        let rest = buf.split_off(cut);
        let max = *max;
        let Capped::Direct { inner, .. } = std::mem::replace(self, Capped::Gone) else {
            return Ok(false);
        };
        let mut capped = LineCap::resume(io::Cursor::new(rest).chain(inner), max, max);
        let more = fill(&mut capped, buf, target);
        *self = Capped::Copied(capped);
        more
    }
}

/// A block reader over a file: plain files are read straight into the blocks ([`Capped`]),
/// compressed ones through their decoder and a [`LineCap`].
pub(crate) enum Input {
    Plain(Capped<File>),
    Decoded(Box<dyn Read + Send>),
}

impl Fill for Input {
    fn fill(&mut self, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
        match self {
            Input::Plain(c) => c.fill(buf, target),
            Input::Decoded(r) => fill(r, buf, target),
        }
    }
}

/// The blocks of a file (see [`Blocks`]), the fastest way its compression allows.
pub(crate) fn open_blocks(
    path: &Path,
    compression: Compression,
) -> Result<Blocks<Input>, SourceError> {
    let input = match compression {
        Compression::None => Input::Plain(Capped::new(
            File::open(path).map_err(|e| open_error(path, e))?,
            max_line_bytes(),
        )),
        Compression::Gzip | Compression::Zstd => Input::Decoded(open_reader(path, compression)?),
    };
    Ok(Blocks::new(input))
}

/// Splits a reader into blocks of about [`BLOCK`] bytes that end on a newline (the last one
/// may not), and where a record begins (see `boundary::cut`). A line longer than a block is kept
/// whole: the block grows to hold it.
pub(crate) struct Blocks<R> {
    reader: R,
    carry: Vec<u8>,
    done: bool,
}

impl<R: Fill> Blocks<R> {
    pub fn new(reader: R) -> Self {
        Self {
            reader,
            carry: Vec::new(),
            done: false,
        }
    }

    /// The next block, `None` at the end.
    pub fn next_block(&mut self) -> io::Result<Option<Vec<u8>>> {
        self.next_block_in(Vec::new())
    }

    /// The next block, built in `spare` (a buffer handed back by an earlier block's user:
    /// its memory is already mapped, so reading into it costs no page faults).
    pub fn next_block_in(&mut self, spare: Vec<u8>) -> io::Result<Option<Vec<u8>>> {
        if self.done {
            return Ok(None);
        }
        let mut buf = spare;
        buf.clear();
        if buf.capacity() == 0 {
            buf = std::mem::take(&mut self.carry);
        } else {
            buf.extend_from_slice(&self.carry);
            self.carry.clear();
        }
        let mut target = BLOCK.max(buf.len() + BLOCK / 2);
        loop {
            let filled = self.reader.fill(&mut buf, target)?;
            if !filled {
                self.done = true;
                return Ok(if buf.is_empty() { None } else { Some(buf) });
            }
            if let Some(nl) = memchr::memrchr(b'\n', &buf) {
                // Not inside a multi-line record: the next block starts with a record's start.
                let end = super::boundary::cut(&buf, 0, nl + 1, false);
                self.carry = buf[end..].to_vec();
                buf.truncate(end);
                return Ok(Some(buf));
            }
            target = buf.len() * 2;
        }
    }
}

/// Reads until `buf` holds `target` bytes; `false` when the input ended first.
fn fill<R: Read>(reader: &mut R, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
    // Zeroed once up to `target`, then filled read by read (resizing per read zeroed the rest
    // of the block again after every 64 KB read).
    let mut len = buf.len();
    if len < target {
        buf.resize(target, 0);
    }
    while len < target {
        match reader.read(&mut buf[len..target]) {
            Ok(0) => {
                buf.truncate(len);
                return Ok(false);
            }
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(len);
                return Err(e);
            }
        }
    }
    buf.truncate(len);
    Ok(true)
}

/// Newline-aligned ranges of about [`BLOCK`] bytes over an in-memory input, each beginning
/// with a record's first line (see `boundary::cut`).
pub(crate) fn memory_blocks(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let want = (start + BLOCK).min(bytes.len());
        let end = if want == bytes.len() {
            want
        } else {
            match memchr::memchr(b'\n', &bytes[want..]) {
                Some(i) => super::boundary::cut(bytes, start, want + i + 1, true),
                None => bytes.len(),
            }
        };
        out.push(start..end);
        start = end;
    }
    out
}

#[cfg(test)]
#[path = "reader_tests.rs"]
mod tests;
