//! Local sources: JSONL/console log files (plain, `.gz`, `.zst`), stdin, and the bundled demo,
//! queried with the embedded LogQL engine. Blocking, CPU-bound: call from a blocking task.
//!
//! The front ends reach it through `backend`, which answers a query from a local source or
//! from Loki alike.
//!
//! Lines get the stream labels Grafana Alloy and Loki would give them ([`line::classify_line`]),
//! and their timestamp from the line itself, so the seed's LogQL gives on a file what it gives
//! on Loki.

mod boundary;
mod catalog;
pub mod demo;
mod error;
pub use error::SourceError;
mod exec;
mod index;
mod lead;
mod metric_scan;
mod query;
use lead::{lead_base, mtime_ns, now_ns};
pub mod line;
mod reader;
mod record;
pub use record::Assembler;
mod scan;
mod stdin;
mod streams;
pub mod timestamp;
mod topn;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

pub use reader::Compression;

/// Whether `path` is a named pipe (or socket): its bytes can be read once, to the end, and
/// never followed, so `-f` on it is refused rather than waiting for a writer forever.
pub fn is_named_pipe(path: &std::path::Path) -> bool {
    stdin::is_pipe(path)
}

use reader::Data;

/// The value of the `app` label when none is given (VulnSentinel's Alloy config).
pub const DEFAULT_APP: &str = "vulnsentinel";

/// Where local lines come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalInput {
    File(PathBuf),
    Stdin,
    Demo,
}

/// A set of local inputs, queried like a Loki.
pub struct LocalSource {
    inputs: Vec<LocalInput>,
    /// Each input's bytes and the time given to untimed lines before any stamped one (see
    /// [`lead_base`]).
    data: Vec<(Data, i64)>,
    /// Per input, the newest time given to untimed lines when none of its first lines has a
    /// timestamp of its own (they end just before the file's mtime or the read time).
    untimed_newest: Vec<Option<i64>>,
    app: String,
    index: Mutex<Option<Arc<index::Index>>>,
    /// The newest timestamp when known without a scan (the demo ends exactly "now").
    newest_hint: Option<i64>,
    /// The temporary copy of a big stdin, which `data` reads as a file: kept while it is.
    _spools: Vec<stdin::Spool>,
}

impl std::fmt::Debug for LocalSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalSource")
            .field("inputs", &self.inputs)
            .field("app", &self.app)
            .finish_non_exhaustive()
    }
}

impl LocalSource {
    /// Checks every input can be read (stdin is read once here and kept, a big one in a
    /// temporary file; the demo is
    /// generated here with its newest line at the start of the current hour). The `app` label is `vulnsentinel`.
    pub fn open(inputs: Vec<LocalInput>) -> Result<Self, SourceError> {
        Self::open_with_app(inputs, DEFAULT_APP)
    }

    /// Like [`LocalSource::open`], with the value of the `app` label (`--app`).
    pub fn open_with_app(inputs: Vec<LocalInput>, app: &str) -> Result<Self, SourceError> {
        let mut data = Vec::with_capacity(inputs.len());
        let mut spools = Vec::new();
        for input in &inputs {
            data.push(match input {
                // A named pipe (`--file <(zcat a.gz)`) can be read only once, like stdin.
                LocalInput::File(path) if stdin::is_pipe(path) => {
                    let kept = stdin::keep_file(path).map_err(|e| SourceError::Read {
                        path: path.clone(),
                        source: e,
                    })?;
                    (
                        stdin::data(kept, &path.display().to_string(), &mut spools),
                        now_ns(),
                    )
                }
                LocalInput::File(path) => {
                    let compression = reader::probe(path)?;
                    let base = mtime_ns(path).unwrap_or_else(now_ns);
                    (
                        Data::File {
                            path: path.clone(),
                            compression,
                        },
                        base,
                    )
                }
                LocalInput::Stdin => (
                    stdin::data(stdin::read_stdin()?, "stdin", &mut spools),
                    now_ns(),
                ),
                LocalInput::Demo => {
                    let now = demo::anchor_ns(now_ns());
                    (
                        Data::Memory {
                            name: "demo".into(),
                            bytes: Arc::new(demo::demo_bytes(now)),
                        },
                        now,
                    )
                }
            });
        }
        let newest_hint = match inputs.as_slice() {
            [LocalInput::Demo] => data.first().map(|(_, now)| now - now.rem_euclid(1000)),
            _ => None,
        };
        let mut untimed_newest = Vec::with_capacity(data.len());
        for (d, fallback) in &mut data {
            let (base, newest) = lead_base(d, *fallback)?;
            *fallback = base;
            untimed_newest.push(newest);
        }
        Ok(Self {
            inputs,
            data,
            untimed_newest,
            app: app.to_string(),
            index: Mutex::new(None),
            newest_hint,
            _spools: spools,
        })
    }

    /// A source over bytes already in memory (tests, benchmarks, a pipe read elsewhere).
    pub fn from_bytes(name: &str, bytes: Vec<u8>, app: &str) -> Self {
        let data = Data::Memory {
            name: name.to_string(),
            bytes: Arc::new(bytes),
        };
        let now = now_ns();
        let (base, newest) = lead_base(&data, now).unwrap_or((now, None));
        Self {
            inputs: Vec::new(),
            data: vec![(data, base)],
            untimed_newest: vec![newest],
            app: app.to_string(),
            index: Mutex::new(None),
            newest_hint: None,
            _spools: Vec::new(),
        }
    }

    /// The inputs this source reads, in the order given (`--file -f` follows the one file).
    pub fn inputs(&self) -> &[LocalInput] {
        &self.inputs
    }

    /// The `app` label given to every line.
    pub fn app(&self) -> &str {
        &self.app
    }

    /// What this source is, for a status line (`demo`, `app.log.gz`, `stdin`).
    pub fn describe(&self) -> String {
        self.data
            .iter()
            .enumerate()
            .map(|(i, (d, _))| match (self.inputs.get(i), d) {
                (Some(LocalInput::Stdin), _) => "stdin".to_string(),
                // a spooled pipe's data is a temporary file: name the path given
                (Some(LocalInput::File(path)), _) | (_, Data::File { path, .. }) => {
                    path.file_name().map_or_else(
                        || path.display().to_string(),
                        |n| n.to_string_lossy().into(),
                    )
                }
                (_, Data::Memory { .. }) => d.name(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
#[path = "mod_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "robustness_tests.rs"]
mod robustness_tests;

#[cfg(test)]
#[path = "multiline_tests.rs"]
mod multiline_tests;
