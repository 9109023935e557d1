//! The embedded LogQL engine: parser, log pipeline and metric evaluation with Loki 3.x
//! semantics. Pure: no I/O, no async runtime.
//!
//! CONTRACT (used by `source`, `tui`, `backend`): the public items below keep these
//! signatures. Bodies here are placeholders until the engine lands.
//!
//! Layout: [`lexer`] → [`parser::parse`] → [`ast::Expr`] (validated by [`validate`]); the log
//! pipeline lives in [`pipeline`]. Metric evaluation starts from [`ast::MetricExpr`]: its leaves
//! are [`ast::RangeAggregation`]s whose [`ast::LogRange`] holds the log query (selector and
//! stages), the optional [`ast::Unwrap`] (label, conversion, post-unwrap label filters), the
//! range and the offset (ns). Binary operators come with Prometheus precedence already applied;
//! parentheses leave no node. `MetricExpr::log_ranges` lists every log range of a query.

pub mod ast;
mod highlight;
pub mod lexer;
pub mod metric;
pub mod parser;
pub mod pipeline;
pub mod regex_go;
pub mod template;
pub mod validate;

pub use parser::parse;

use crate::model::{Labels, LogEntry, MetricResult};

/// A LogQL error, worded as Loki words it (`parse error at line 1, col 37: syntax error: …`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LogqlError {
    pub message: String,
    /// 1-based position of a parse error, when there is one.
    pub line: Option<usize>,
    pub col: Option<usize>,
}

impl LogqlError {
    pub fn msg(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            line: None,
            col: None,
        }
    }
}

/// Whether a query returns log lines or numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    Log,
    Metric,
}

/// Classifies (and so validates) a query.
pub fn kind_of(query: &str) -> Result<QueryKind, LogqlError> {
    Ok(match parse(query)? {
        ast::Expr::Log(_) => QueryKind::Log,
        ast::Expr::Metric(_) => QueryKind::Metric,
    })
}

/// Syntax classes for highlighting a query in an editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Label,
    Operator,
    String,
    Number,
    Duration,
    Keyword,
    Function,
    Punctuation,
    Error,
}

/// A highlighted span of a query (byte range into the query text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

/// Tokens for highlighting; tolerant of incomplete queries (never fails).
pub fn highlight(query: &str) -> Vec<Token> {
    highlight::highlight(query)
}

/// A compiled log query (stream selector plus pipeline).
#[derive(Debug, Clone)]
pub struct LogQuery {
    _private: (),
}

impl LogQuery {
    pub fn compile(query: &str) -> Result<Self, LogqlError> {
        let _ = query;
        Err(LogqlError::msg("LogQL engine not built yet"))
    }

    /// Whether a stream's labels satisfy the stream selector.
    pub fn matches_stream(&self, labels: &Labels) -> bool {
        let _ = labels;
        false
    }

    /// The line filters that precede any parser stage, run on the raw line: a cheap test that
    /// lets a scanner reject a line before deriving its labels. `true` means "maybe".
    pub fn line_prefilter(&self, line: &str) -> bool {
        let _ = line;
        true
    }

    /// Runs the whole pipeline on one entry (stream selector not re-checked). `None` = dropped.
    /// The result's `all_labels()` equals the label set Loki would return for it.
    pub fn process(&self, entry: &LogEntry) -> Option<LogEntry> {
        let _ = entry;
        None
    }
}

/// A compiled metric query.
#[derive(Debug, Clone)]
pub struct MetricQuery {
    _private: (),
}

impl MetricQuery {
    pub fn compile(query: &str) -> Result<Self, LogqlError> {
        let _ = query;
        Err(LogqlError::msg("LogQL engine not built yet"))
    }

    /// Whether any of the query's log selectors could use this entry (stream selector and
    /// leading line filters only): lets a scanner skip the rest early.
    pub fn prefilter(&self, labels: &Labels, line: &str) -> bool {
        let _ = (labels, line);
        true
    }

    /// How far before `start` entries are needed (largest range plus offset), ns.
    pub fn lookback_ns(&self) -> i64 {
        0
    }

    /// Evaluates on Loki's step grid. `entries` are raw (un-piped) entries sorted by `ts`.
    pub fn eval_range(
        &self,
        entries: &[LogEntry],
        start_ns: i64,
        end_ns: i64,
        step_ms: i64,
    ) -> Result<MetricResult, LogqlError> {
        let _ = (entries, start_ns, end_ns, step_ms);
        Err(LogqlError::msg("LogQL engine not built yet"))
    }

    /// Evaluates at one instant (Loki's `/query`).
    pub fn eval_instant(
        &self,
        entries: &[LogEntry],
        time_ns: i64,
    ) -> Result<MetricResult, LogqlError> {
        let _ = (entries, time_ns);
        Err(LogqlError::msg("LogQL engine not built yet"))
    }
}
