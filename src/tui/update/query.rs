//! Starting queries and receiving their results and pages.

use crate::logql;
use crate::model::{Direction, LogEntry, QueryRange};

use super::super::app::{App, QueryError, Results, Running};
use super::super::msg::{Command, PageKind, QueryData, QueryDone};
use super::super::store::LineStore;
use super::super::volume::{step_for, volume_query};
use super::logs;
use super::volume::{VOLUME_BUCKETS, local_volume};

/// `30s`, `15m`, `1h30m`, `7d`, `2w` → ns, by the one duration grammar ([`crate::timespec`]);
/// a zero span is no span.
pub fn parse_since(s: &str) -> Option<i64> {
    crate::timespec::parse_duration(s).ok().filter(|&ns| ns > 0)
}

/// Validates and starts a query (cancelling the one in flight); current results stay until
/// the new ones arrive.
pub fn run_query(app: &mut App, query: String) -> Vec<Command> {
    let q = query.trim().to_string();
    if q.is_empty() {
        app.editor.query_error = Some(QueryError {
            message: "type a LogQL query, e.g. {app=\"vulnsentinel\"} | json".into(),
            col: None,
        });
        return Vec::new();
    }
    if let Err(e) = logql::kind_of(&q)
        && e.col.is_some()
    {
        app.editor.query_error = Some(QueryError {
            message: e.message,
            col: e.col,
        });
        return Vec::new();
    }
    let mut cmds = Vec::new();
    if app.follow.take().is_some() {
        cmds.push(Command::StopTail);
    }
    if app.status.running.is_some() {
        cmds.push(Command::CancelQuery);
    }
    app.editor.query_error = None;
    app.status.error = None;
    app.editor.completion = None;
    if app.editor.history.push(q.clone()) {
        cmds.push(Command::SaveHistory(q.clone()));
    }
    app.editor.query = q.clone();
    app.status.generation += 1;
    app.status.running = Some(Running::Query);
    app.logs.results.progress = 0;
    let (start_ns, end_ns) = app.editor.range.resolve(app.now_ns);
    let req = QueryRange {
        query: q.clone(),
        start_ns,
        end_ns,
        limit: app.logs.page_size,
        direction: if app.logs.newest_first {
            Direction::Backward
        } else {
            Direction::Forward
        },
        step_ms: None,
        instant: false,
    };
    app.logs.results.req = Some(req.clone());
    cmds.push(Command::RunQuery {
        generation: app.status.generation,
        page: PageKind::First,
        req,
        boundary: Vec::new(),
    });
    app.volume.histogram = None;
    app.volume.error = None;
    app.volume.pending = None;
    let step = step_for(start_ns, end_ns, VOLUME_BUCKETS);
    if let Some(vq) = volume_query(&q, step) {
        app.volume.pending = Some(app.status.generation);
        cmds.push(Command::FetchVolume {
            generation: app.status.generation,
            req: QueryRange {
                query: vq,
                start_ns,
                end_ns,
                limit: 0,
                direction: Direction::Backward,
                step_ms: Some(step / 1_000_000),
                instant: false,
            },
        });
    }
    cmds
}

/// Entries of a page minus those already loaded at the boundary timestamp (each boundary
/// entry cancels one identical answer entry).
pub fn page_entries(entries: Vec<LogEntry>, boundary: &[LogEntry]) -> Vec<LogEntry> {
    if boundary.is_empty() {
        return entries;
    }
    let mut seen: Vec<Option<&LogEntry>> = boundary.iter().map(Some).collect();
    entries
        .into_iter()
        .filter(|e| {
            let hit = seen.iter_mut().find(|s| {
                s.is_some_and(|b| b.ts == e.ts && b.line == e.line && *b.labels == *e.labels)
            });
            match hit {
                Some(slot) => {
                    *slot = None;
                    false
                }
                None => true,
            }
        })
        .collect()
}

/// Asks for the next page at one end, unless that end is exhausted or something runs.
pub fn request_page(app: &mut App, page: PageKind) -> Vec<Command> {
    if app.status.running.is_some() || app.follow.is_some() || app.logs.results.metric.is_some() {
        return Vec::new();
    }
    let Some(base) = app.logs.results.req.clone() else {
        return Vec::new();
    };
    let store = &app.logs.results.store;
    let mut req = base;
    req.limit = app.logs.page_size;
    let boundary;
    match page {
        PageKind::Older => {
            let Some(first) = store.first_ts() else {
                return Vec::new();
            };
            if app.logs.results.older_done || first < req.start_ns {
                return Vec::new();
            }
            req.end_ns = first + 1;
            req.direction = Direction::Backward;
            boundary = store.entries_at(first);
            app.status.running = Some(Running::Older);
        }
        PageKind::Newer => {
            let Some(last) = store.last_ts() else {
                return Vec::new();
            };
            if app.logs.results.newer_done {
                return Vec::new();
            }
            req.start_ns = last;
            req.direction = Direction::Forward;
            boundary = store.entries_at(last);
            app.status.running = Some(Running::Newer);
        }
        PageKind::First => return Vec::new(),
    }
    vec![Command::RunQuery {
        generation: app.status.generation,
        page,
        req,
        boundary,
    }]
}

/// A query or page ended: stale generations are dropped; errors keep the current results.
pub fn finished(
    app: &mut App,
    generation: u64,
    page: PageKind,
    result: Result<Box<QueryDone>, String>,
) -> Vec<Command> {
    if generation != app.status.generation {
        return Vec::new();
    }
    app.status.running = None;
    let done = match result {
        Ok(d) => *d,
        Err(e) => {
            if page == PageKind::First {
                app.editor.query_error = Some(QueryError {
                    message: e.clone(),
                    col: None,
                });
            }
            app.status.error = Some(e);
            return Vec::new();
        }
    };
    let limit = app.logs.page_size;
    match (page, done.data) {
        (PageKind::First, data) => {
            let old_req = app.logs.results.req.take();
            let backward = old_req
                .as_ref()
                .is_none_or(|r| r.direction == Direction::Backward);
            let mut results = Results {
                stats: done.stats,
                elapsed_ms: done.elapsed_ms,
                req: old_req,
                loaded: true,
                ..Results::default()
            };
            match data {
                QueryData::Lines { chunk, returned } => {
                    let full = limit > 0 && returned >= limit;
                    results.older_done = !(backward && full);
                    results.newer_done = backward || !full;
                    let mut store = LineStore::default();
                    store.append(chunk);
                    results.store = store;
                }
                QueryData::Metric(m) => {
                    results.metric = Some(m);
                    results.older_done = true;
                    results.newer_done = true;
                }
            }
            app.logs.results = results;
            app.logs.reset_position();
            if let Some(d) = &mut app.logs.details {
                d.cursor = 0;
                d.context = None;
            }
            if app.volume.error.is_some() && app.logs.results.metric.is_none() {
                local_volume(app);
            }
        }
        (page, QueryData::Lines { chunk, returned }) => {
            let n = chunk.len();
            app.logs.results.stats.bytes_processed += done.stats.bytes_processed;
            app.logs.results.stats.lines_processed += done.stats.lines_processed;
            let exhausted = limit == 0 || returned < limit;
            if page == PageKind::Older {
                app.logs.results.store.prepend(chunk);
                app.logs.results.older_done = exhausted;
                logs::shifted_front(app, n as isize);
            } else {
                app.logs.results.store.append(chunk);
                app.logs.results.newer_done = exhausted;
                logs::appended(app, n);
            }
            if n == 0 {
                app.status.note = Some("no more lines in the range".into());
            }
        }
        (_, QueryData::Metric(_)) => {}
    }
    Vec::new()
}
