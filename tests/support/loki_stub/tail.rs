//! `/loki/api/v1/tail` as Loki serves it, scripted per connection: history first (the newest
//! `limit` stored entries from `start`, oldest first), then live lines published from the
//! script in frames of at most 100 entries, pings every interval, and the connection's ending:
//! a 1006 drop, a 1011 close, silence, the metric-query close, or holding on. Lines published
//! while no one is connected land in the store only: the gap a client must backfill with
//! `query_range` (served by the same stub, from the same store).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role};
use vs_logs::model::{Labels, LogEntry};

use super::body::{self, Reply};
use super::http::{self, Request};
use super::route::lock;
use super::select::{self, SelectError};
use super::{State, StubEntry, StubLabels};

/// How a connection ends after its live lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// TCP dropped without a close frame (the client sees 1006).
    Drop,
    /// Close frame 1011, as Loki at its maximum tail duration.
    Close1011,
    /// No frame and no ping any more, socket left open.
    Silent,
    /// Right after the upgrade: 1011 `only log selector is supported` (metric query).
    MetricClose,
    /// Keep pinging until the client leaves.
    Hold,
}

/// One connection's script.
#[derive(Debug, Clone, Copy)]
pub struct Conn {
    /// Lines published (and sent live) while this connection is up.
    pub live: usize,
    pub ending: Ending,
    /// Lines published after this connection ends, before the next one: the gap.
    pub then_publish: usize,
}

/// The whole tail script. Upgrades beyond `conns` get `503 stub: no more connections`.
#[derive(Debug, Clone)]
pub struct TailScript {
    /// Every line the "Loki" will ever hold, in timestamp order.
    pub lines: Vec<LogEntry>,
    /// How many of them are stored before the first connection (history).
    pub published: usize,
    pub conns: Vec<Conn>,
    /// Live entries per frame (Loki: at most 100).
    pub frame_size: usize,
    pub batch_interval: Duration,
    pub ping_interval: Duration,
    /// Raw frames sent right after the first connection's history (e.g. `dropped_entries`).
    pub extra_frames: Vec<String>,
}

impl Default for TailScript {
    fn default() -> Self {
        Self {
            lines: Vec::new(),
            published: 0,
            conns: Vec::new(),
            frame_size: 100,
            batch_interval: Duration::from_millis(10),
            ping_interval: Duration::from_millis(20),
            extra_frames: Vec::new(),
        }
    }
}

/// The script's progress, kept in the stub's state.
#[derive(Default)]
pub(crate) struct TailState {
    pending: VecDeque<LogEntry>,
    conns: VecDeque<Conn>,
    first_conn_done: bool,
    frame_size: usize,
    batch_interval: Duration,
    ping_interval: Duration,
    extra_frames: Vec<String>,
}

/// Installs `script`: its first `published` lines go to the store now.
pub(super) fn install(s: &mut State, script: TailScript) {
    let mut pending: VecDeque<LogEntry> = script.lines.into();
    s.tail = TailState {
        pending: VecDeque::new(),
        conns: script.conns.into(),
        first_conn_done: false,
        frame_size: script.frame_size.clamp(1, 100),
        batch_interval: script.batch_interval,
        ping_interval: script.ping_interval,
        extra_frames: script.extra_frames,
    };
    let now: Vec<LogEntry> = pending
        .drain(..script.published.min(pending.len()))
        .collect();
    s.tail.pending = pending;
    store(s, &now);
}

fn store(s: &mut State, entries: &[LogEntry]) {
    for e in entries {
        let entry = StubEntry {
            ts: e.ts,
            line: e.line.clone(),
            metadata: e.metadata.clone(),
        };
        select::insert(&mut s.streams, (*e.labels).clone(), [entry]);
    }
}

/// Moves up to `n` pending lines into the store; returns them.
fn publish(st: &Mutex<State>, n: usize) -> Vec<LogEntry> {
    let mut s = lock(st);
    let n = n.min(s.tail.pending.len());
    let out: Vec<LogEntry> = s.tail.pending.drain(..n).collect();
    store(&mut s, &out);
    out
}

/// Loki's checks before the upgrade. `None`: accept it.
pub(super) fn before_upgrade(req: &Request, st: &Mutex<State>) -> Option<Reply> {
    let delay: i64 = req
        .param("delay_for")
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    if delay > 5 {
        return Some(Reply::text(400, "delay_for can't be greater than 5"));
    }
    if !req.is_upgrade() {
        // Loki's answer (capture 49e) ends in a newline, unlike its query errors.
        return Some(Reply::text(400, "Bad Request\n"));
    }
    let q = req.param("query").unwrap_or("");
    if let Err(SelectError::Loki(t)) = select::parse_selector(q) {
        return Some(Reply::text(400, &t));
    }
    if lock(st).tail.conns.is_empty() {
        return Some(Reply::text(503, "stub: no more connections"));
    }
    None
}

type Ws = WebSocketStream<TcpStream>;

async fn close(ws: &mut Ws, reason: &str) {
    let frame = CloseFrame {
        code: CloseCode::Error,
        reason: reason.to_string().into(),
    };
    let _ = ws.close(Some(frame)).await;
}

/// Runs one upgraded connection to its scripted end.
pub(super) async fn session(
    mut sock: TcpStream,
    req: Request,
    st: Arc<Mutex<State>>,
) -> std::io::Result<()> {
    http::accept_upgrade(&mut sock, &req).await?;
    let mut ws = WebSocketStream::from_raw_socket(sock, Role::Server, None).await;
    let (plan, extra, frame_size, batch, ping) = {
        let mut s = lock(&st);
        let Some(plan) = s.tail.conns.pop_front() else {
            return Ok(());
        };
        let extra = if s.tail.first_conn_done {
            Vec::new()
        } else {
            s.tail.first_conn_done = true;
            s.tail.extra_frames.clone()
        };
        let t = &s.tail;
        (plan, extra, t.frame_size, t.batch_interval, t.ping_interval)
    };
    let categorize = req.categorize();
    let q = req.param("query").unwrap_or("");
    let matchers = match select::parse_selector(q) {
        Ok(m) => m,
        // Loki accepts pipelines and metric queries here; a metric query is closed at once.
        Err(_) if !q.trim_start().starts_with('{') => {
            close(&mut ws, "only log selector is supported").await;
            return Ok(());
        }
        Err(_) => Vec::new(),
    };
    if plan.ending == Ending::MetricClose {
        close(&mut ws, "only log selector is supported").await;
        return Ok(());
    }
    for f in history(&req, &matchers, &st, categorize)
        .into_iter()
        .chain(extra)
    {
        if ws.send(Message::text(f)).await.is_err() {
            return Ok(());
        }
    }
    // Live: publish `plan.live` lines in frames every `batch`, pinging every `ping`.
    let mut left = plan.live;
    let mut batches = tokio::time::interval(batch);
    let mut pings = tokio::time::interval(ping);
    while left > 0 {
        tokio::select! {
            _ = batches.tick() => {
                let chunk = publish(&st, left.min(frame_size));
                if chunk.is_empty() {
                    break;
                }
                left -= chunk.len();
                if ws.send(Message::text(live_frame(&chunk, categorize))).await.is_err() {
                    return Ok(());
                }
            }
            _ = pings.tick() => {
                if ws.send(Message::Ping(Vec::new().into())).await.is_err() {
                    return Ok(());
                }
            }
        }
    }
    if plan.ending != Ending::Hold {
        publish(&st, plan.then_publish);
    }
    match plan.ending {
        Ending::Drop => drop(ws),
        Ending::Close1011 => {
            close(&mut ws, "reached tail max duration limit").await;
            while let Some(Ok(_)) = ws.next().await {}
        }
        Ending::Silent => while let Some(Ok(_)) = ws.next().await {},
        Ending::Hold | Ending::MetricClose => loop {
            tokio::select! {
                _ = pings.tick() => {
                    if ws.send(Message::Ping(Vec::new().into())).await.is_err() {
                        return Ok(());
                    }
                }
                m = ws.next() => if !matches!(m, Some(Ok(_))) { return Ok(()); },
            }
        },
    }
    Ok(())
}

/// The history frames: the newest `limit` (default 100) stored entries from `start` (default
/// the last hour), oldest first, at most 100 per frame; structured metadata merged into the
/// labels without categorize-labels, as Loki's store-side history does.
fn history(
    req: &Request,
    matchers: &[select::Matcher],
    st: &Mutex<State>,
    categorize: bool,
) -> Vec<String> {
    let now = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX);
    let start = req
        .param("start")
        .and_then(select::parse_time)
        .unwrap_or(now - 3_600_000_000_000);
    let limit: usize = req
        .param("limit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let s = lock(st);
    let mut picked = select::select(&s.streams, matchers, start, i64::MAX, limit, false);
    // Oldest first, entries sharing a timestamp in stream order (as a forward query lists them).
    picked.reverse();
    picked.sort_by_key(|(si, e)| (e.ts, *si));
    let empty = StubLabels::new();
    let items: Vec<(&StubLabels, &StubEntry, &StubLabels)> = picked
        .iter()
        .map(|(si, e)| (&s.streams[*si].labels, *e, &empty))
        .collect();
    items
        .chunks(100)
        .map(|c| body::tail_frame(c, categorize, true))
        .collect()
}

/// A live frame: like Loki's ingester, structured metadata is not merged into the labels
/// (it is only sent with categorize-labels); parsed labels are.
fn live_frame(entries: &[LogEntry], categorize: bool) -> String {
    let owned: Vec<(StubEntry, &Labels)> = entries
        .iter()
        .map(|e| {
            let se = StubEntry {
                ts: e.ts,
                line: e.line.clone(),
                metadata: e.metadata.clone(),
            };
            (se, &e.parsed)
        })
        .collect();
    let items: Vec<(&StubLabels, &StubEntry, &StubLabels)> = entries
        .iter()
        .zip(&owned)
        .map(|(e, (se, parsed))| (&*e.labels, se, *parsed))
        .collect();
    body::tail_frame(&items, categorize, false)
}

/// Test lines: groups of `per_ts` entries sharing one timestamp on different streams
/// (`app="t"`, `module` = s0, s1, ...). With `same_text`, the entries of a group also share
/// their text (`line-<group>`), so only the stream tells them apart; else `line-<n>`.
pub fn lines(n: usize, per_ts: usize, same_text: bool) -> Vec<LogEntry> {
    let base: i64 = 1_795_594_000_000_000_000;
    (0..n)
        .map(|i| {
            let mut l = Labels::new();
            l.insert("app".into(), "t".into());
            l.insert("module".into(), format!("s{}", i % per_ts.max(1)));
            let ts = base + (i / per_ts.max(1)) as i64 * 1_000_000;
            let text = if same_text { i / per_ts.max(1) } else { i };
            LogEntry::new(ts, Arc::new(l), format!("line-{text}"))
        })
        .collect()
}
