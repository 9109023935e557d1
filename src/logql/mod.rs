//! The embedded LogQL engine: parser, log pipeline and metric evaluation with Loki 3.x
//! semantics. Pure: no I/O, no async runtime.
//!
//! Used by `source` (queries over local lines), `scenes`, `tail` and the TUI (validation,
//! highlighting, rewriting).
//!
//! Layout: [`lexer`] → [`parser::parse`] → [`ast::Expr`] (validated by [`validate`]); the log
//! pipeline lives in [`pipeline`]. Metric evaluation starts from [`ast::MetricExpr`]: its leaves
//! are [`ast::RangeAggregation`]s whose [`ast::LogRange`] holds the log query (selector and
//! stages), the optional [`ast::Unwrap`] (label, conversion, post-unwrap label filters), the
//! range and the offset (ns). Binary operators come with Prometheus precedence already applied;
//! parentheses leave no node. `MetricExpr::log_ranges` lists every log range of a query.
//!
//! Running a log range for metric evaluation: [`sample::RangeSampler::compile`] on an
//! [`ast::LogRange`], then per raw entry `matches_stream` (per stream), `line_prefilter` (raw
//! line) and `sample(entry)`: `None` = filtered out; `Some(Ok(s))` = series labels (every label
//! after the pipeline, the unwrapped one removed), `s.value` (unwrapped number, or 1.0) and
//! `s.line_bytes`; `Some(Err(e))` = the entry still carries `__error__`, and `e` is Loki's
//! `pipeline error: …` text that fails the query. [`LogQuery::from_ast`] and [`PostFilters`]
//! expose the same pieces separately. Everything compiled here is `Send + Sync`.

pub mod ast;
mod highlight;
pub mod lexer;
mod log_query;
mod logs_behind;
pub mod metric;
pub mod parser;
pub mod pipeline;
pub mod quote;
pub mod regex_go;
pub mod rewrite;
pub mod sample;
pub mod template;
pub mod validate;

#[cfg(test)]
mod syntax_tests;

pub use log_query::{LogQuery, PostFilters};
pub use logs_behind::logs_behind;
pub use metric::MetricQuery;
pub use parser::parse;
pub use quote::{go_quote, quote};

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
