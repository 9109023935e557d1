//! The reconnecting tail against Loki: connect, stream frames, and on any disconnect resume from
//! the last timestamp delivered, backfill the gap with `query_range`, and drop repeats.

use std::time::Instant;

use futures_util::StreamExt;
use tokio::sync::mpsc::Sender;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use super::connect::{ConnectError, TailParams, TailSocket, connect};
use super::dedupe::Deduper;
use super::frame::FrameDecoder;
use super::{FollowOptions, TailEvent, TailSettings, backoff, validate};
use crate::loki::LokiClient;
use crate::model::{Direction, LogEntry, QueryOutput, QueryRange};

/// Loki's own ceiling on a query's `limit` (`max_entries_limit_per_query` default).
const MAX_HISTORY_LIMIT: usize = 5000;

/// How a connection ended.
enum End {
    /// Nobody listens any more.
    Gone,
    /// Will not get better: stop with this message and exit code.
    Fatal(String, u8),
    /// Lost; reconnect. `got_data`: the connection delivered at least one frame.
    Lost { reason: String, got_data: bool },
}

pub(crate) fn now_ns() -> i64 {
    chrono::Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX)
}

pub(crate) fn rfc3339(ns: i64) -> String {
    crate::timespec::format_rfc3339(ns, true)
}

async fn send(tx: &Sender<TailEvent>, ev: TailEvent) -> bool {
    // Messages quote addresses and server text: the one redaction path sees them first.
    let ev = match ev {
        TailEvent::Notice(m) => TailEvent::Notice(crate::secret::redact(&m)),
        TailEvent::Failed(m, code) => TailEvent::Failed(crate::secret::redact(&m), code),
        ev => ev,
    };
    tx.send(ev).await.is_ok()
}

/// Sleeps, or returns `false` early when the receiver is dropped.
async fn pause(tx: &Sender<TailEvent>, d: std::time::Duration) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(d) => true,
        _ = tx.closed() => false,
    }
}

/// Everything in `[from_ns, to_ns)`, oldest first.
async fn backfill(
    client: &LokiClient,
    query: &str,
    from_ns: i64,
    to_ns: i64,
) -> Result<Vec<LogEntry>, String> {
    let req = QueryRange {
        query: query.to_string(),
        start_ns: from_ns,
        end_ns: to_ns,
        limit: 0,
        direction: Direction::Forward,
        step_ms: None,
        instant: false,
    };
    match client.query(&req, &|_| {}).await {
        Ok((QueryOutput::Streams(mut v), _)) => {
            v.sort_by_key(|e| e.ts);
            Ok(v)
        }
        Ok((QueryOutput::Metric(_), _)) => Ok(Vec::new()),
        Err(e) => Err(e.to_string()),
    }
}

async fn read_loop(
    mut ws: TailSocket,
    frames: &mut FrameDecoder,
    dd: &mut Deduper,
    s: &TailSettings,
    tx: &Sender<TailEvent>,
) -> End {
    let connected = Instant::now();
    let mut got_data = false;
    loop {
        let next = tokio::select! {
            r = tokio::time::timeout(s.silence_timeout, ws.next()) => r,
            _ = tx.closed() => return End::Gone,
        };
        let msg = match next {
            Err(_) => {
                return End::Lost {
                    reason: format!(
                        "no frame or ping from Loki for {:?}: the connection looks dead",
                        s.silence_timeout
                    ),
                    got_data,
                };
            }
            Ok(None) => {
                return End::Lost {
                    reason: "Loki ended the tail connection".into(),
                    got_data,
                };
            }
            Ok(Some(Err(e))) => {
                return End::Lost {
                    reason: format!("connection to Loki lost: {e}"),
                    got_data,
                };
            }
            Ok(Some(Ok(m))) => m,
        };
        match msg {
            Message::Text(text) => {
                got_data = true;
                if connected.elapsed() >= s.settle {
                    dd.unpin();
                }
                let frame = match frames.decode(text.as_str()) {
                    Ok(f) => f,
                    Err(e) => {
                        if !send(tx, TailEvent::Notice(e.to_string())).await {
                            return End::Gone;
                        }
                        continue;
                    }
                };
                if let Some(d) = frame.dropped {
                    let ev = TailEvent::Dropped {
                        count: d.count,
                        from_ns: d.from_ns,
                        to_ns: d.to_ns,
                    };
                    if !send(tx, ev).await {
                        return End::Gone;
                    }
                }
                let fresh = dd.admit(frame.entries);
                if !fresh.is_empty() && !send(tx, TailEvent::Entries(fresh)).await {
                    return End::Gone;
                }
            }
            Message::Close(cf) => {
                let (code, reason) = cf
                    .map(|c| (u16::from(c.code), c.reason.to_string()))
                    .unwrap_or((1005, String::new()));
                if code == u16::from(CloseCode::Error) && reason.contains("only log selector") {
                    return End::Fatal(
                        format!(
                            "Loki can tail log queries only ({reason}); run metric queries \
                             with `vs-logs query`"
                        ),
                        5,
                    );
                }
                let reason = crate::sanitize::inline(&reason).into_owned();
                return End::Lost {
                    reason: format!(
                        "Loki closed the tail (code {code}{}{reason})",
                        if reason.is_empty() { "" } else { ": " }
                    ),
                    got_data,
                };
            }
            _ => {}
        }
    }
}

/// Runs a Loki tail until it fails or the receiver is dropped.
pub(crate) async fn run_loki(
    client: LokiClient,
    opts: FollowOptions,
    s: TailSettings,
    tx: Sender<TailEvent>,
) {
    if let Err(m) = validate(&opts) {
        let _ = send(&tx, TailEvent::Failed(m, 2)).await;
        return;
    }
    let cfg = client.config().clone();
    let mut dd = Deduper::new(i64::try_from(s.dedupe_window.as_nanos()).unwrap_or(i64::MAX));
    let mut frames = FrameDecoder::new();
    let mut failures = 0u32;
    let mut resume: Option<i64> = None;
    let first_start = if opts.limit == 0 {
        now_ns()
    } else {
        opts.start_ns
    };
    loop {
        let (start_ns, limit) = match resume {
            Some(w) => (w, opts.limit.clamp(100, MAX_HISTORY_LIMIT)),
            None => (first_start, opts.limit.max(1)),
        };
        let params = TailParams {
            query: &opts.query,
            start_ns,
            limit,
            delay_for_s: opts.delay_for_s,
            categorize_labels: s.categorize_labels,
        };
        let attempt_ns = now_ns();
        let outcome = match connect(&client, &params).await {
            Err(ConnectError::Fatal(m, code)) => End::Fatal(m, code),
            Err(ConnectError::Retry(m)) => End::Lost {
                reason: m,
                got_data: false,
            },
            Ok(ws) => {
                if let Some(from) = resume {
                    dd.pin(from);
                    let backfilled = match backfill(&client, &opts.query, from, now_ns()).await {
                        Ok(entries) => dd.admit(entries),
                        Err(e) => {
                            let note = format!(
                                "could not fill the gap since {} with query_range: {e}; lines \
                                 from then on may be missing",
                                rfc3339(from)
                            );
                            if !send(&tx, TailEvent::Notice(note)).await {
                                return;
                            }
                            Vec::new()
                        }
                    };
                    let n = backfilled.len();
                    if n > 0 && !send(&tx, TailEvent::Entries(backfilled)).await {
                        return;
                    }
                    if !send(&tx, TailEvent::Reconnected { backfilled: n }).await {
                        return;
                    }
                }
                read_loop(ws, &mut frames, &mut dd, &s, &tx).await
            }
        };
        match outcome {
            End::Gone => return,
            End::Fatal(m, code) => {
                let _ = send(&tx, TailEvent::Failed(m, code)).await;
                return;
            }
            End::Lost { reason, got_data } => {
                failures = if got_data { 1 } else { failures + 1 };
                if failures > s.max_failures {
                    let m = format!(
                        "gave up after {} to tail Loki at {}: {reason}",
                        crate::output::plural(
                            failures as usize,
                            "failed attempt",
                            "failed attempts"
                        ),
                        cfg.addr
                    );
                    // Never (or no longer) reachable: like a request that could not connect.
                    let _ = send(&tx, TailEvent::Failed(m, 3)).await;
                    return;
                }
                let wait = backoff::delay(failures, s.backoff_base, s.backoff_max, fastrand::f64());
                // Resume after the last entry shown; if none was, after an (empty) history
                // that did arrive; otherwise ask for the initial history again.
                if let Some(w) = dd.watermark() {
                    resume = Some(w);
                } else if got_data && resume.is_none() {
                    resume = Some(attempt_ns);
                }
                let from = resume.unwrap_or(start_ns);
                let note = format!(
                    "{reason}; reconnecting from {} in {:.1}s (attempt {failures} of {})",
                    rfc3339(from),
                    wait.as_secs_f64(),
                    s.max_failures
                );
                if !send(&tx, TailEvent::Notice(note)).await || !pause(&tx, wait).await {
                    return;
                }
            }
        }
    }
}
