//! The stub's only HTTP/1.1 code: reading a request (head, `Content-Length` body, query-string
//! and form parameters decoded once, by `form_urlencoded`) and writing a response byte by byte,
//! so faults can cut it anywhere.

use std::io::Write as _;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::body::Reply;

/// One request as received.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: String,
    /// The path, still percent-encoded, without the query string.
    pub path: String,
    /// The request target as sent (path and query string).
    pub target: String,
    /// Query-string parameters, plus form-body parameters for POST forms, decoded.
    pub params: Vec<(String, String)>,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The request line and headers exactly as received.
    pub head: String,
}

impl Request {
    /// A header's value; `name` in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn params_named(&self, name: &str) -> Vec<&str> {
        self.params
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
    /// Whether the client asked for `categorize-labels`.
    pub fn categorize(&self) -> bool {
        self.header("x-loki-response-encoding-flags")
            .is_some_and(|v| v.split(',').any(|f| f.trim() == "categorize-labels"))
    }
    /// Whether this is a websocket upgrade.
    pub fn is_upgrade(&self) -> bool {
        self.header("upgrade")
            .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
    }
    fn wants_close(&self) -> bool {
        self.header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }
}

/// `a=1&b=%7B+x%7D` → `[("a","1"), ("b","{ x}")]`.
pub fn decode_params(s: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(s).into_owned().collect()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads the next request on a keep-alive connection; `buf` carries bytes already read past
/// the previous request. `None`: the client closed the connection.
pub async fn read_request(
    sock: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<Request>> {
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(p) = find(buf, b"\r\n\r\n") {
            break p;
        }
        let n = sock.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
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
        let n = sock.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[body_start..body_start + len].to_vec();
    buf.drain(..body_start + len);
    let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
    let mut params = decode_params(query.as_bytes());
    let is_form = headers
        .iter()
        .any(|(k, v)| k == "content-type" && v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        params.extend(decode_params(&body));
    }
    Ok(Some(Request {
        method,
        path: path.to_string(),
        target: target.clone(),
        params,
        headers,
        body,
        head,
    }))
}

/// Whether the connection stays open after answering `req`.
pub fn keep_alive(req: &Request) -> bool {
    !req.wants_close()
}

/// How a response leaves the stub.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Cut {
    /// Whole.
    None,
    /// The body cut in half, with a consistent `Content-Length` (invalid JSON).
    Truncated,
    /// `Content-Length` promises the whole body, half is sent, then the connection closes.
    CloseMidBody,
    /// `Content-Length` promises the whole body, half is sent, then nothing (the connection
    /// stays open).
    StallMidBody,
}

fn reason(status: u16) -> &'static str {
    match status {
        101 => "Switching Protocols",
        200 => "OK",
        204 => "No Content",
        302 => "Found",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Writes `r` as Loki's Go server does (headers, `Date`, gzip for JSON when `gzip`).
pub async fn write_reply(
    sock: &mut TcpStream,
    r: Reply,
    gzip: bool,
    cut: Cut,
) -> std::io::Result<()> {
    let mut body = r.body;
    if cut == Cut::Truncated {
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
    let mut head = format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status));
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
    if matches!(cut, Cut::CloseMidBody | Cut::StallMidBody) {
        out.extend_from_slice(&body[..body.len() / 2]);
    } else {
        out.extend_from_slice(&body);
    }
    sock.write_all(&out).await?;
    sock.flush().await?;
    if cut == Cut::StallMidBody {
        std::future::pending::<()>().await;
    }
    Ok(())
}

/// Accepts a websocket upgrade whose request was already read: writes the `101` answer.
pub async fn accept_upgrade(sock: &mut TcpStream, req: &Request) -> std::io::Result<()> {
    let key = req.header("sec-websocket-key").unwrap_or("");
    let accept = tokio_tungstenite::tungstenite::handshake::derive_accept_key(key.as_bytes());
    let head = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
    );
    sock.write_all(head.as_bytes()).await?;
    sock.flush().await
}
