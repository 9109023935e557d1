//! Opening one tail websocket (TCP, optional proxy tunnel, TLS, handshake) and sorting what can
//! go wrong into "retry" and "give up now".

use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Error as WsError;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

use super::proxy::{connect_via, proxy_from_env};
use super::request::{TailParams, build_request, target};
use super::tls::client_config;
use crate::loki::LokiConfig;

/// An open tail socket.
pub type TailSocket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Why a connection attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectError {
    /// Will not get better by retrying (bad query, auth, TLS, configuration): Loki's text or ours.
    Fatal(String),
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
        400 => ConnectError::Fatal(text),
        401 | 403 => ConnectError::Fatal(format!(
            "Loki at {addr} refused the credentials (HTTP {status}): check --username/--password, \
             --bearer-token or --org-id"
        )),
        404 => ConnectError::Fatal(format!(
            "{addr} has no /loki/api/v1/tail (HTTP 404): is --addr a Loki?"
        )),
        408 | 429 | 500..=599 => {
            ConnectError::Retry(format!("Loki answered HTTP {status}: {text}"))
        }
        _ => ConnectError::Fatal(format!("Loki answered HTTP {status}: {text}")),
    }
}

fn classify_ws(e: WsError, addr: &str) -> ConnectError {
    match e {
        WsError::Http(resp) => {
            let body = resp.body().as_deref().unwrap_or_default();
            classify_status(resp.status().as_u16(), body, addr)
        }
        WsError::Io(io) => {
            let tls = io
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some());
            if tls {
                ConnectError::Fatal(format!(
                    "TLS with {addr} failed: {io} (use --ca-cert for a private CA, or \
                     --tls-skip-verify)"
                ))
            } else {
                ConnectError::Retry(format!("connection to {addr} failed: {io}"))
            }
        }
        WsError::Tls(t) => ConnectError::Fatal(format!("TLS with {addr} failed: {t}")),
        WsError::Url(u) => ConnectError::Fatal(format!("bad Loki address {addr:?}: {u}")),
        other => ConnectError::Retry(format!("websocket handshake with {addr} failed: {other}")),
    }
}

/// Connects to `/loki/api/v1/tail` with the settings of `cfg`.
pub async fn connect(cfg: &LokiConfig, p: &TailParams<'_>) -> Result<TailSocket, ConnectError> {
    let t = target(&cfg.addr, p).map_err(ConnectError::Fatal)?;
    let req = build_request(cfg, &t, p).map_err(ConnectError::Fatal)?;
    let connector = if t.tls {
        Connector::Rustls(client_config(cfg).map_err(ConnectError::Fatal)?)
    } else {
        Connector::Plain
    };
    let proxy =
        proxy_from_env(&|k| std::env::var(k).ok(), t.tls, &t.host).map_err(ConnectError::Fatal)?;
    let addr = cfg.addr.as_str();
    let attempt = async {
        let tcp = match &proxy {
            Some(p) => connect_via(p, &t.host, t.port)
                .await
                .map_err(ConnectError::Retry)?,
            None => TcpStream::connect((t.host.as_str(), t.port))
                .await
                .map_err(|e| {
                    ConnectError::Retry(format!(
                        "cannot connect to Loki at {addr}: {e} (is it running? set --addr or \
                         LOKI_ADDR)"
                    ))
                })?,
        };
        let _ = tcp.set_nodelay(true);
        tokio_tungstenite::client_async_tls_with_config(req, tcp, None, Some(connector))
            .await
            .map(|(ws, _resp)| ws)
            .map_err(|e| classify_ws(e, addr))
    };
    match tokio::time::timeout(cfg.timeout, attempt).await {
        Ok(r) => r,
        Err(_) => Err(ConnectError::Retry(format!(
            "no answer from Loki at {addr} after {:?}",
            cfg.timeout
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_classes() {
        let a = "http://l:3100";
        assert_eq!(
            classify_status(400, b"delay_for can't be greater than 5", a),
            ConnectError::Fatal("delay_for can't be greater than 5".into())
        );
        assert!(
            matches!(classify_status(401, b"", a), ConnectError::Fatal(m) if m.contains("credentials"))
        );
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
