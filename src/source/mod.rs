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
pub mod demo;
mod exec;
mod index;
mod lead;
mod metric_scan;
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
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::logql::{self, LogQuery, LogqlError, MetricQuery, QueryKind};
use crate::model::{Labels, QueryOutput, QueryRange, QueryStats};

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

    /// The newest entry's timestamp, ns: ranges like `--since 12h` count back from it when the
    /// data is older than now (as with a file copied off a box).
    ///
    /// Plain files and in-memory inputs are read from the end (log files are written in time
    /// order); compressed files are scanned once (and the scan cached for `labels`/`series`).
    pub fn newest_ns(&self) -> Option<i64> {
        if let Some(n) = self.newest_hint {
            return Some(n);
        }
        let mut newest: Option<i64> = self.untimed_newest.iter().flatten().copied().max();
        for (data, _) in &self.data {
            let n = match index::newest_in_tail(data) {
                Some(n) => Some(n),
                None => self.index().ok()?.newest_ns,
            };
            newest = newest.max(n);
        }
        newest
    }

    /// The start of the minute of the oldest timestamped line: where "the data's own span"
    /// begins (a metric query over it needs a real start, not the epoch). One cached scan.
    pub fn oldest_ns(&self) -> Option<i64> {
        let timed = self.index().ok()?.oldest_ns();
        // An input with no timestamp in its head has untimed lines from its base time on
        // (all of a plain-text log: without them the span began at the epoch).
        let untimed = self
            .data
            .iter()
            .zip(&self.untimed_newest)
            .filter(|(_, newest)| newest.is_some())
            .map(|((_, base), _)| base - base.rem_euclid(60_000_000_000))
            .min();
        timed.into_iter().chain(untimed).min()
    }

    fn index(&self) -> Result<Arc<index::Index>, SourceError> {
        let mut guard = self
            .index
            .lock()
            .map_err(|_| SourceError::Other("index cache poisoned".into()))?;
        if let Some(idx) = guard.as_ref() {
            return Ok(Arc::clone(idx));
        }
        let idx = Arc::new(index::build(&self.data, &self.app)?);
        *guard = Some(Arc::clone(&idx));
        Ok(idx)
    }

    /// Runs a log or metric query with Loki's semantics (see `QueryRange`).
    pub fn query(
        &self,
        req: &QueryRange,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<(QueryOutput, QueryStats), SourceError> {
        let started = Instant::now();
        let (output, counts) = match logql::kind_of(&req.query)? {
            QueryKind::Log => {
                let q = LogQuery::compile(&req.query)?;
                let bounds = exec::LogBounds {
                    start_ns: req.start_ns,
                    end_ns: req.end_ns,
                    limit: req.limit,
                    direction: req.direction,
                };
                let (entries, counts) = exec::run_log(&self.data, &q, &self.app, bounds, progress)?;
                (QueryOutput::Streams(entries), counts)
            }
            QueryKind::Metric => self.metric(req, progress)?,
        };
        let stats = QueryStats {
            bytes_processed: counts.bytes,
            lines_processed: counts.lines,
            exec_time_s: started.elapsed().as_secs_f64(),
        };
        Ok((output, stats))
    }

    fn metric(
        &self,
        req: &QueryRange,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<(QueryOutput, scan::Counts), SourceError> {
        let q = MetricQuery::compile(&req.query)?;
        let sampling = if req.instant {
            q.instant_sampling(req.end_ns)
        } else {
            let step_ms = req
                .step_ms
                .filter(|s| *s > 0)
                .unwrap_or_else(|| metric_scan::default_step_ms(req.start_ns, req.end_ns));
            q.range_sampling(req.start_ns, req.end_ns, step_ms)?
        };
        // Only the lines some step's window holds are sampled (Loki's grid is rounded out to
        // the step at both ends, so its last window can reach past `end`).
        let (set, counts) = metric_scan::scan(&self.data, &sampling, &self.app, progress)?;
        let result = sampling.finish(set)?;
        Ok((QueryOutput::Metric(result), counts))
    }

    /// Stream label names with lines in the range (like Loki's `/labels`).
    pub fn labels(&self, start_ns: i64, end_ns: i64) -> Result<Vec<String>, SourceError> {
        let idx = self.index()?;
        let mut names: Vec<String> = idx
            .streams_in(start_ns, end_ns)
            .flat_map(|l| l.keys().cloned())
            .collect();
        names.sort();
        names.dedup();
        Ok(names)
    }

    /// Values of one stream label in the range, optionally only of streams a selector matches.
    pub fn label_values(
        &self,
        name: &str,
        start_ns: i64,
        end_ns: i64,
        query: Option<&str>,
    ) -> Result<Vec<String>, SourceError> {
        let idx = self.index()?;
        let selector = query
            .filter(|q| !q.trim().is_empty())
            .map(LogQuery::compile)
            .transpose()?;
        let mut values: Vec<String> = idx
            .streams_in(start_ns, end_ns)
            .filter(|l| selector.as_ref().is_none_or(|s| s.matches_stream(l)))
            .filter_map(|l| l.get(name).cloned())
            .collect();
        values.sort();
        values.dedup();
        Ok(values)
    }

    /// Stream label sets in the range matching any of the selectors (all when none given).
    pub fn series(
        &self,
        matchers: &[String],
        start_ns: i64,
        end_ns: i64,
    ) -> Result<Vec<Labels>, SourceError> {
        let idx = self.index()?;
        let selectors = matchers
            .iter()
            .map(|m| LogQuery::compile(m))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(idx
            .streams_in(start_ns, end_ns)
            .filter(|l| selectors.is_empty() || selectors.iter().any(|s| s.matches_stream(l)))
            .cloned()
            .collect())
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
