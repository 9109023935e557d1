//! Why a local source cannot be read or queried.

use std::path::PathBuf;

use crate::logql::LogqlError;

/// Why a local source cannot be read or queried; names the file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Logql(#[from] LogqlError),
    #[error("{}: no such file (check the path; use --stdin to read from a pipe)", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: permission denied (check the file's permissions)", path.display())]
    PermissionDenied { path: PathBuf },
    #[error("{} is a directory: pass the log file itself (e.g. {}/app.log)", path.display(), path.display())]
    IsDirectory { path: PathBuf },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}: the {format} data is truncated or corrupt ({source}); copy the file again, or \
         recover what is readable with `zcat`/`zstdcat` into a plain file",
        path.display()
    )]
    Corrupt {
        path: PathBuf,
        format: &'static str,
        source: std::io::Error,
    },
    #[error("cannot read stdin: {0}")]
    Stdin(std::io::Error),
    #[error("{0}")]
    Other(String),
}
