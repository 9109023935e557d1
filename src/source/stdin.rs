//! Keeping stdin. It can be read only once, and a run reads its input several times (where
//! untimed lines start, the newest line for the range, the query, `labels`' index), so it is
//! kept: in memory when small, else in a temporary file that every scan then streams like a
//! `--file` (issue 12.3: memory bounded by the scan and `--limit`, not by the input). The
//! copy is decompressed and line-capped ([`reader::decoded`]); its size is capped
//! ([`max_stdin_bytes`], `--max-stdin-mb`) so an endless pipe cannot fill the disk.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use super::SourceError;
use super::reader::{self, max_stdin_bytes};

/// Up to this many bytes stdin stays in memory; past it, the rest goes to a temporary file.
pub(crate) const SPILL: usize = 32 << 20;

/// Where stdin's bytes were kept.
#[derive(Debug)]
pub(crate) enum Kept {
    Memory(Vec<u8>),
    Spooled(Spool),
}

/// A temporary file holding stdin, removed when dropped; on Linux it has no name at all from
/// the start (unlinked, read through `/proc/self/fd`), so even a killed process leaves nothing.
pub(crate) struct Spool {
    path: PathBuf,
    _keep: Keep,
}

/// What keeps the copy alive: held only to be dropped with the spool.
#[allow(dead_code)]
enum Keep {
    Unlinked(File),
    Named(tempfile::TempPath),
}

impl std::fmt::Debug for Spool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spool").field("path", &self.path).finish()
    }
}

impl Spool {
    /// A path each open of which reads the copy from its start.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// An empty spool and a writer into it.
    fn create() -> io::Result<(Spool, File)> {
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            if let Ok(file) = tempfile::tempfile() {
                let path = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
                // Every open of the /proc link is a new description with its own offset.
                if File::open(&path).is_ok()
                    && let Ok(writer) = file.try_clone()
                {
                    let keep = Keep::Unlinked(file);
                    return Ok((Spool { path, _keep: keep }, writer));
                }
            }
        }
        let named = tempfile::Builder::new()
            .prefix("vs-logs-stdin-")
            .tempfile()?;
        let (file, temp) = named.into_parts();
        Ok((
            Spool {
                path: temp.to_path_buf(),
                _keep: Keep::Named(temp),
            },
            file,
        ))
    }
}

/// Keeps a stream, [`reader::decoded`]: in memory up to `spill` bytes, else in a [`Spool`];
/// more than `max` bytes in all is an error that says what to do.
pub(crate) fn keep(input: impl Read, max: u64, spill: usize) -> io::Result<Kept> {
    let mut rest = reader::decoded(input)?.take(max.saturating_add(1));
    let mut head = Vec::new();
    (&mut rest).take(spill as u64 + 1).read_to_end(&mut head)?;
    if head.len() <= spill {
        if head.len() as u64 > max {
            return Err(reader::over_stdin_cap(max));
        }
        return Ok(Kept::Memory(head));
    }
    let (spool, file) = Spool::create().map_err(|e| spool_error(&e))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    out.write_all(&head).map_err(|e| spool_error(&e))?;
    let mut total = head.len() as u64;
    drop(head);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = match rest.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        total += n as u64;
        if total > max {
            return Err(reader::over_stdin_cap(max));
        }
        out.write_all(&buf[..n]).map_err(|e| spool_error(&e))?;
    }
    out.flush().map_err(|e| spool_error(&e))?;
    Ok(Kept::Spooled(spool))
}

fn spool_error(e: &io::Error) -> io::Error {
    io::Error::other(format!(
        "cannot keep a copy of it in {} ({e}); free some space there or point TMPDIR elsewhere, \
         or save it to a file and use --file",
        std::env::temp_dir().display()
    ))
}

/// Whether `path` is a named pipe or socket: readable once, so kept like stdin (opening it
/// again would wait for a writer forever, and the bytes read to find its compression are gone).
pub(crate) fn is_pipe(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        std::fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo() || m.file_type().is_socket())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Keeps a named pipe's bytes like stdin's (see [`is_pipe`]).
pub(crate) fn keep_file(path: &Path) -> io::Result<Kept> {
    keep(File::open(path)?, max_stdin_bytes(), SPILL)
}

/// The input kept bytes are read as; a spool goes to `spools`, which must outlive it.
pub(crate) fn data(kept: Kept, name: &str, spools: &mut Vec<Spool>) -> reader::Data {
    match kept {
        Kept::Memory(bytes) => reader::Data::Memory {
            name: name.to_string(),
            bytes: std::sync::Arc::new(bytes),
        },
        Kept::Spooled(spool) => {
            let path = spool.path().to_path_buf();
            spools.push(spool);
            // Already decompressed and line-capped.
            reader::Data::File {
                path,
                compression: reader::Compression::None,
            }
        }
    }
}

/// Keeps all of stdin, up to [`max_stdin_bytes`]; see [`keep`].
pub(crate) fn read_stdin() -> Result<Kept, SourceError> {
    keep(io::stdin().lock(), max_stdin_bytes(), SPILL).map_err(SourceError::Stdin)
}

#[cfg(test)]
#[path = "stdin_tests.rs"]
mod tests;
