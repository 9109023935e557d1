//! Bodies of the background tasks the loop spawns: a query page (with throttled progress),
//! an export of a whole range and the dashboard's panels.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::backend::Backend;
use crate::loki::Progress;
use crate::model::{Direction, QueryOutput, QueryRange};

use super::super::export::write_export;
use super::super::msg::{ExportFormat, Msg, PageKind, QueryData, QueryDone};
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

/// Writes every line of `req`'s range to `path`, oldest first, a page (`req.limit`) at a time:
/// memory stays one page whatever the range holds. Each page starts at the previous one's last
/// timestamp; the lines already written there are dropped from it. Progress after each page.
pub async fn export_range(
    b: Backend,
    tx: UnboundedSender<Msg>,
    path: std::path::PathBuf,
    format: ExportFormat,
    req: QueryRange,
) {
    let result = export_pages(&b, &tx, &path, format, req).await;
    let _ = tx.send(Msg::ExportFinished(result));
}

async fn export_pages(
    b: &Backend,
    tx: &UnboundedSender<Msg>,
    path: &std::path::Path,
    format: ExportFormat,
    mut req: QueryRange,
) -> Result<String, String> {
    let shown = path.display().to_string();
    let file = std::fs::File::create(path).map_err(|e| format!("cannot write {shown}: {e}"))?;
    let mut out = std::io::BufWriter::new(file);
    let limit = req.limit.max(1);
    req.limit = limit;
    req.direction = Direction::Forward;
    let mut boundary: Vec<crate::model::LogEntry> = Vec::new();
    let mut written = 0usize;
    loop {
        let (output, _) = b.query(&req, Arc::new(|_| {})).await.map_err(|e| {
            let n = super::super::update::plural(written, "line", "lines");
            format!("export to {shown} stopped after {n}: {e}")
        })?;
        let QueryOutput::Streams(mut entries) = output else {
            return Err("a metric query has no lines to export".into());
        };
        let returned = entries.len();
        entries.sort_by_key(|e| e.ts);
        let fresh = page_entries(entries, &boundary);
        let Some(last) = fresh.last().map(|e| e.ts) else {
            // nothing new: the range is done (or one instant holds more than a page)
            break;
        };
        boundary = fresh.iter().filter(|e| e.ts == last).cloned().collect();
        let chunk = [(Arc::new(Chunk::build(fresh)), 0)];
        let (o, n) = tokio::task::spawn_blocking(move || {
            let n = write_export(&mut out, &chunk, format);
            (out, n)
        })
        .await
        .map_err(|e| e.to_string())?;
        out = o;
        written += n.map_err(|e| format!("export to {shown} failed: {e}"))?;
        let _ = tx.send(Msg::ExportProgress(written));
        if returned < limit {
            break;
        }
        req.start_ns = last;
    }
    use std::io::Write;
    out.flush()
        .map_err(|e| format!("export to {shown} failed: {e}"))?;
    Ok(format!(
        "exported {} of the range to {shown}",
        super::super::update::plural(written, "line", "lines")
    ))
}

/// One dashboard panel query's answer as the panel shows it: the output, or the error's text
/// (what the panel prints in place).
pub async fn panel_answer(backend: &Backend, req: &QueryRange) -> Result<QueryOutput, String> {
    backend
        .query(req, Arc::new(|_| {}))
        .await
        .map(|(o, _)| o)
        .map_err(|e| e.to_string())
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
                let result = panel_answer(&b, &req).await;
                let _ = tx.send(Msg::PanelFinished {
                    generation,
                    index,
                    result,
                });
            })
        })
        .collect()
}
