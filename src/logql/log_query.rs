//! [`LogQuery`]: a compiled log query (stream selector plus pipeline).

use super::LogqlError;
use super::ast::{Expr, Matcher};
use super::parser::parse;
use super::pipeline::Pipeline;
use super::pipeline::label_filter::{CompiledLabelFilter, CompiledMatcher};
use super::pipeline::work::Work;
use crate::model::{Labels, LogEntry};

/// A compiled log query. `Send + Sync`: one instance serves every scanning thread.
#[derive(Debug, Clone)]
pub struct LogQuery {
    selector: Vec<CompiledMatcher>,
    pipeline: Pipeline,
}

/// Compiles a stream selector's matchers.
pub fn compile_selector(ms: &[Matcher]) -> Result<Vec<CompiledMatcher>, LogqlError> {
    ms.iter().map(CompiledMatcher::compile).collect()
}

/// Whether stream labels satisfy every matcher.
pub fn selector_matches(selector: &[CompiledMatcher], labels: &Labels) -> bool {
    selector
        .iter()
        .all(|m| m.matches(labels.get(&m.name).map(String::as_str)))
}

impl LogQuery {
    /// Parses and compiles a log query; a metric query is refused with a clear message.
    pub fn compile(query: &str) -> Result<Self, LogqlError> {
        match parse(query)? {
            Expr::Log(l) => Self::from_ast(&l),
            Expr::Metric(_) => Err(LogqlError::msg(
                "this is a metric query: it returns numbers, not log lines (run it as a metric query)",
            )),
        }
    }

    /// Compiles an already parsed log expression.
    pub fn from_ast(l: &super::ast::LogExpr) -> Result<Self, LogqlError> {
        Ok(Self {
            selector: compile_selector(&l.selector)?,
            pipeline: Pipeline::compile(&l.pipeline)?,
        })
    }

    /// Whether a stream's labels satisfy the stream selector.
    pub fn matches_stream(&self, labels: &Labels) -> bool {
        selector_matches(&self.selector, labels)
    }

    /// The line filters that precede any stage rewriting the line, run on the raw line: a
    /// cheap test that lets a scanner reject a line before deriving its labels. `true` means
    /// "maybe".
    pub fn line_prefilter(&self, line: &str) -> bool {
        self.pipeline.prefilter(line)
    }

    /// Whether a label filter drops every line of this stream (`entry`: its labels and
    /// metadata); see [`Pipeline::rejects_stream`].
    pub fn rejects_stream(&self, entry: &LogEntry) -> bool {
        self.pipeline.rejects_stream(entry)
    }

    /// A literal every kept line contains, for a block-wide search; see
    /// [`Pipeline::required_literal`].
    pub fn required_literal(&self) -> Option<&[u8]> {
        self.pipeline.required_literal()
    }

    /// The value a stream label must have for any line to be kept; see
    /// [`Pipeline::required_stream_value`].
    pub fn required_stream_value(&self, name: &str) -> Option<&str> {
        self.pipeline.required_stream_value(name)
    }

    /// Runs the whole pipeline on one entry (stream selector not re-checked). `None` = dropped.
    /// The result's `all_labels()` equals the label set Loki would return for it.
    pub fn process(&self, entry: &LogEntry) -> Option<LogEntry> {
        self.pipeline.run(entry).map(|w| w.into_entry())
    }
}

/// Label filters on their own: the stages after `unwrap` in a metric query, applied to an
/// entry that already went through its pipeline.
#[derive(Debug, Clone)]
pub struct PostFilters(Vec<CompiledLabelFilter>);

impl PostFilters {
    pub fn compile(filters: &[super::ast::LabelFilter]) -> Result<Self, LogqlError> {
        filters
            .iter()
            .map(CompiledLabelFilter::compile)
            .collect::<Result<_, _>>()
            .map(Self)
    }

    /// `None` when a filter drops the entry; conversion failures add `LabelFilterErr`.
    pub fn apply(&self, entry: LogEntry) -> Option<LogEntry> {
        let mut w = Work::new(&entry);
        for f in &self.0 {
            if !f.eval(&mut w) {
                return None;
            }
        }
        Some(w.into_entry())
    }
}

#[cfg(test)]
#[path = "log_query_tests.rs"]
mod tests;
