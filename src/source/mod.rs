//! Local sources: JSONL/console log files (plain, `.gz`, `.zst`), stdin, and the bundled demo,
//! queried with the embedded LogQL engine. Blocking, CPU-bound: call from a blocking task.
//!
//! CONTRACT (used by `backend`): `LocalInput`, `LocalSource`, `SourceError` keep these
//! signatures. Placeholder until local sources land.

pub mod level;
pub mod line;
pub mod timestamp;

use std::path::PathBuf;

use crate::logql::LogqlError;
use crate::model::{Labels, QueryOutput, QueryRange, QueryStats};

/// Where local lines come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalInput {
    File(PathBuf),
    Stdin,
    Demo,
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Logql(#[from] LogqlError),
    #[error("{0}")]
    Other(String),
}

/// A set of local inputs, queried like a Loki.
#[derive(Debug)]
pub struct LocalSource {
    inputs: Vec<LocalInput>,
}

impl LocalSource {
    /// Checks every input can be read (stdin is read once here and kept).
    pub fn open(inputs: Vec<LocalInput>) -> Result<Self, SourceError> {
        Ok(Self { inputs })
    }

    /// What this source is, for a status line (`demo`, `app.log.gz`, `stdin`).
    pub fn describe(&self) -> String {
        format!("{:?}", self.inputs)
    }

    /// The newest entry's timestamp, ns: ranges like `--since 12h` count back from it when the
    /// data is older than now (as with a file copied off a box).
    pub fn newest_ns(&self) -> Option<i64> {
        None
    }

    pub fn query(
        &self,
        req: &QueryRange,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<(QueryOutput, QueryStats), SourceError> {
        let _ = (req, progress);
        Err(SourceError::Other("local sources not built yet".into()))
    }

    pub fn labels(&self, start_ns: i64, end_ns: i64) -> Result<Vec<String>, SourceError> {
        let _ = (start_ns, end_ns);
        Ok(Vec::new())
    }

    pub fn label_values(
        &self,
        name: &str,
        start_ns: i64,
        end_ns: i64,
        query: Option<&str>,
    ) -> Result<Vec<String>, SourceError> {
        let _ = (name, start_ns, end_ns, query);
        Ok(Vec::new())
    }

    pub fn series(
        &self,
        matchers: &[String],
        start_ns: i64,
        end_ns: i64,
    ) -> Result<Vec<Labels>, SourceError> {
        let _ = (matchers, start_ns, end_ns);
        Ok(Vec::new())
    }
}
