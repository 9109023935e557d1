//! Log context as pure logic: the lines just before and after an anchor line in its stream,
//! and the two bounded queries that fetch them from Loki (or the embedded engine).
//!
//! Loki's `start` is inclusive and `end` exclusive, so "before" (backward, `end` = anchor)
//! holds only earlier timestamps and "after" (forward, `start` = anchor) holds the anchor and
//! every line sharing its timestamp. [`select_context`] then orders the union and cuts N
//! lines either side of the anchor itself, so identical timestamps are never lost or
//! doubled.

use std::collections::BTreeSet;

use crate::logql::quote;
use crate::model::{Direction, Labels, LogEntry, QueryRange};

/// A stream selector that can be widened by dropping labels, and narrowed back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    labels: Labels,
    dropped: BTreeSet<String>,
}

impl Selector {
    /// The selector of exactly the anchor's stream.
    pub fn of_stream(labels: &Labels) -> Self {
        Self {
            labels: labels.clone(),
            dropped: BTreeSet::new(),
        }
    }

    /// Drops a label from the selector (more streams match); `false` when it would leave
    /// no matcher or the label is not in the stream.
    pub fn drop_label(&mut self, name: &str) -> bool {
        let kept = self.labels.len() - self.dropped.len();
        if !self.labels.contains_key(name) || self.dropped.contains(name) || kept <= 1 {
            return false;
        }
        self.dropped.insert(name.to_string())
    }

    /// Puts a dropped label back.
    pub fn restore_label(&mut self, name: &str) -> bool {
        self.dropped.remove(name)
    }

    /// Whether `name` was dropped (the context editor shows it struck out).
    pub fn is_dropped(&self, name: &str) -> bool {
        self.dropped.contains(name)
    }

    /// Every label of the stream, by name, with whether it was dropped.
    pub fn labels(&self) -> impl Iterator<Item = (&str, &str, bool)> {
        self.labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str(), self.dropped.contains(k)))
    }

    /// The labels still matched, by name.
    pub fn kept(&self) -> impl Iterator<Item = (&str, &str)> {
        self.labels
            .iter()
            .filter(|(k, _)| !self.dropped.contains(*k))
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// `{a="x", b="y"}`, values quoted so no label value can change the query.
    pub fn logql(&self) -> String {
        let parts: Vec<String> = self
            .kept()
            .map(|(k, v)| format!("{k}={}", quote(v)))
            .collect();
        format!("{{{}}}", parts.join(", "))
    }
}

/// The two queries that fetch an anchor's context.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextQueries {
    pub before: QueryRange,
    pub after: QueryRange,
}

impl ContextQueries {
    /// Queries for `n` lines either side of `anchor_ns` within `span_ns`, with the selector
    /// and any kept pipeline stages (e.g. `| json | status="500"`) appended verbatim. The
    /// after-query asks for `n + 1 + same_ts` lines, room for the anchor and up to `same_ts`
    /// lines that share its timestamp but come before it.
    pub fn new(
        selector: &Selector,
        pipeline: &str,
        anchor_ns: i64,
        n: usize,
        span_ns: i64,
        same_ts: usize,
    ) -> Self {
        let query = if pipeline.trim().is_empty() {
            selector.logql()
        } else {
            format!("{} {}", selector.logql(), pipeline.trim())
        };
        let range = |start_ns, end_ns, limit, direction| QueryRange {
            query: query.clone(),
            start_ns,
            end_ns,
            limit,
            direction,
            step_ms: None,
            instant: false,
        };
        Self {
            before: range(
                anchor_ns.saturating_sub(span_ns),
                anchor_ns,
                n,
                Direction::Backward,
            ),
            after: range(
                anchor_ns,
                anchor_ns.saturating_add(span_ns),
                n + 1 + same_ts,
                Direction::Forward,
            ),
        }
    }
}

/// The lines around an anchor, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextWindow<'a> {
    pub before: Vec<&'a LogEntry>,
    /// The anchor, when found among the entries.
    pub anchor: Option<&'a LogEntry>,
    pub after: Vec<&'a LogEntry>,
}

/// Picks `n` entries before and after the anchor (`anchor_ns` and `anchor_line`; the
/// `occurrence`-th such entry when identical lines share the timestamp). Entries are
/// ordered by timestamp, keeping their given order among equal timestamps, so lines sharing
/// the anchor's timestamp land before or after it as they came. When the anchor is
/// missing, the window splits at its timestamp.
pub fn select_context<'a>(
    entries: &'a [LogEntry],
    anchor_ns: i64,
    anchor_line: &str,
    occurrence: usize,
    n: usize,
) -> ContextWindow<'a> {
    let mut sorted: Vec<&LogEntry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.ts);
    let at = sorted
        .iter()
        .enumerate()
        .filter(|(_, e)| e.ts == anchor_ns && e.line == anchor_line)
        .nth(occurrence)
        .map(|(i, _)| i);
    let (split, after_from, anchor) = match at {
        Some(i) => (i, i + 1, Some(sorted[i])),
        None => {
            let p = sorted.partition_point(|e| e.ts < anchor_ns);
            (p, p, None)
        }
    };
    let before = sorted[split.saturating_sub(n)..split].to_vec();
    let after = sorted[after_from..(after_from + n).min(sorted.len())].to_vec();
    ContextWindow {
        before,
        anchor,
        after,
    }
}

#[cfg(test)]
#[path = "context_tests.rs"]
mod tests;
