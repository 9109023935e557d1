//! A scripted Loki for tail tests, on 127.0.0.1:0: the same port serves the tail websocket
//! (`/loki/api/v1/tail`, frames in Loki's exact format: history first, then live batches of at
//! most 100 entries, pings every interval) and `query_range` for backfill. Each connection
//! follows a plan: stream some live lines, then end with a 1006 drop, a 1011 close, silence,
//! or the metric-query close. Lines published while no one is connected form the gap a client
//! must fill.
#![allow(dead_code, unused_imports, clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use vs_logs::model::LogEntry;

mod wire;

use wire::{head_parts, parse_target, query_range_body};
pub use wire::{lines, percent_decode, tail_frame};

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

/// The whole script.
#[derive(Debug, Clone)]
pub struct StubConfig {
    /// Every line the "Loki" will ever hold, in timestamp order.
    pub lines: Vec<LogEntry>,
    /// How many of them exist before the first connection (history).
    pub published: usize,
    pub conns: Vec<Conn>,
    /// Live entries per frame (Loki: at most 100).
    pub frame_size: usize,
    pub batch_interval: Duration,
    pub ping_interval: Duration,
    /// Answer every tail upgrade with this HTTP status and body instead.
    pub reject_upgrade: Option<(u16, String)>,
    /// Raw frames sent right after the first connection's history (e.g. `dropped_entries`).
    pub extra_frames: Vec<String>,
}

impl Default for StubConfig {
    fn default() -> Self {
        Self {
            lines: Vec::new(),
            published: 0,
            conns: Vec::new(),
            frame_size: 100,
            batch_interval: Duration::from_millis(10),
            ping_interval: Duration::from_millis(20),
            reject_upgrade: None,
            extra_frames: Vec::new(),
        }
    }
}

/// One request the stub received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub params: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
}

impl Recorded {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct State {
    cfg: StubConfig,
    published: usize,
    next_conn: usize,
    requests: Vec<Recorded>,
}

/// A running stub; stops when dropped (its task is aborted).
pub struct WsStub {
    pub addr: String,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for WsStub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl WsStub {
    pub async fn start(cfg: StubConfig) -> WsStub {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            published: cfg.published,
            cfg,
            next_conn: 0,
            requests: Vec::new(),
        }));
        let st = Arc::clone(&state);
        let task = tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(serve(tcp, Arc::clone(&st)));
            }
        });
        WsStub { addr, state, task }
    }

    /// Requests to `path`, in arrival order.
    pub fn requests(&self, path: &str) -> Vec<Recorded> {
        let s = self.state.lock().unwrap();
        s.requests
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }
}

async fn http_reply(tcp: &mut TcpStream, status: u16, ctype: &str, body: &str) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Service Unavailable",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = tcp.write_all(head.as_bytes()).await;
    let _ = tcp.write_all(body.as_bytes()).await;
    let _ = tcp.shutdown().await;
}

/// Reads the request head without consuming it (the websocket handshake re-reads it).
async fn peek_head(tcp: &TcpStream) -> Option<String> {
    let mut buf = vec![0u8; 16 * 1024];
    for _ in 0..5000 {
        let n = tcp.peek(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        if let Some(i) = buf[..n].windows(4).position(|w| w == b"\r\n\r\n") {
            return Some(String::from_utf8_lossy(&buf[..i + 4]).into_owned());
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    None
}

async fn serve(mut tcp: TcpStream, st: Arc<Mutex<State>>) {
    let Some(head) = peek_head(&tcp).await else {
        return;
    };
    let (target, headers) = head_parts(&head);
    let (path, params) = parse_target(&target);
    let rec = Recorded {
        path: path.clone(),
        params,
        headers,
    };
    st.lock().unwrap().requests.push(rec.clone());
    let upgrade = rec
        .header("Upgrade")
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if path == "/loki/api/v1/tail" && upgrade {
        let reject = st.lock().unwrap().cfg.reject_upgrade.clone();
        if let Some((status, body)) = reject {
            let mut sink = vec![0u8; head.len()];
            let _ = tcp.read_exact(&mut sink).await;
            return http_reply(&mut tcp, status, "text/plain; charset=utf-8", &body).await;
        }
        let plan = {
            let mut s = st.lock().unwrap();
            let i = s.next_conn;
            s.next_conn += 1;
            let extra = if i == 0 {
                s.cfg.extra_frames.clone()
            } else {
                Vec::new()
            };
            s.cfg.conns.get(i).copied().map(|c| (c, extra))
        };
        let Some((plan, extra)) = plan else {
            let mut sink = vec![0u8; head.len()];
            let _ = tcp.read_exact(&mut sink).await;
            return http_reply(
                &mut tcp,
                503,
                "text/plain; charset=utf-8",
                "stub: no more connections",
            )
            .await;
        };
        let ws = tokio_tungstenite::accept_async(tcp).await;
        if let Ok(ws) = ws {
            tail_session(ws, rec, plan, extra, st).await;
        }
        return;
    }
    let mut sink = vec![0u8; head.len()];
    let _ = tcp.read_exact(&mut sink).await;
    if path == "/loki/api/v1/query_range" {
        let (body, ok) = {
            let s = st.lock().unwrap();
            let start: i64 = rec.param("start").and_then(|v| v.parse().ok()).unwrap_or(0);
            let end: i64 = rec
                .param("end")
                .and_then(|v| v.parse().ok())
                .unwrap_or(i64::MAX);
            let limit: usize = rec
                .param("limit")
                .and_then(|v| v.parse().ok())
                .unwrap_or(100);
            let forward = rec.param("direction") == Some("forward");
            let mut hits: Vec<LogEntry> = s.cfg.lines[..s.published]
                .iter()
                .filter(|e| e.ts >= start && e.ts < end)
                .cloned()
                .collect();
            if limit > 5000 {
                (
                    format!(
                        "max entries limit per query exceeded, limit > max_entries_limit_per_query ({limit} > 5000)"
                    ),
                    false,
                )
            } else {
                if forward {
                    hits.truncate(limit);
                } else {
                    let skip = hits.len().saturating_sub(limit);
                    hits.drain(..skip);
                }
                let cat = rec.header("X-Loki-Response-Encoding-Flags") == Some("categorize-labels");
                (query_range_body(&hits, forward, cat), true)
            }
        };
        if ok {
            http_reply(&mut tcp, 200, "application/json; charset=UTF-8", &body).await;
        } else {
            http_reply(&mut tcp, 400, "text/plain; charset=utf-8", &body).await;
        }
        return;
    }
    if path == "/loki/api/v1/tail" {
        return http_reply(&mut tcp, 400, "text/plain; charset=utf-8", "Bad Request").await;
    }
    http_reply(
        &mut tcp,
        404,
        "text/plain; charset=utf-8",
        "404 page not found\n",
    )
    .await;
}

type Ws = tokio_tungstenite::WebSocketStream<TcpStream>;

async fn tail_session(
    mut ws: Ws,
    rec: Recorded,
    plan: Conn,
    extra: Vec<String>,
    st: Arc<Mutex<State>>,
) {
    let categorize = rec.header("X-Loki-Response-Encoding-Flags") == Some("categorize-labels");
    if plan.ending == Ending::MetricClose {
        let _ = ws
            .close(Some(CloseFrame {
                code: CloseCode::Error,
                reason: "only log selector is supported".into(),
            }))
            .await;
        return;
    }
    let (frame_size, batch, ping) = {
        let s = st.lock().unwrap();
        (
            s.cfg.frame_size.clamp(1, 100),
            s.cfg.batch_interval,
            s.cfg.ping_interval,
        )
    };
    // History: the newest `limit` published lines from `start`, oldest first.
    let history: Vec<LogEntry> = {
        let s = st.lock().unwrap();
        let start: i64 = rec.param("start").and_then(|v| v.parse().ok()).unwrap_or(0);
        let limit: usize = rec
            .param("limit")
            .and_then(|v| v.parse().ok())
            .unwrap_or(100);
        let from: Vec<&LogEntry> = s.cfg.lines[..s.published]
            .iter()
            .filter(|e| e.ts >= start)
            .collect();
        let skip = from.len().saturating_sub(limit);
        from[skip..].iter().map(|e| (*e).clone()).collect()
    };
    for chunk in history.chunks(100) {
        if ws
            .send(Message::text(tail_frame(chunk, categorize)))
            .await
            .is_err()
        {
            return;
        }
    }
    for f in extra {
        if ws.send(Message::text(f)).await.is_err() {
            return;
        }
    }
    // Live: publish `plan.live` lines in frames every `batch`, pinging every `ping`.
    let mut left = plan.live;
    let mut batches = tokio::time::interval(batch);
    let mut pings = tokio::time::interval(ping);
    while left > 0 {
        tokio::select! {
            _ = batches.tick() => {
                let chunk: Vec<LogEntry> = {
                    let mut s = st.lock().unwrap();
                    let n = left.min(frame_size).min(s.cfg.lines.len() - s.published);
                    let from = s.published;
                    s.published += n;
                    s.cfg.lines[from..from + n].to_vec()
                };
                if chunk.is_empty() {
                    break;
                }
                left -= chunk.len();
                if ws.send(Message::text(tail_frame(&chunk, categorize))).await.is_err() {
                    return;
                }
            }
            _ = pings.tick() => {
                if ws.send(Message::Ping(Vec::new().into())).await.is_err() {
                    return;
                }
            }
        }
    }
    let publish_gap = |st: &Arc<Mutex<State>>| {
        let mut s = st.lock().unwrap();
        s.published = (s.published + plan.then_publish).min(s.cfg.lines.len());
    };
    match plan.ending {
        Ending::Drop => {
            publish_gap(&st);
            drop(ws);
        }
        Ending::Close1011 => {
            publish_gap(&st);
            let _ = ws
                .close(Some(CloseFrame {
                    code: CloseCode::Error,
                    reason: "reached tail max duration limit".into(),
                }))
                .await;
            while let Some(Ok(_)) = ws.next().await {}
        }
        Ending::Silent => {
            publish_gap(&st);
            while let Some(Ok(_)) = ws.next().await {}
        }
        Ending::Hold | Ending::MetricClose => loop {
            tokio::select! {
                _ = pings.tick() => {
                    if ws.send(Message::Ping(Vec::new().into())).await.is_err() {
                        return;
                    }
                }
                m = ws.next() => if !matches!(m, Some(Ok(_))) { return; },
            }
        },
    }
}
