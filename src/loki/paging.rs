//! Paging a log query past Loki's per-request entry cap, independent of HTTP.
//!
//! After each full page the window edge moves to the page's last timestamp (that timestamp is
//! asked for again, since several entries may share it) and only the entries already seen AT
//! that boundary are dropped, keyed by (stream labels, line). The next request asks for as many
//! extra entries as were seen at the boundary, so it always makes progress. Once `limit`
//! entries are in hand, paging continues just until the boundary moves past the cut-off
//! timestamp, so ties at the cut-off are resolved by the stable order below and the result is
//! identical whatever the batch size (unlike logcli, grafana/loki#17270).

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::Arc;

use crate::model::{Direction, Labels, LogEntry};

use super::LokiError;

pub use super::slices::{VolumeBucket, aligned_slices, balanced_slices, weight_between};

/// Loki's default `max_entries_limit_per_query`: never ask for more in one request.
pub const SERVER_MAX_ENTRIES: usize = 5000;

/// The total order of merged results: time in the query's direction, then stream labels, then
/// line, so equal timestamps always come out the same way.
pub fn compare(direction: Direction, a: &LogEntry, b: &LogEntry) -> Ordering {
    let by_time = match direction {
        Direction::Forward => a.ts.cmp(&b.ts),
        Direction::Backward => b.ts.cmp(&a.ts),
    };
    by_time
        .then_with(|| {
            if Arc::ptr_eq(&a.labels, &b.labels) {
                Ordering::Equal
            } else {
                a.labels.cmp(&b.labels)
            }
        })
        .then_with(|| a.line.cmp(&b.line))
        .then_with(|| a.metadata.cmp(&b.metadata))
}

/// Sorts entries into the merged order.
pub fn sort_entries(direction: Direction, entries: &mut [LogEntry]) {
    entries.sort_by(|a, b| compare(direction, a, b));
}

/// One page request: `[start_ns, end_ns)` and at most `limit` entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub start_ns: i64,
    pub end_ns: i64,
    pub limit: usize,
}

/// Fetches every entry of `[start_ns, end_ns)` (or the first `limit` in `direction`, 0 = all)
/// through `fetch`, calling `on_page(entries so far, pages)` after each page.
pub async fn page_all<F, Fut>(
    start_ns: i64,
    end_ns: i64,
    limit: usize,
    batch_size: usize,
    direction: Direction,
    fetch: F,
    on_page: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Vec<LogEntry>, LokiError>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = Result<Vec<LogEntry>, LokiError>>,
{
    let mut all = Vec::new();
    let mut keep = |mut es: Vec<LogEntry>| {
        all.append(&mut es);
        true
    };
    let window = Window {
        start_ns,
        end_ns,
        limit,
        batch_size,
        direction,
    };
    page_each(window, fetch, on_page, &mut keep).await?;
    Ok(all)
}

/// What [`page_each`] fetches: `[start_ns, end_ns)`, the first `limit` entries in
/// `direction` (0 = all), at most `batch_size` a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start_ns: i64,
    pub end_ns: i64,
    pub limit: usize,
    pub batch_size: usize,
    pub direction: Direction,
}

/// Whether `ts` comes before `edge` in `direction`.
fn before(direction: Direction, ts: i64, edge: i64) -> bool {
    match direction {
        Direction::Forward => ts < edge,
        Direction::Backward => ts > edge,
    }
}

/// [`page_all`], handing entries to `each` page by page in the final order as soon as they
/// are settled (everything before the page's last timestamp, which the next page asks for
/// again), so memory holds one page, not the result; `each` returns `false` to stop.
pub async fn page_each<F, Fut>(
    w: Window,
    mut fetch: F,
    on_page: &mut (dyn FnMut(usize, usize) + Send),
    each: &mut (dyn FnMut(Vec<LogEntry>) -> bool + Send),
) -> Result<(), LokiError>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = Result<Vec<LogEntry>, LokiError>>,
{
    let Window {
        start_ns: mut start,
        end_ns: mut end,
        limit,
        batch_size,
        direction,
    } = w;
    let batch = batch_size.clamp(1, SERVER_MAX_ENTRIES);
    // Entries not handed on yet (at most a page and the boundary's), and how many were.
    let mut held: Vec<LogEntry> = Vec::new();
    let mut emitted = 0usize;
    let mut interned: HashMap<Labels, Arc<Labels>> = HashMap::new();
    let mut boundary: Option<i64> = None;
    let mut seen: HashSet<(Arc<Labels>, String)> = HashSet::new();
    let mut pages = 0usize;
    while start < end {
        let want = if limit == 0 {
            batch
        } else {
            // Past the limit, one more entry tells whether the cut-off timestamp is finished.
            limit.saturating_sub(emitted + held.len()).clamp(1, batch)
        };
        let ask = (want + seen.len()).min(SERVER_MAX_ENTRIES);
        let page = fetch(PageRequest {
            start_ns: start,
            end_ns: end,
            limit: ask,
        })
        .await?;
        pages += 1;
        let full = page.len() >= ask;
        let edge = match direction {
            Direction::Forward => page.iter().map(|e| e.ts).max(),
            Direction::Backward => page.iter().map(|e| e.ts).min(),
        };
        let mut at_edge: Vec<(Arc<Labels>, String)> = Vec::new();
        let before_page = held.len();
        for mut e in page {
            let labels = match interned.get(e.labels.as_ref()) {
                Some(l) => Arc::clone(l),
                None => {
                    interned.insert((*e.labels).clone(), Arc::clone(&e.labels));
                    Arc::clone(&e.labels)
                }
            };
            e.labels = labels;
            let key = (Arc::clone(&e.labels), e.line.clone());
            if Some(e.ts) == boundary && seen.contains(&key) {
                continue;
            }
            if Some(e.ts) == edge {
                at_edge.push(key);
            }
            held.push(e);
        }
        let added = held.len() - before_page;
        on_page(emitted + held.len(), pages);
        let Some(edge) = edge else { break };
        if !full {
            break;
        }
        if added == 0 {
            // A well-behaved Loki always has something new for us here (we asked for more
            // than we had seen at the boundary): stop rather than loop.
            return Err(LokiError::Other(format!(
                "Loki returned the same {ask} entries twice for the window ending at {end} ns; \
                 paging cannot make progress (is a proxy caching or rewriting query_range?)"
            )));
        }
        if boundary != Some(edge) {
            seen.clear();
            boundary = Some(edge);
        }
        seen.extend(at_edge);
        if seen.len() >= SERVER_MAX_ENTRIES {
            return Err(LokiError::Other(format!(
                "more than {SERVER_MAX_ENTRIES} entries share the timestamp {edge} ns: Loki cannot \
                 page past them; narrow the query"
            )));
        }
        match direction {
            Direction::Forward => start = edge,
            Direction::Backward => end = edge.saturating_add(1),
        }
        // Everything before the edge is complete: the next page starts at the edge.
        sort_entries(direction, &mut held);
        let settled = held.partition_point(|e| before(direction, e.ts, edge));
        if settled > 0 {
            let rest = held.split_off(settled);
            let mut out = std::mem::replace(&mut held, rest);
            if limit > 0 {
                out.truncate(limit - emitted);
            }
            emitted += out.len();
            if !each(out) || (limit > 0 && emitted >= limit) {
                return Ok(());
            }
        }
        if limit > 0 && emitted + held.len() >= limit {
            let cutoff = held[limit - 1 - emitted].ts;
            if before(direction, cutoff, edge) {
                break;
            }
        }
    }
    sort_entries(direction, &mut held);
    if limit > 0 {
        held.truncate(limit - emitted);
    }
    if !held.is_empty() {
        each(held);
    }
    Ok(())
}

/// Splits `[start, end)` into consecutive slices no longer than `max_len` and, when
/// `min_slices` > 1, into at least that many, in ascending time order.
pub fn split_range(start: i64, end: i64, max_len: i64, min_slices: usize) -> Vec<(i64, i64)> {
    if end <= start {
        return vec![(start, end)];
    }
    let span = end - start;
    let max_len = max_len.max(1);
    let by_len = (span - 1) / max_len + 1;
    let n = by_len.max(min_slices.max(1) as i64).min(span);
    let step = (span - 1) / n + 1;
    let mut out = Vec::new();
    let mut s = start;
    while s < end {
        let e = s.saturating_add(step).min(end);
        out.push((s, e));
        s = e;
    }
    out
}

/// The stream selector a log query starts with (`{app="x"}` of `{app="x"} |= "y"`), for the
/// index endpoints, which take no pipeline. `None` when the query does not start with one.
pub fn selector_of(query: &str) -> Option<&str> {
    let q = query.trim_start();
    if !q.starts_with('{') {
        return None;
    }
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in q.char_indices() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(open) if c == open => quote = None,
            Some(_) => {}
            None if c == '"' || c == '`' => quote = Some(c),
            None if c == '}' => return Some(&q[..=i]),
            None => {}
        }
    }
    None
}

#[cfg(test)]
#[path = "paging_tests.rs"]
mod tests;
