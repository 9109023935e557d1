//! One interface over the two places logs come from: a Loki server or local inputs run through
//! the embedded engine. Front ends (CLI, TUI, replay) talk only to this.

pub mod drill;

use std::sync::Arc;

use crate::loki::{LokiClient, LokiError, Progress};
use crate::model::{Labels, LogEntry, MetricResult, QueryOutput, QueryRange, QueryStats};
use crate::source::{LocalSource, SourceError};

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Loki(#[from] LokiError),
    #[error(transparent)]
    Local(#[from] SourceError),
    #[error("background task failed: {0}")]
    Task(String),
    /// The OS refused a thread (a small `ulimit -v`, memory exhausted).
    #[error(
        "the system refused a thread for the local query ({0}): too little memory or address space"
    )]
    NoThread(String),
}

/// Where queries go.
#[derive(Debug, Clone)]
pub enum Backend {
    Loki(LokiClient),
    Local(Arc<LocalSource>),
}

/// A panic's message (its payload as text), for the error that reports it.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
}

/// Whether a panic's text says the OS refused a thread: tokio's ("OS can't spawn worker
/// thread"), rayon's when its global pool could not start, std's scoped threads' ("failed to
/// spawn thread", the file scanner's).
pub fn is_thread_refusal(text: &str) -> bool {
    text.contains("can't spawn worker thread")
        || text.contains("global thread pool has not been initialized")
        || text.contains("failed to spawn thread")
}

fn refused_thread(why: &str) -> BackendError {
    BackendError::NoThread(why.to_string())
}

/// Runs `f` on tokio's blocking threads. When the OS refuses a thread (a small `ulimit -v`,
/// memory exhausted) tokio or rayon panic; that is an error here, so a local query fails with
/// a message instead of crashing the command or leaving a TUI query waiting forever.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SourceError> + Send + 'static,
) -> Result<T, BackendError> {
    let task = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        tokio::task::spawn_blocking(f)
    }))
    .map_err(|payload| refused_thread(panic_text(&*payload).unwrap_or("no reason given")))?;
    task.await
        .map_err(|e| {
            let shown = e.to_string();
            match e.try_into_panic() {
                Ok(p) => match panic_text(&*p) {
                    Some(t) if is_thread_refusal(t) => refused_thread(t),
                    _ => BackendError::Task(shown),
                },
                Err(_) => BackendError::Task(shown),
            }
        })?
        .map_err(BackendError::from)
}

impl Backend {
    /// A short name for status lines: the Loki address or the local inputs.
    pub fn describe(&self) -> String {
        match self {
            Backend::Loki(c) => crate::secret::redact(&c.config().addr),
            Backend::Local(s) => s.describe(),
        }
    }

    pub fn is_local(&self) -> bool {
        matches!(self, Backend::Local(_))
    }

    /// Runs a query; `progress` is told how many entries have arrived so far.
    pub async fn query(
        &self,
        req: &QueryRange,
        progress: Arc<dyn Fn(Progress) + Send + Sync>,
    ) -> Result<(QueryOutput, QueryStats), BackendError> {
        match self {
            Backend::Loki(c) => Ok(c.query(req, progress.as_ref()).await?),
            Backend::Local(s) => {
                let s = Arc::clone(s);
                let req = req.clone();
                let started = std::time::Instant::now();
                blocking(move || {
                    s.query(&req, &move |n| {
                        progress(Progress {
                            entries: n,
                            pages: 1,
                            elapsed: started.elapsed(),
                        })
                    })
                })
                .await
            }
        }
    }

    /// Runs a query, handing log entries to `each` in order as they arrive (a Loki log query
    /// slice by slice, so output can start before the last slice is fetched and memory holds
    /// only the slices in flight; anything else at once). `each` returns `false` to stop.
    /// A metric result is returned instead.
    pub async fn query_each(
        &self,
        req: &QueryRange,
        progress: Arc<dyn Fn(Progress) + Send + Sync>,
        each: &mut (dyn FnMut(Vec<LogEntry>) -> bool + Send),
    ) -> Result<(Option<MetricResult>, QueryStats), BackendError> {
        if let Backend::Loki(c) = self
            && !req.instant
            && crate::loki::is_log_query(&req.query)
        {
            return Ok((None, c.query_logs(req, progress.as_ref(), each).await?));
        }
        match self.query(req, progress).await? {
            (QueryOutput::Streams(es), stats) => {
                each(es);
                Ok((None, stats))
            }
            (QueryOutput::Metric(m), stats) => Ok((Some(m), stats)),
        }
    }

    pub async fn labels(&self, start_ns: i64, end_ns: i64) -> Result<Vec<String>, BackendError> {
        match self {
            Backend::Loki(c) => Ok(c.labels(start_ns, end_ns).await?),
            Backend::Local(s) => {
                let s = Arc::clone(s);
                blocking(move || s.labels(start_ns, end_ns)).await
            }
        }
    }

    pub async fn label_values(
        &self,
        name: &str,
        start_ns: i64,
        end_ns: i64,
        query: Option<&str>,
    ) -> Result<Vec<String>, BackendError> {
        match self {
            Backend::Loki(c) => Ok(c.label_values(name, start_ns, end_ns, query).await?),
            Backend::Local(s) => {
                let s = Arc::clone(s);
                let name = name.to_string();
                let query = query.map(str::to_string);
                blocking(move || s.label_values(&name, start_ns, end_ns, query.as_deref())).await
            }
        }
    }

    pub async fn series(
        &self,
        matchers: &[String],
        start_ns: i64,
        end_ns: i64,
    ) -> Result<Vec<Labels>, BackendError> {
        match self {
            Backend::Loki(c) => Ok(c.series(matchers, start_ns, end_ns).await?),
            Backend::Local(s) => {
                let s = Arc::clone(s);
                let matchers = matchers.to_vec();
                blocking(move || s.series(&matchers, start_ns, end_ns)).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_hides_userinfo() {
        let cfg = crate::loki::LokiConfig {
            addr: "http://admin:s3cr3t@loki.example:3100".into(),
            ..Default::default()
        };
        let b = Backend::Loki(crate::loki::LokiClient::new(cfg).unwrap());
        assert_eq!(b.describe(), "http://***@loki.example:3100");
    }
}
