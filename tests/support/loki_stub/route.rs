//! The accept loop, one connection's request/answer cycle (faults applied here), and the
//! routing of Loki's endpoints.

use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};

use super::body::{self, Reply};
use super::endpoints;
use super::http::{self, Cut, Request};
use super::select::{self, SelectError};
use super::{Fault, State, StubEntry, StubLabels, tail};

const MAX_QUERY_LENGTH_NS: i64 = (30 * 24 + 1) * 3600 * 1_000_000_000;

pub async fn serve(
    listener: std::net::TcpListener,
    state: Arc<Mutex<State>>,
    mut shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    loop {
        tokio::select! {
            _ = &mut shutdown => return,
            acc = listener.accept() => {
                if let Ok((sock, _)) = acc {
                    let _ = sock.set_nodelay(true);
                    let st = Arc::clone(&state);
                    tokio::spawn(async move { let _ = connection(sock, st).await; });
                }
            }
        }
    }
}

pub(super) fn lock(st: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    st.lock().unwrap_or_else(|e| e.into_inner())
}

async fn connection(mut sock: TcpStream, st: Arc<Mutex<State>>) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    while let Some(req) = http::read_request(&mut sock, &mut buf).await? {
        let gzip_ok = req
            .header("accept-encoding")
            .is_some_and(|v| v.contains("gzip"));
        let (fault, slow) = {
            let mut s = lock(&st);
            s.requests.push(req.clone());
            s.in_flight += 1;
            let now = s.in_flight;
            s.arrivals.push((req.path.clone(), now));
            let by_path = s.path_faults.iter().position(|(p, _)| *p == req.path);
            let fault = match by_path {
                Some(i) => s.path_faults.remove(i).map(|(_, f)| f),
                None => s.faults.pop_front(),
            };
            let slow = s.slow.iter().find(|(p, _)| *p == req.path).map(|(_, d)| *d);
            (fault, slow)
        };
        let _done = InFlight(Arc::clone(&st));
        if let Some(d) = slow {
            tokio::time::sleep(d).await;
        }
        let mut cut = Cut::None;
        let reply = match fault {
            Some(Fault::Reply(r)) => r,
            Some(Fault::Close) => return Ok(()),
            Some(Fault::Hang) => std::future::pending().await,
            Some(Fault::Delay(d)) => {
                tokio::time::sleep(d).await;
                match answer(&req, &st) {
                    Some(r) => r,
                    None => return tail::session(sock, req, st).await,
                }
            }
            Some(Fault::TruncatedJson) => {
                cut = Cut::Truncated;
                answer(&req, &st).unwrap_or_else(|| Reply::text(400, "Bad Request"))
            }
            Some(Fault::CloseMidBody) => {
                cut = Cut::CloseMidBody;
                answer(&req, &st).unwrap_or_else(|| Reply::text(400, "Bad Request"))
            }
            Some(Fault::StallMidBody) => {
                cut = Cut::StallMidBody;
                answer(&req, &st).unwrap_or_else(|| Reply::text(400, "Bad Request"))
            }
            None => match answer(&req, &st) {
                Some(r) => r,
                None => return tail::session(sock, req, st).await,
            },
        };
        let no_gzip = lock(&st).no_gzip;
        http::write_reply(&mut sock, reply, gzip_ok && !no_gzip, cut).await?;
        if !http::keep_alive(&req) || cut != Cut::None {
            return Ok(());
        }
    }
    Ok(())
}

/// Counts a request as answered when dropped (whichever way its connection ends).
struct InFlight(Arc<Mutex<State>>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut s = lock(&self.0);
        s.in_flight = s.in_flight.saturating_sub(1);
    }
}

/// The answer to a request without a fault: the fixed answer if one is set, a redirect, or
/// the endpoint's. `None`: a tail upgrade to accept (the websocket takes the connection).
fn answer(req: &Request, st: &Mutex<State>) -> Option<Reply> {
    let (always, redirect) = {
        let s = lock(st);
        (s.always.clone(), s.redirect.clone())
    };
    if let Some(r) = always {
        return Some(r);
    }
    if let Some(base) = redirect {
        let mut r = Reply::new(302, "text/html; charset=utf-8", Vec::new());
        r.headers
            .push(("Location".into(), format!("{base}{}", req.target)));
        return Some(r);
    }
    if req.path == "/loki/api/v1/tail" {
        return tail::before_upgrade(req, st);
    }
    Some(route(req, st))
}

fn route(req: &Request, st: &Mutex<State>) -> Reply {
    let path = req.path.as_str();
    if let Some(r) = endpoints::served_path(path, st) {
        return r;
    }
    if matches!(path, "/loki/api/v1/query_range" | "/loki/api/v1/query") {
        let eval = lock(st).evaluator.clone();
        if let Some(r) = eval.and_then(|f| f(req)) {
            return r;
        }
    }
    match path {
        "/loki/api/v1/query_range" => query_range(req, st),
        "/loki/api/v1/query" => {
            let q = req.param("query").unwrap_or("");
            if q.trim_start().starts_with('{') {
                Reply::text(
                    400,
                    "log queries are not supported as an instant query type, please change your query to a range query type",
                )
            } else {
                Reply::text(
                    400,
                    "stub: metric queries need an evaluator (LokiStub::set_evaluator)",
                )
            }
        }
        "/loki/api/v1/labels" => endpoints::labels(req, st, None),
        "/loki/api/v1/series" => endpoints::series(req, st),
        "/loki/api/v1/index/stats" => endpoints::index_stats(req, st),
        "/loki/api/v1/index/volume_range" => endpoints::volume_range(req, st),
        "/loki/api/v1/push" => endpoints::push(req, st),
        "/ready" => Reply::text(200, "ready\n"),
        p => match p
            .strip_prefix("/loki/api/v1/label/")
            .and_then(|r| r.strip_suffix("/values"))
        {
            Some(name) => endpoints::labels(req, st, Some(name)),
            None => Reply::text(404, "404 page not found\n"),
        },
    }
}

/// `[start, end)` from the request, with Loki's defaults (last hour).
pub(super) fn range(req: &Request) -> Result<(i64, i64), Reply> {
    let now = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0);
    let end = match req.param("end") {
        Some(s) => select::parse_time(s).ok_or_else(|| {
            Reply::text(400, &format!("could not parse 'end' parameter: strconv.ParseInt: parsing \"{s}\": invalid syntax"))
        })?,
        None => now,
    };
    let start = match req.param("start") {
        Some(s) => select::parse_time(s).ok_or_else(|| {
            Reply::text(400, &format!("could not parse 'start' parameter: strconv.ParseInt: parsing \"{s}\": invalid syntax"))
        })?,
        None => end - 3_600_000_000_000,
    };
    Ok((start, end))
}

fn query_range(req: &Request, st: &Mutex<State>) -> Reply {
    let (start, end) = match range(req) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let limit: i64 = match req.param("limit").map(str::parse::<i64>) {
        None => 100,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => return Reply::text(400, "limit must be a positive value"),
    };
    let forward = match req.param("direction").unwrap_or("backward") {
        "forward" | "FORWARD" => true,
        "backward" | "BACKWARD" => false,
        d => return Reply::text(400, &format!("invalid direction '{d}'")),
    };
    if end <= start {
        return Reply::text(
            400,
            "end timestamp must not be before or equal to start time",
        );
    }
    let q = req.param("query").unwrap_or("");
    let ms = match select::parse_selector(q) {
        Ok(m) => m,
        Err(SelectError::Loki(t)) => return Reply::text(400, &t),
        Err(SelectError::Unsupported) => {
            return Reply::text(
                400,
                &format!(
                    "stub: only plain stream selectors are served without an evaluator, got: {q}"
                ),
            );
        }
    };
    if end - start > MAX_QUERY_LENGTH_NS {
        return Reply::text(
            400,
            &format!(
                "the query time range exceeds the limit (query length: {}, limit: 30d1h)",
                select::go_duration(end - start)
            ),
        );
    }
    let s = lock(st);
    let max = s.max_entries.unwrap_or(5000) as i64;
    if limit > max {
        return Reply::text(
            400,
            &format!(
                "max entries limit per query exceeded, limit > max_entries_limit_per_query ({limit} > {max})"
            ),
        );
    }
    let picked = select::select(&s.streams, &ms, start, end, limit as usize, forward);
    let empty = StubLabels::new();
    let items: Vec<(&StubLabels, &StubEntry, &StubLabels)> = picked
        .iter()
        .map(|(si, e)| (&s.streams[*si].labels, *e, &empty))
        .collect();
    Reply::json(body::streams_body(&items, req.categorize()))
}
