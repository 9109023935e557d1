//! Bodies of the background tasks the loop spawns: a query page (with throttled progress)
//! and the lines around one line.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::backend::Backend;
use crate::loki::Progress;
use crate::model::{Direction, QueryOutput, QueryRange};

use super::super::msg::{Msg, PageKind, QueryData, QueryDone};
use super::super::rewrite::quote;
use super::super::store::Chunk;
use super::super::update::page_entries;

pub fn spawn_query(
    backend: Backend,
    tx: UnboundedSender<Msg>,
    generation: u64,
    page: PageKind,
    req: QueryRange,
    boundary: Vec<crate::model::LogEntry>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let started = Instant::now();
        let ptx = tx.clone();
        let last = Arc::new(AtomicUsize::new(0));
        let progress = Arc::new(move |p: Progress| {
            // throttled: a local scan may report every line
            let prev = last.load(Ordering::Relaxed);
            if p.entries >= prev + 1000 || (prev == 0 && p.entries > 0) {
                last.store(p.entries, Ordering::Relaxed);
                let _ = ptx.send(Msg::QueryProgress {
                    generation,
                    entries: p.entries,
                });
            }
        });
        let result = match backend.query(&req, progress).await {
            Ok((QueryOutput::Streams(entries), stats)) => {
                let returned = entries.len();
                let built = tokio::task::spawn_blocking(move || {
                    Chunk::build(page_entries(entries, &boundary))
                })
                .await;
                match built {
                    Ok(chunk) => Ok(Box::new(QueryDone {
                        data: QueryData::Lines { chunk, returned },
                        stats,
                        elapsed_ms: started.elapsed().as_millis() as u64,
                    })),
                    Err(e) => Err(e.to_string()),
                }
            }
            Ok((QueryOutput::Metric(m), stats)) => Ok(Box::new(QueryDone {
                data: QueryData::Metric(m),
                stats,
                elapsed_ms: started.elapsed().as_millis() as u64,
            })),
            Err(e) => Err(e.to_string()),
        };
        let _ = tx.send(Msg::QueryFinished {
            generation,
            page,
            result,
        });
    })
}

/// Lines before and after `ts` in one stream (an hour either way, `limit` each).
pub async fn context(
    b: &Backend,
    labels: &crate::model::Labels,
    ts: i64,
    limit: usize,
) -> Result<(Vec<crate::model::LogEntry>, Vec<crate::model::LogEntry>), String> {
    let sel: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}={}", quote(v)))
        .collect();
    let query = format!("{{{}}}", sel.join(", "));
    const HOUR: i64 = 3_600_000_000_000;
    let mk = |start_ns, end_ns, direction| QueryRange {
        query: query.clone(),
        start_ns,
        end_ns,
        limit,
        direction,
        step_ms: None,
        instant: false,
    };
    let lines = |o: QueryOutput| match o {
        QueryOutput::Streams(v) => v,
        QueryOutput::Metric(_) => Vec::new(),
    };
    let (before, _) = b
        .query(&mk(ts - HOUR, ts, Direction::Backward), Arc::new(|_| {}))
        .await
        .map_err(|e| e.to_string())?;
    let (after, _) = b
        .query(&mk(ts + 1, ts + HOUR, Direction::Forward), Arc::new(|_| {}))
        .await
        .map_err(|e| e.to_string())?;
    let mut before = lines(before);
    before.sort_by_key(|e| e.ts);
    let mut after = lines(after);
    after.sort_by_key(|e| e.ts);
    Ok((before, after))
}

/// One task per dashboard panel query, all at once; each answer comes back tagged with the
/// generation and its index in the plan.
pub fn spawn_panels(
    backend: &Backend,
    tx: &UnboundedSender<Msg>,
    generation: u64,
    queries: Vec<QueryRange>,
) -> Vec<JoinHandle<()>> {
    queries
        .into_iter()
        .enumerate()
        .map(|(index, req)| {
            let (b, tx) = (backend.clone(), tx.clone());
            tokio::spawn(async move {
                let result = b
                    .query(&req, Arc::new(|_| {}))
                    .await
                    .map(|(o, _)| o)
                    .map_err(|e| e.to_string());
                let _ = tx.send(Msg::PanelFinished {
                    generation,
                    index,
                    result,
                });
            })
        })
        .collect()
}
