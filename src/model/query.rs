use super::{LogEntry, MetricResult};

/// Order of a log query's results, as Loki's `direction` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Oldest first.
    Forward,
    /// Newest first (Loki's default).
    #[default]
    Backward,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Forward => "forward",
            Direction::Backward => "backward",
        }
    }
}

/// Everything needed to run one query against any backend (Loki or the embedded engine).
#[derive(Debug, Clone, PartialEq)]
pub struct QueryRange {
    pub query: String,
    /// Inclusive start, ns since the epoch.
    pub start_ns: i64,
    /// Exclusive end for log queries (Loki's semantics), ns since the epoch.
    pub end_ns: i64,
    /// Maximum entries for a log query; `0` means everything.
    pub limit: usize,
    pub direction: Direction,
    /// Step for range metric queries, ms; `None` lets the backend choose Loki's default.
    pub step_ms: Option<i64>,
    /// Evaluate a metric query at `end_ns` only.
    pub instant: bool,
}

/// Statistics a backend reports about a query (Loki's `stats.summary`, or counted locally).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct QueryStats {
    pub bytes_processed: u64,
    pub lines_processed: u64,
    pub exec_time_s: f64,
}

/// What a query returns: entries merged into one time-ordered sequence, or a metric result.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryOutput {
    /// Entries ordered by the request's direction (ties broken by labels, then line).
    Streams(Vec<LogEntry>),
    Metric(MetricResult),
}
