//! The one Loki stub for every test: HTTP and the tail websocket on one port of 127.0.0.1, in
//! Loki's exact wire format (see `tests/fixtures/loki-wire/README.md`):
//! `application/json; charset=UTF-8` bodies ending in one `\n`, `text/plain; charset=utf-8`
//! errors without a newline, Loki's own error texts, gzip when asked for, Go-style JSON escaping
//! (`<` → `\u003c`), tail frames with one stream object per entry.
//!
//! # Use
//! ```ignore
//! use crate::support::loki_stub::{LokiStub, Fault, Reply};
//! let stub = LokiStub::start();                 // own thread + runtime; works in sync tests too
//! stub.add_stream(&[("app", "vulnsentinel"), ("level", "info")], [(1_000, "line".to_string())]);
//! stub.add_entry(&[("app", "x")], 2_000, "with metadata", &[("trace_id", "t1")]);
//! let url = stub.url();                         // "http://127.0.0.1:<port>": pass as --addr
//! stub.fail_next(2, Fault::too_many_requests(1)); // next 2 requests: 429 Retry-After: 1
//! stub.push_fault(Fault::bad_request("parse error at line 1, col 37: ..."));
//! let reqs = stub.requests();                   // every request: method, path, params, headers
//! assert_eq!(reqs[0].header("x-scope-orgid"), Some("tenant"));
//! let pushed = stub.pushed();                   // streams received on /loki/api/v1/push
//! // Scripted answers (a capture byte for byte), the last one repeated:
//! let canned = LokiStub::canned(vec![Reply::json_bytes(&fixture("04-qr-engine-rate-limit.json"))]);
//! // A scripted tail: history, live frames, then per connection a 1006 drop, 1011 close, …
//! let tail = LokiStub::with_tail(TailScript { lines: lines(300, 3, true), published: 20,
//!     conns: vec![Conn { live: 50, ending: Ending::Drop, then_publish: 10 }], ..Default::default() });
//! ```
//! Served from the store: `query_range` (GET or POST form) for plain stream selectors
//! (`{a="b", c=~"x.*"}`, matchers `= != =~ !~`) with Loki's semantics (start inclusive, end
//! exclusive, `limit` default 100, `direction` default backward, the 5000 cap and its 400 text,
//! `end<=start`, range > 30d1h, bad direction/limit texts, categorize-labels grouping); `query`
//! (log queries refused as Loki does); `labels`, `label/<n>/values` (no `data` when empty),
//! `series` (repeatable `match[]`), `index/stats`, `index/volume_range` (bytes per step-aligned
//! bucket, stamped at the bucket's end less 1 ms, as capture 33c), `push` (JSON, gzip or plain; recorded and
//! added to the store), `/ready`, `tail` (see [`tail`]: history from the store, live lines from
//! the script, Loki's 400s before the upgrade); anything else `404 page not found`.
//!
//! Anything else a query needs (pipelines, metric queries) comes from a pluggable evaluator,
//! consulted first for `query`/`query_range`: `stub.set_evaluator(Arc::new(|req| ...))`
//! returning `Some(Reply)` (build bodies with `Reply::streams` / `Reply::metric`) or `None`
//! for the built-in handling. `stub.always(reply)` answers every request with `reply` instead.
//!
//! Faults, consumed one per request in order (tail upgrades included): `Fault::reply(status,
//! ctype, body)` and the helpers `too_many_requests`, `internal_error`, `bad_gateway`,
//! `service_unavailable`, `html_504`, `unauthorized`, `bad_request`; `Fault::Delay(d)` (answer
//! late); `Fault::Hang` (read the request, never answer); `Fault::TruncatedJson` (a valid
//! response whose JSON body is cut in half); `Fault::CloseMidBody` (Content-Length promises
//! more than is sent); `Fault::Close` (close without answering). Websocket faults are the
//! tail script's endings ([`Ending`]). `stub.redirect_to(Some(other_base))` answers every
//! request with a 302 to the same path on another server (for redirect tests).
#![allow(dead_code, unused_imports)]

mod body;
mod endpoints;
mod http;
mod route;
mod select;
mod tail;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub use body::Reply;
pub use http::Request;
pub use tail::{Conn, Ending, TailScript, lines};

/// A label set.
pub type StubLabels = BTreeMap<String, String>;

/// One stored entry.
#[derive(Debug, Clone, PartialEq)]
pub struct StubEntry {
    pub ts: i64,
    pub line: String,
    pub metadata: StubLabels,
}

/// One stream: labels and entries sorted by time (insertion order among equal times).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StubStream {
    pub labels: StubLabels,
    pub entries: Vec<StubEntry>,
}

/// A programmed misbehaviour for one request.
#[derive(Debug, Clone)]
pub enum Fault {
    Reply(Reply),
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Answer normally but with the JSON body cut in half (consistent Content-Length).
    TruncatedJson,
    /// Promise the full body in Content-Length, send half, close.
    CloseMidBody,
    /// Promise the full body in Content-Length, send half, then nothing (never close).
    StallMidBody,
    /// Close the connection without answering.
    Close,
    /// Read the request and never answer (the connection stays open until the stub stops).
    Hang,
}

impl Fault {
    pub fn reply(status: u16, content_type: &str, body: &str) -> Self {
        Fault::Reply(Reply::new(status, content_type, body.as_bytes().to_vec()))
    }
    pub fn too_many_requests(retry_after_s: u64) -> Self {
        let mut r = Reply::text(
            429,
            "Ingestion rate limit exceeded (limit: 4194304 bytes/sec)",
        );
        r.headers
            .push(("Retry-After".into(), retry_after_s.to_string()));
        Fault::Reply(r)
    }
    pub fn internal_error(text: &str) -> Self {
        Fault::Reply(Reply::text(500, text))
    }
    pub fn bad_gateway() -> Self {
        Fault::Reply(Reply::text(502, "bad gateway"))
    }
    pub fn service_unavailable() -> Self {
        Fault::Reply(Reply::text(
            503,
            "Ingester not ready: waiting for 15s after being ready\n",
        ))
    }
    /// nginx's 504 page, as a proxy in front of Loki sends it.
    pub fn html_504() -> Self {
        Fault::reply(
            504,
            "text/html",
            "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx/1.27.4</center>\r\n</body>\r\n</html>\r\n",
        )
    }
    pub fn unauthorized() -> Self {
        Fault::Reply(Reply::text(401, "no org id"))
    }
    pub fn bad_request(text: &str) -> Self {
        Fault::Reply(Reply::text(400, text))
    }
}

/// Answers `query`/`query_range` requests the built-in handling cannot (or should not).
pub type Evaluator = Arc<dyn Fn(&Request) -> Option<Reply> + Send + Sync>;

#[derive(Default)]
pub(crate) struct State {
    pub streams: Vec<StubStream>,
    pub faults: std::collections::VecDeque<Fault>,
    pub requests: Vec<Request>,
    pub pushed: Vec<StubStream>,
    pub evaluator: Option<Evaluator>,
    pub redirect: Option<String>,
    pub no_gzip: bool,
    pub max_entries: Option<usize>,
    pub always: Option<Reply>,
    pub tail: tail::TailState,
    /// Fixed answers per path (`patterns`, `detected_fields`, …), see `LokiStub::serve_path`.
    pub paths: Vec<(String, Reply)>,
    /// Faults for requests to one path, before the general queue (`LokiStub::fail_path`).
    pub path_faults: std::collections::VecDeque<(String, Fault)>,
    /// Every request to the path waits this long before its answer (`LokiStub::slow_path`).
    pub slow: Vec<(String, Duration)>,
    /// Requests being answered now.
    pub in_flight: usize,
    /// Per request, in arrival order: its path and the requests in flight with it (itself
    /// included).
    pub arrivals: Vec<(String, usize)>,
}

/// The running stub. Stops when dropped.
pub struct LokiStub {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LokiStub {
    /// Starts an empty stub on 127.0.0.1 with a free port, on its own thread.
    pub fn start() -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("local addr");
        let (tx, rx) = tokio::sync::oneshot::channel();
        let st = Arc::clone(&state);
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("stub runtime");
            rt.block_on(route::serve(listener, st, rx));
        });
        Self {
            addr,
            state,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// A stub answering `replies` in order, then the last one to every later request.
    pub fn canned(replies: Vec<Reply>) -> Self {
        let stub = Self::start();
        let mut replies = replies;
        if let Some(last) = replies.pop() {
            for r in replies {
                stub.push_fault(Fault::Reply(r));
            }
            stub.always(last);
        }
        stub
    }

    /// A stub running `script` on `/loki/api/v1/tail` (its published lines already stored).
    pub fn with_tail(script: TailScript) -> Self {
        let stub = Self::start();
        tail::install(&mut stub.state(), script);
        stub
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`, for `--addr`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds entries to the stream with these labels (created if new).
    pub fn add_stream(
        &self,
        labels: &[(&str, &str)],
        entries: impl IntoIterator<Item = (i64, String)>,
    ) {
        let labels = to_labels(labels);
        let entries = entries.into_iter().map(|(ts, line)| StubEntry {
            ts,
            line,
            metadata: StubLabels::new(),
        });
        select::insert(&mut self.state().streams, labels, entries);
    }

    /// Adds one entry with structured metadata.
    pub fn add_entry(
        &self,
        labels: &[(&str, &str)],
        ts: i64,
        line: &str,
        metadata: &[(&str, &str)],
    ) {
        let e = StubEntry {
            ts,
            line: line.to_string(),
            metadata: to_labels(metadata),
        };
        select::insert(&mut self.state().streams, to_labels(labels), [e]);
    }

    /// Total entries stored.
    pub fn entry_count(&self) -> usize {
        self.state().streams.iter().map(|s| s.entries.len()).sum()
    }

    /// The next request gets this fault (queued after earlier ones).
    pub fn push_fault(&self, f: Fault) {
        self.state().faults.push_back(f);
    }

    /// The next `n` requests get this fault.
    pub fn fail_next(&self, n: usize, f: Fault) {
        let mut st = self.state();
        for _ in 0..n {
            st.faults.push_back(f.clone());
        }
    }

    /// The next `n` requests to `path` get this fault (other paths are not affected).
    pub fn fail_path(&self, path: &str, n: usize, f: Fault) {
        let mut st = self.state();
        for _ in 0..n {
            st.path_faults.push_back((path.to_string(), f.clone()));
        }
    }

    /// Every later request to `path` is answered after `delay` (so requests overlap).
    pub fn slow_path(&self, path: &str, delay: Duration) {
        self.state().slow.push((path.to_string(), delay));
    }

    /// For each request to `path`, in arrival order: how many requests (to any path, itself
    /// included) were in flight when it arrived.
    pub fn in_flight_at_arrival(&self, path: &str) -> Vec<usize> {
        self.state()
            .arrivals
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, n)| *n)
            .collect()
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state().requests.clone()
    }

    /// How many requests went to `path`.
    pub fn request_count(&self, path: &str) -> usize {
        self.state()
            .requests
            .iter()
            .filter(|r| r.path == path)
            .count()
    }

    /// Requests to `path`, in arrival order.
    pub fn requests_to(&self, path: &str) -> Vec<Request> {
        self.state()
            .requests
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    pub fn clear_requests(&self) {
        let mut st = self.state();
        st.requests.clear();
        st.arrivals.clear();
    }

    /// Streams received on `/loki/api/v1/push`, in arrival order (one item per pushed stream).
    pub fn pushed(&self) -> Vec<StubStream> {
        self.state().pushed.clone()
    }

    pub fn set_evaluator(&self, e: Evaluator) {
        self.state().evaluator = Some(e);
    }

    /// Redirect every request (302) to the same path and query on `base` (None: stop).
    pub fn redirect_to(&self, base: Option<String>) {
        self.state().redirect = base;
    }

    /// Answer every request (without a fault) with `r`, whatever its path.
    pub fn always(&self, r: Reply) {
        self.state().always = Some(r);
    }

    /// Never gzip responses, even when asked.
    pub fn disable_gzip(&self) {
        self.state().no_gzip = true;
    }

    /// Answer every request to `path` with `r` (e.g. a `detected_fields` capture). Without
    /// one, `/loki/api/v1/patterns` is `404` with an empty body (the pattern ingester off,
    /// capture 39d) and the other Drilldown paths are unknown (404).
    pub fn serve_path(&self, path: &str, r: Reply) {
        self.state().paths.push((path.to_string(), r));
    }

    /// Change `max_entries_limit_per_query` (default 5000).
    pub fn set_max_entries(&self, n: usize) {
        self.state().max_entries = Some(n);
    }
}

impl Drop for LokiStub {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub fn to_labels(pairs: &[(&str, &str)]) -> StubLabels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}
