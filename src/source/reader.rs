//! Opening local inputs and reading them in large newline-aligned blocks: plain files, gzip
//! (concatenated members too) and zstd, recognised by their magic bytes; stdin and the demo are
//! held in memory.

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
    Ok(match compression {
        Compression::None => Box::new(buffered),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
        Compression::Zstd => Box::new(
            zstd::stream::read::Decoder::with_buffer(buffered)
                .map_err(|e| read_error(path, compression, e))?,
        ),
    })
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

/// Reads a whole stream into memory (stdin can be read only once, and every query rescans),
/// decompressing it when it starts with gzip or zstd magic bytes (`cat app.log.gz | vs-logs`).
pub(crate) fn read_all(mut input: impl Read) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    input.read_to_end(&mut buf)?;
    if buf.starts_with(&GZIP_MAGIC) {
        let mut out = Vec::with_capacity(buf.len() * 4);
        flate2::read::MultiGzDecoder::new(&buf[..]).read_to_end(&mut out)?;
        return Ok(out);
    }
    if buf.starts_with(&ZSTD_MAGIC) {
        return zstd::decode_all(&buf[..]);
    }
    Ok(buf)
}

/// Reads all of stdin; see [`read_all`].
pub(crate) fn read_stdin() -> Result<Vec<u8>, SourceError> {
    read_all(io::stdin().lock()).map_err(SourceError::Stdin)
}

/// Splits a reader into blocks of about [`BLOCK`] bytes that end on a newline (the last one
/// may not). A line longer than a block is kept whole: the block grows to hold it.
pub(crate) struct Blocks<R> {
    reader: R,
    carry: Vec<u8>,
    done: bool,
}

impl<R: Read> Blocks<R> {
    pub fn new(reader: R) -> Self {
        Self {
            reader,
            carry: Vec::new(),
            done: false,
        }
    }

    /// The next block, `None` at the end.
    pub fn next_block(&mut self) -> io::Result<Option<Vec<u8>>> {
        if self.done {
            return Ok(None);
        }
        let mut buf = std::mem::take(&mut self.carry);
        let mut target = BLOCK.max(buf.len() + BLOCK / 2);
        loop {
            let filled = fill(&mut self.reader, &mut buf, target)?;
            if !filled {
                self.done = true;
                return Ok(if buf.is_empty() { None } else { Some(buf) });
            }
            if let Some(nl) = memchr::memrchr(b'\n', &buf) {
                self.carry = buf[nl + 1..].to_vec();
                buf.truncate(nl + 1);
                return Ok(Some(buf));
            }
            target = buf.len() * 2;
        }
    }
}

/// Reads until `buf` holds `target` bytes; `false` when the input ended first.
fn fill<R: Read>(reader: &mut R, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
    while buf.len() < target {
        let old = buf.len();
        buf.resize(target, 0);
        match reader.read(&mut buf[old..]) {
            Ok(0) => {
                buf.truncate(old);
                return Ok(false);
            }
            Ok(n) => buf.truncate(old + n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => buf.truncate(old),
            Err(e) => {
                buf.truncate(old);
                return Err(e);
            }
        }
    }
    Ok(true)
}

/// Newline-aligned ranges of about [`BLOCK`] bytes over an in-memory input.
pub(crate) fn memory_blocks(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let want = (start + BLOCK).min(bytes.len());
        let end = if want == bytes.len() {
            want
        } else {
            match memchr::memchr(b'\n', &bytes[want..]) {
                Some(i) => want + i + 1,
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
