//! A small HTTP/1.1 server (keep-alive, Content-Length bodies) so faults can be injected at
//! the byte level, and the routing of Loki's endpoints.

use std::io::Write as _;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::body::{self, Reply};
use super::endpoints;
use super::select::{self, SelectError};
use super::{Fault, Request, State, StubEntry, StubLabels};

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
    loop {
        let head_end = loop {
            if let Some(p) = find(&buf, b"\r\n\r\n") {
                break p;
            }
            let mut chunk = [0u8; 8192];
            let n = sock.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap_or("").split(' ');
        let method = first.next().unwrap_or("").to_string();
        let target = first.next().unwrap_or("/").to_string();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let body_start = head_end + 4;
        while buf.len() < body_start + len {
            let mut chunk = [0u8; 8192];
            let n = sock.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let body = buf[body_start..body_start + len].to_vec();
        buf.drain(..body_start + len);
        let url = reqwest::Url::parse(&format!("http://stub{target}"))
            .unwrap_or_else(|_| reqwest::Url::parse("http://stub/").expect("static url"));
        let mut params: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let is_form = headers.iter().any(|(k, v)| {
            k == "content-type" && v.starts_with("application/x-www-form-urlencoded")
        });
        if is_form {
            params.extend(
                reqwest::Url::parse(&format!("http://stub/?{}", String::from_utf8_lossy(&body)))
                    .map(|u| u.query_pairs().into_owned().collect::<Vec<_>>())
                    .unwrap_or_default(),
            );
        }
        let req = Request {
            method,
            path: url.path().to_string(),
            params,
            headers,
            body,
        };
        let close = req.header("connection") == Some("close");
        let gzip_ok = req
            .header("accept-encoding")
            .is_some_and(|v| v.contains("gzip"));
        let (fault, redirect) = {
            let mut s = lock(&st);
            s.requests.push(req.clone());
            (s.faults.pop_front(), s.redirect.clone())
        };
        let mut mode = Mode::Normal;
        let reply = match fault {
            Some(Fault::Reply(r)) => r,
            Some(Fault::Close) => return Ok(()),
            Some(Fault::Delay(d)) => {
                tokio::time::sleep(d).await;
                route(&req, &st)
            }
            Some(Fault::TruncatedJson) => {
                mode = Mode::Truncated;
                route(&req, &st)
            }
            Some(Fault::CloseMidBody) => {
                mode = Mode::CloseMid;
                route(&req, &st)
            }
            None => match redirect {
                Some(base) => {
                    let mut r = Reply::new(302, "text/html; charset=utf-8", Vec::new());
                    r.headers
                        .push(("Location".into(), format!("{base}{target}")));
                    r
                }
                None => route(&req, &st),
            },
        };
        let no_gzip = lock(&st).no_gzip;
        write_reply(&mut sock, reply, gzip_ok && !no_gzip, mode).await?;
        if close || mode != Mode::Normal {
            return Ok(());
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Normal,
    Truncated,
    CloseMid,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

async fn write_reply(
    sock: &mut TcpStream,
    r: Reply,
    gzip: bool,
    mode: Mode,
) -> std::io::Result<()> {
    let mut body = r.body;
    if mode == Mode::Truncated {
        body.truncate(body.len() / 2);
    }
    let already = r
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-encoding"));
    let compress =
        gzip && !already && r.content_type.starts_with("application/json") && !body.is_empty();
    if compress {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&body)?;
        body = enc.finish()?;
    }
    let reason = match r.status {
        200 => "OK",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    };
    let mut head = format!("HTTP/1.1 {} {reason}\r\n", r.status);
    if !r.content_type.is_empty() {
        head.push_str(&format!("Content-Type: {}\r\n", r.content_type));
    }
    if r.content_type.starts_with("application/json") {
        head.push_str("Vary: Accept-Encoding\r\n");
    } else {
        head.push_str("X-Content-Type-Options: nosniff\r\n");
    }
    if compress {
        head.push_str("Content-Encoding: gzip\r\n");
    }
    for (k, v) in &r.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Date: {}\r\n",
        chrono::Utc::now().format("%a, %d %b %Y %H:%M:%S GMT")
    ));
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut out = head.into_bytes();
    if mode == Mode::CloseMid {
        out.extend_from_slice(&body[..body.len() / 2]);
    } else {
        out.extend_from_slice(&body);
    }
    sock.write_all(&out).await?;
    sock.flush().await
}

fn route(req: &Request, st: &Mutex<State>) -> Reply {
    let path = req.path.as_str();
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
