//! The one way vs-logs reaches Loki: base URL, rustls configuration, proxy rules and credential
//! headers, built once from `LokiConfig` and shared by the HTTP client and the tail websocket,
//! so both verify, authenticate and route a connection the same way.

use std::sync::Arc;
use std::time::Duration;

use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::proxy::matcher::Matcher;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderValue};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::Uri;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};
use tower_service::Service;

use super::{LokiConfig, LokiError};

/// An open websocket to Loki (plain or TLS, possibly through a proxy tunnel).
pub type WsStream = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Bytes kept as they are in a path segment or query component (RFC 3986 unreserved).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a path segment or query component (label names are plain, but never
/// trust that).
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// Why a websocket could not be opened.
#[derive(Debug)]
pub enum WsOpenError {
    /// The address or a setting is unusable: retrying cannot help.
    Config(String),
    /// No TCP connection (or proxy tunnel) to Loki: may work later.
    Connect(String),
    /// Connected, but the TLS or websocket handshake did not finish in time: may work later.
    Timeout(String),
    /// TLS or the websocket handshake failed; the caller decides what that means.
    Handshake(tokio_tungstenite::tungstenite::Error),
}

/// Base URL, TLS, proxy rules and credentials for one Loki. Cheap to clone.
#[derive(Clone)]
pub struct Transport {
    base: String,
    tls: Arc<rustls::ClientConfig>,
    /// The proxy rules from the environment (`HTTP(S)_PROXY`, `ALL_PROXY`, `NO_PROXY`): the
    /// same matcher reqwest builds for itself, so HTTP and websocket go the same way.
    proxy: Arc<Matcher>,
    /// Tenant, authentication and `--header`s, all marked sensitive.
    credentials: HeaderMap,
    /// How long opening the TCP connection may take (the websocket's; reqwest has its own).
    connect_timeout: Duration,
    /// How long the TLS and websocket handshakes may take once connected.
    timeout: Duration,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Header values are sensitive: HeaderMap's Debug prints them as `Sensitive`.
        f.debug_struct("Transport")
            .field("base", &self.base)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// Checks the address, reads certificates and keys, and validates every header.
    pub fn new(cfg: &LokiConfig) -> Result<Self, LokiError> {
        let base = cfg.addr.trim().trim_end_matches('/').to_string();
        let parsed = Url::parse(&base).map_err(|e| {
            LokiError::Config(format!(
                "--addr {:?} is not a URL ({e}); expected e.g. http://localhost:3100",
                crate::secret::redact(&base)
            ))
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(LokiError::Config(format!(
                "--addr {:?} must start with http:// or https://",
                crate::secret::redact(&base)
            )));
        }
        Ok(Self {
            base,
            tls: super::tls::client_config(cfg)?,
            proxy: Arc::new(Matcher::from_system()),
            credentials: super::credentials::headers(cfg)?,
            connect_timeout: super::http::connect_timeout(cfg.timeout),
            timeout: cfg.timeout,
        })
    }

    /// The TLS settings HTTP and websocket connections share.
    pub(super) fn tls(&self) -> Arc<rustls::ClientConfig> {
        Arc::clone(&self.tls)
    }

    /// How long opening a TCP connection may take, and how long a handshake may take after it.
    pub(super) fn timeouts(&self) -> (Duration, Duration) {
        (self.connect_timeout, self.timeout)
    }

    /// The address as given, without a trailing `/`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The address for messages: any `user:password@` replaced by `***@`.
    pub fn shown(&self) -> String {
        crate::secret::redact(&self.base)
    }

    /// Tenant, authentication and custom headers; sent only to the configured origin.
    pub fn credentials(&self) -> &HeaderMap {
        &self.credentials
    }

    /// Whether the address is this machine's loopback, reached without a proxy: there is no
    /// network to save bytes on, and the Loki there runs on our own cores.
    pub fn direct_loopback(&self) -> bool {
        let Ok(url) = Url::parse(&self.base) else {
            return false;
        };
        let proxied = || {
            let dst: Option<Uri> = url.as_str().parse().ok();
            dst.is_none_or(|dst| self.proxy.intercept(&dst).is_some())
        };
        super::loopback::is_loopback(&url) && !proxied()
    }

    /// The reqwest client on this transport's TLS configuration. Redirects are followed by
    /// the caller, so credentials never follow one to another host.
    pub fn http_client(&self, timeout: Duration) -> Result<reqwest::Client, LokiError> {
        reqwest::Client::builder()
            .use_preconfigured_tls(rustls::ClientConfig::clone(&self.tls))
            .timeout(timeout)
            .connect_timeout(super::http::connect_timeout(timeout))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("vs-logs/", env!("CARGO_PKG_VERSION")))
            .gzip(true)
            .build()
            .map_err(|e| {
                LokiError::Config(format!(
                    "cannot set up the HTTP client: {}",
                    super::http::root_cause(&e)
                ))
            })
    }

    /// `path` under the base address (its path prefix kept) with `params` as the query.
    pub fn endpoint(&self, path: &str, params: &[(&str, String)]) -> Result<Url, LokiError> {
        let start = format!("{}{path}", self.base);
        let mut url = Url::parse(&start).map_err(|e| {
            LokiError::Config(format!("bad URL {:?}: {e}", crate::secret::redact(&start)))
        })?;
        if !params.is_empty() {
            let query = params
                .iter()
                .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
                .collect::<Vec<_>>()
                .join("&");
            url.set_query(Some(&query));
        }
        Ok(url)
    }

    /// Opens a websocket to `path` with the credentials plus `extra` headers, on the same TLS
    /// configuration and through the same proxy (as a `CONNECT` tunnel) as HTTP requests.
    pub async fn websocket(
        &self,
        path: &str,
        params: &[(&str, String)],
        extra: &[(&'static str, &'static str)],
    ) -> Result<WsStream, WsOpenError> {
        let url = self
            .endpoint(path, params)
            .map_err(|e| WsOpenError::Config(e.to_string()))?;
        let tls = url.scheme() == "https";
        let host = url
            .host_str()
            .ok_or_else(|| WsOpenError::Config(format!("no host in --addr {:?}", self.shown())))?
            .to_string();
        let port = url
            .port_or_known_default()
            .unwrap_or(if tls { 443 } else { 80 });
        let mut req = websocket_url(&url)
            .as_str()
            .into_client_request()
            .map_err(|e| {
                WsOpenError::Config(format!("bad Loki address {:?}: {e}", self.shown()))
            })?;
        for (k, v) in &self.credentials {
            req.headers_mut().append(k.clone(), v.clone());
        }
        for (k, v) in extra {
            req.headers_mut().insert(*k, HeaderValue::from_static(v));
        }
        let tcp = tokio::time::timeout(self.connect_timeout, self.tcp(&url, &host, port))
            .await
            .map_err(|_| {
                WsOpenError::Connect(format!(
                    "cannot connect to Loki at {}: no connection within {}s (nothing answered; \
                     a firewall may drop the packets)",
                    self.shown(),
                    self.connect_timeout.as_secs_f64()
                ))
            })??;
        let _ = tcp.set_nodelay(true);
        let connector = if tls {
            Connector::Rustls(Arc::clone(&self.tls))
        } else {
            Connector::Plain
        };
        let handshake =
            tokio_tungstenite::client_async_tls_with_config(req, tcp, None, Some(connector));
        match tokio::time::timeout(self.timeout, handshake).await {
            Ok(r) => r.map(|(ws, _resp)| ws).map_err(WsOpenError::Handshake),
            Err(_) => Err(WsOpenError::Timeout(format!(
                "Loki at {} accepted the connection but did not complete the tail handshake \
                 within {}s",
                self.shown(),
                self.timeout.as_secs_f64()
            ))),
        }
    }

    /// A TCP stream to `host:port`, tunnelled through the proxy the rules pick for `url`.
    pub(super) async fn tcp(
        &self,
        url: &Url,
        host: &str,
        port: u16,
    ) -> Result<TcpStream, WsOpenError> {
        let authority = if host.contains(':') && !host.starts_with('[') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let dst: Uri = format!("{}://{authority}", url.scheme())
            .parse()
            .map_err(|e| {
                WsOpenError::Config(format!("bad Loki address {:?}: {e}", self.shown()))
            })?;
        let Some(proxy) = self.proxy.intercept(&dst) else {
            return TcpStream::connect((host.trim_matches(['[', ']']), port))
                .await
                .map_err(|e| {
                    WsOpenError::Connect(format!(
                        "cannot connect to Loki at {}: {e} (is it running? set --addr or \
                         LOKI_ADDR)",
                        self.shown()
                    ))
                });
        };
        let proxy_uri = proxy.uri().clone();
        let shown = format!(
            "{}:{}",
            proxy_uri.host().unwrap_or(""),
            proxy_uri.port_u16().unwrap_or(80)
        );
        if proxy_uri.scheme_str() != Some("http") {
            return Err(WsOpenError::Config(format!(
                "proxy {shown} is not an http:// proxy; tail can only tunnel through http:// \
                 proxies"
            )));
        }
        let mut tunnel = Tunnel::new(proxy_uri, HttpConnector::new());
        if let Some(auth) = proxy.basic_auth() {
            tunnel = tunnel.with_auth(auth.clone());
        }
        // The tunnel defaults to port 443 when the destination has none: it always has one.
        let target: Uri = format!("http://{authority}").parse().map_err(|e| {
            WsOpenError::Config(format!("bad Loki address {:?}: {e}", self.shown()))
        })?;
        let failed = |e: &(dyn std::error::Error + 'static)| {
            WsOpenError::Connect(format!(
                "no tunnel to {authority} through proxy {shown}: {}",
                super::http::root_cause(e)
            ))
        };
        std::future::poll_fn(|cx| tunnel.poll_ready(cx))
            .await
            .map_err(|e| failed(&e))?;
        let io = tunnel.call(target).await.map_err(|e| failed(&e))?;
        Ok(io.into_inner())
    }
}

/// The websocket URL for an HTTP one: http→ws, https→wss, everything else kept.
fn websocket_url(url: &Url) -> Url {
    let mut ws = url.clone();
    // Both are "special" schemes, so the switch cannot fail.
    let _ = ws.set_scheme(if url.scheme() == "https" { "wss" } else { "ws" });
    ws
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
