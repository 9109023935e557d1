//! What a local source holds without running a query: its time span, and the label names,
//! values and series Loki's index would answer (one cached scan, [`super::index`]).

use std::sync::Arc;

use super::{LocalSource, SourceError, index};
use crate::logql::LogQuery;
use crate::model::Labels;

impl LocalSource {
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

    pub(super) fn index(&self) -> Result<Arc<index::Index>, SourceError> {
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
