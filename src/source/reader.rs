//! Opening local inputs: plain files, gzip (concatenated members too) and zstd, recognised by
//! their magic bytes; the demo and a small stdin are held in memory (a big stdin is spooled to a
//! file: see `stdin`). Lines are capped as they are read ([`cap`]) and cut into blocks for the
//! scan ([`blocks`]).

mod blocks;
mod cap;

pub(crate) use blocks::*;
pub(crate) use cap::*;

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::SourceError;

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
    // 64 KB: the probe for the first timestamp reads that much first, and no more.
    let buffered = BufReader::with_capacity(64 << 10, file);
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

#[cfg(test)]
#[path = "reader_tests.rs"]
mod tests;
