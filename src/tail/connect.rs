//! Opening one tail websocket (on the Loki client's transport: same TLS, proxy and
//! credentials as its HTTP requests) and sorting what can go wrong into "retry" and "give up
//! now".

use tokio_tungstenite::tungstenite::Error as WsError;

use crate::loki::{LokiClient, WsOpenError, WsStream};

/// An open tail socket.
pub type TailSocket = WsStream;

/// Parameters of one `/loki/api/v1/tail` connection.
#[derive(Debug, Clone, PartialEq)]
pub struct TailParams<'a> {
    pub query: &'a str,
    pub start_ns: i64,
    pub limit: usize,
    pub delay_for_s: u32,
    pub categorize_labels: bool,
}

impl TailParams<'_> {
    /// The query string of the tail request (`start` only when there is one).
    fn query_params(&self) -> Vec<(&'static str, String)> {
        let mut v = vec![
            ("query", self.query.to_string()),
            ("limit", self.limit.to_string()),
            ("delay_for", self.delay_for_s.to_string()),
        ];
        if self.start_ns > 0 {
            v.push(("start", self.start_ns.to_string()));
        }
        v
    }
}

/// Why a connection attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectError {
    /// Will not get better by retrying (bad query, auth, TLS, configuration): Loki's text or
    /// ours, and the exit code (see [`super::TailEvent::Failed`]).
    Fatal(String, u8),
    /// Might work on a later attempt (network, 5xx, timeout).
    Retry(String),
}

/// Summarises an error body: Loki's text as is, an HTML page (from a proxy) as one line.
pub fn body_text(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let t = text.trim();
    if t.starts_with('<') {
        let title = t
            .find("<title>")
            .and_then(|i| t[i + 7..].find("</title>").map(|j| &t[i + 7..i + 7 + j]));
        return match title {
            Some(title) => format!("an HTML page ({})", title.trim()),
            None => "an HTML page (probably from a proxy, not Loki)".into(),
        };
    }
    crate::sanitize::inline(t).into_owned()
}

/// What an HTTP status before the upgrade means for the tail.
pub fn classify_status(status: u16, body: &[u8], addr: &str) -> ConnectError {
    let text = body_text(body);
    match status {
        400 => ConnectError::Fatal(text, 5),
        401 | 403 => ConnectError::Fatal(
            format!(
                "Loki at {addr} refused the credentials (HTTP {status}): check \
                 --username/--password, --bearer-token or --org-id"
            ),
            4,
        ),
        404 => ConnectError::Fatal(
            format!("{addr} has no /loki/api/v1/tail (HTTP 404): is --addr a Loki?"),
            6,
        ),
        408 | 429 | 500..=599 => {
            ConnectError::Retry(format!("Loki answered HTTP {status}: {text}"))
        }
        // Anything else (a 200 HTML page from a proxy): not a Loki tail.
        _ => ConnectError::Fatal(format!("Loki answered HTTP {status}: {text}"), 6),
    }
}

fn classify_ws(e: WsError, addr: &str, client_cert: bool) -> ConnectError {
    if let Some(t) = crate::loki::tls::tls_cause(&e) {
        let t = crate::loki::tls::describe(t, client_cert);
        return ConnectError::Fatal(
            format!(
                "TLS with {addr} failed: {t} (use --ca-cert for a private CA, --cert/--key if \
                 Loki asks for a client certificate, or --tls-skip-verify)"
            ),
            3,
        );
    }
    match e {
        WsError::Http(resp) => {
            let body = resp.body().as_deref().unwrap_or_default();
            classify_status(resp.status().as_u16(), body, addr)
        }
        WsError::Io(io) => ConnectError::Retry(format!("connection to {addr} failed: {io}")),
        WsError::Tls(t) => ConnectError::Fatal(format!("TLS with {addr} failed: {t}"), 3),
        WsError::Url(u) => ConnectError::Fatal(format!("bad Loki address {addr:?}: {u}"), 2),
        other => ConnectError::Retry(format!("websocket handshake with {addr} failed: {other}")),
    }
}

/// Connects to `/loki/api/v1/tail` on `client`'s transport.
pub async fn connect(client: &LokiClient, p: &TailParams<'_>) -> Result<TailSocket, ConnectError> {
    let cfg = client.config();
    let addr = cfg.addr.as_str();
    let extra: &[(&str, &str)] = if p.categorize_labels {
        &[("X-Loki-Response-Encoding-Flags", "categorize-labels")]
    } else {
        &[]
    };
    let params = p.query_params();
    // The transport bounds both the connection (connect timeout) and the handshake (timeout).
    match client.websocket("/loki/api/v1/tail", &params, extra).await {
        Ok(ws) => Ok(ws),
        Err(WsOpenError::Config(m)) => Err(ConnectError::Fatal(m, 2)),
        Err(WsOpenError::Connect(m) | WsOpenError::Timeout(m)) => Err(ConnectError::Retry(m)),
        Err(WsOpenError::Handshake(e)) => Err(classify_ws(e, addr, cfg.client_cert.is_some())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_params_carry_start_only_when_set() {
        let p = TailParams {
            query: r#"{app="vs"} |= "a b""#,
            start_ns: 1_795_594_007_901_615_131,
            limit: 5,
            delay_for_s: 2,
            categorize_labels: true,
        };
        let q = p.query_params();
        assert_eq!(q[0], ("query", r#"{app="vs"} |= "a b""#.to_string()));
        assert_eq!(q[1..3], [("limit", "5".into()), ("delay_for", "2".into())]);
        assert_eq!(q[3], ("start", "1795594007901615131".to_string()));
        let q = TailParams { start_ns: 0, ..p }.query_params();
        assert!(q.iter().all(|(k, _)| *k != "start"));
    }

    #[test]
    fn status_classes() {
        let a = "http://l:3100";
        assert_eq!(
            classify_status(400, b"delay_for can't be greater than 5", a),
            ConnectError::Fatal("delay_for can't be greater than 5".into(), 5)
        );
        assert!(
            matches!(classify_status(401, b"", a), ConnectError::Fatal(m, 4) if m.contains("credentials"))
        );
        // A 200 page instead of the upgrade (a proxy, not Loki): Loki failed, not "other".
        assert!(matches!(
            classify_status(200, b"<html><body>Welcome</body></html>", a),
            ConnectError::Fatal(m, 6) if m.contains("HTML page")
        ));
        assert!(matches!(
            classify_status(404, b"", a),
            ConnectError::Fatal(_, 6)
        ));
        assert!(matches!(
            classify_status(503, b"", a),
            ConnectError::Retry(_)
        ));
        let html = b"<html><head><title>504 Gateway Time-out</title></head><body>..</body></html>";
        assert!(
            matches!(classify_status(504, html, a), ConnectError::Retry(m) if m.ends_with("an HTML page (504 Gateway Time-out)"))
        );
    }
}
