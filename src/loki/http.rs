//! The HTTP layer: a reqwest client on the shared [`Transport`] (TLS, proxy, auth, tenant,
//! headers), requests with retries (429/502/503/504 and network errors, jittered exponential backoff,
//! `Retry-After`) and redirects that never carry credentials or the tenant to another host.

use std::time::Duration;

use reqwest::{Method, StatusCode};

use super::LokiConfig;
use super::error::{LokiError, from_status, retryable_status};
use super::transport::Transport;

/// Longest wait a `Retry-After` header can impose.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const MAX_REDIRECTS: usize = 10;

/// A request to send: method, path under the base address, query parameters, body.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    pub method: Method,
    pub path: &'a str,
    pub params: &'a [(&'a str, String)],
    pub body: Option<(Vec<u8>, &'static str)>,
    /// Ask for categorize-labels encoding (query endpoints).
    pub categorize: bool,
}

/// A successful answer.
#[derive(Debug)]
pub struct Answer {
    pub body: Vec<u8>,
}

/// The configured client plus the transport it was built on.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    transport: Transport,
    /// Ask for uncompressed answers (see [`Http::new`]).
    identity: bool,
}

impl Http {
    /// Responses are asked for gzipped (13× fewer bytes for a page of log lines), except from
    /// a Loki on our own loopback: there no bytes cross a network, and gzip is work for a
    /// Loki that shares our cores (on the lab Loki, 40 % more CPU for the same lines). A
    /// `--header 'Accept-Encoding: gzip'` asks for gzip anyway (a tunnel to a remote Loki).
    pub fn new(cfg: &LokiConfig) -> Result<Self, LokiError> {
        let transport = Transport::new(cfg)?;
        let identity = transport.direct_loopback()
            && !transport
                .credentials()
                .contains_key(reqwest::header::ACCEPT_ENCODING);
        Ok(Self {
            client: transport.http_client(cfg.timeout)?,
            transport,
            identity,
        })
    }

    /// The transport (TLS, proxy, credentials) this client uses, for the tail websocket.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Sends `call`, retrying what may succeed on a second try, and returns the body of a 2xx.
    pub async fn send(&self, cfg: &LokiConfig, call: &Call<'_>) -> Result<Answer, LokiError> {
        self.send_observed(cfg, call, &|| {}).await
    }

    /// [`Http::send`], calling `throttled` each time Loki refuses for load (429, 503), so a
    /// caller with several requests in flight can send fewer.
    pub async fn send_observed(
        &self,
        cfg: &LokiConfig,
        call: &Call<'_>,
        throttled: &(dyn Fn() + Send + Sync),
    ) -> Result<Answer, LokiError> {
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let (err, retry_after) = match self.send_once(cfg, call, attempt).await {
                Ok(a) => return Ok(a),
                Err(e) => e,
            };
            if matches!(
                err,
                LokiError::RateLimited { .. } | LokiError::Server { status: 503, .. }
            ) {
                throttled();
            }
            if !err.is_retryable() || attempt > cfg.retries {
                return Err(err);
            }
            let exp = cfg
                .retry_backoff
                .saturating_mul(1u32 << (attempt - 1).min(16))
                .min(Duration::from_secs(10));
            let jittered = exp.mul_f64(0.5 + fastrand::f64() * 0.5);
            let wait = retry_after.map_or(jittered, |r| r.min(MAX_RETRY_AFTER));
            tokio::time::sleep(wait).await;
        }
    }

    async fn send_once(
        &self,
        cfg: &LokiConfig,
        call: &Call<'_>,
        attempt: u32,
    ) -> Result<Answer, (LokiError, Option<Duration>)> {
        let mut url = self
            .transport
            .endpoint(call.path, call.params)
            .map_err(|e| (e, None))?;
        let origin = url.origin();
        let mut method = call.method.clone();
        let mut body = call.body.clone();
        let mut trusted = true;
        for _ in 0..=MAX_REDIRECTS {
            let mut rb = self.client.request(method.clone(), url.clone());
            if trusted {
                rb = rb.headers(self.transport.credentials().clone());
            }
            if call.categorize {
                rb = rb.header("X-Loki-Response-Encoding-Flags", "categorize-labels");
            }
            if self.identity {
                rb = rb.header(reqwest::header::ACCEPT_ENCODING, "identity");
            }
            if let Some((b, ct)) = &body {
                rb = rb
                    .header(reqwest::header::CONTENT_TYPE, *ct)
                    .body(b.clone());
            }
            let resp = match rb.send().await {
                Ok(r) => r,
                Err(e) => return Err((self.explained_net_error(cfg, &e).await, None)),
            };
            let status = resp.status();
            if status.is_redirection() {
                let Some(loc) = resp
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                else {
                    return Err((self.status_error(cfg, call, status, "", b"", attempt), None));
                };
                url = url.join(loc).map_err(|e| {
                    (
                        LokiError::Other(format!("Loki redirected to a bad URL {loc:?}: {e}")),
                        None,
                    )
                })?;
                // Credentials, tenant and custom headers stay with the configured host.
                trusted = trusted && url.origin() == origin;
                if matches!(status, StatusCode::SEE_OTHER)
                    || (method == Method::POST
                        && matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND))
                {
                    method = Method::GET;
                    body = None;
                }
                continue;
            }
            let retry_after = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|s| s.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let content_type = resp
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let bytes = read_capped(resp, cfg.max_body_bytes, call.path)
                .await
                .map_err(|e| match e {
                    Capped::Net(e, received) if e.is_timeout() => (
                        LokiError::Stalled {
                            addr: self.transport.shown(),
                            status: status.as_u16(),
                            received,
                            after: cfg.timeout,
                        },
                        None,
                    ),
                    Capped::Net(e, _) => (self.net_error(cfg, &e), None),
                    Capped::TooBig(e) => (e, None),
                })?;
            if status.is_success() {
                return Ok(Answer { body: bytes });
            }
            let err = self.status_error(cfg, call, status, &content_type, &bytes, attempt);
            let retry_after = if retryable_status(status.as_u16()) {
                retry_after
            } else {
                None
            };
            return Err((err, retry_after));
        }
        Err((
            LokiError::Other(format!(
                "more than {MAX_REDIRECTS} redirects from {}; check --addr",
                self.transport.shown()
            )),
            None,
        ))
    }

    fn status_error(
        &self,
        cfg: &LokiConfig,
        call: &Call<'_>,
        status: StatusCode,
        content_type: &str,
        body: &[u8],
        attempt: u32,
    ) -> LokiError {
        let mut secrets: Vec<&str> = Vec::new();
        if let Some(p) = &cfg.password {
            secrets.push(p.expose());
        }
        if let Some(t) = &cfg.bearer_token {
            secrets.push(t.expose());
        }
        from_status(
            &self.transport.shown(),
            call.path,
            status.as_u16(),
            content_type,
            body,
            attempt,
            &secrets,
        )
    }

    /// [`Self::net_error`], asking the server once more when an HTTPS request failed on a
    /// connection that closed without a reason: a TLS refusal (a client certificate missing or
    /// untrusted) is permanent and says what to pass, a network error would only be retried.
    async fn explained_net_error(&self, cfg: &LokiConfig, e: &reqwest::Error) -> LokiError {
        let err = self.net_error(cfg, e);
        if !matches!(err, LokiError::Network { .. }) {
            return err;
        }
        match self.transport.tls_refusal().await {
            Some(t) => LokiError::Tls {
                addr: self.transport.shown(),
                detail: super::tls::describe(&t, cfg.client_cert.is_some()),
            },
            None => err,
        }
    }

    fn net_error(&self, cfg: &LokiConfig, e: &reqwest::Error) -> LokiError {
        let addr = self.transport.shown();
        // A connect timeout is both `is_connect` and `is_timeout`: it never reached Loki, so it
        // is a (retried) connect failure, not a slow answer to the query.
        if e.is_connect() && e.is_timeout() {
            return LokiError::Connect {
                addr,
                detail: format!(
                    "no connection within {}s (nothing answered; a firewall may drop the \
                     packets)",
                    connect_timeout(cfg.timeout).as_secs_f64()
                ),
            };
        }
        if e.is_timeout() {
            return LokiError::Timeout {
                addr,
                after: cfg.timeout,
            };
        }
        if let Some(t) = super::tls::tls_cause(e) {
            return LokiError::Tls {
                addr,
                detail: super::tls::describe(t, cfg.client_cert.is_some()),
            };
        }
        let detail = root_cause(e);
        if e.is_connect() {
            LokiError::Connect { addr, detail }
        } else {
            LokiError::Network { addr, detail }
        }
    }
}

enum Capped {
    /// The error, and how many decoded bytes had come before it.
    Net(reqwest::Error, usize),
    TooBig(LokiError),
}

/// The body, decoded, refused as soon as it grows past `max` bytes (a gzip bomb or a runaway
/// answer is stopped at the cap, not after it has filled memory).
async fn read_capped(
    mut resp: reqwest::Response,
    max: usize,
    path: &str,
) -> Result<Vec<u8>, Capped> {
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| Capped::Net(e, out.len()))? {
        if out.len() + chunk.len() > max {
            return Err(Capped::TooBig(LokiError::TooBig {
                path: path.to_string(),
                limit_mib: max >> 20,
            }));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// How long establishing a connection may take: half the request timeout, at most 10 s. A
/// host that drops packets is then reported (and retried) as unreachable before the request
/// timeout, which would call it a slow answer, can fire.
pub(crate) fn connect_timeout(timeout: Duration) -> Duration {
    (timeout / 2).min(Duration::from_secs(10))
}

/// The innermost cause of an error (e.g. "Connection refused (os error 111)").
pub(crate) fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur: &(dyn std::error::Error + 'static) = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    let text = cur.to_string();
    if text.is_empty() { e.to_string() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connecting_gets_half_the_timeout_at_most_ten_seconds() {
        assert_eq!(
            connect_timeout(Duration::from_secs(2)),
            Duration::from_secs(1)
        );
        assert_eq!(
            connect_timeout(Duration::from_secs(60)),
            Duration::from_secs(10)
        );
    }

    #[test]
    fn builds_with_tls_options() {
        let cfg = LokiConfig {
            addr: "https://loki.example:3100/prefix/".into(),
            tls_skip_verify: true,
            ..LokiConfig::default()
        };
        let h = Http::new(&cfg).unwrap();
        assert_eq!(h.transport().base(), "https://loki.example:3100/prefix");
    }

    #[test]
    fn rejects_bad_addr_and_missing_files() {
        let bad = LokiConfig {
            addr: "localhost:3100".into(),
            ..LokiConfig::default()
        };
        assert!(Http::new(&bad).unwrap_err().to_string().contains("http://"));
        let missing = LokiConfig {
            ca_cert: Some("/nonexistent/ca.pem".into()),
            ..LokiConfig::default()
        };
        let msg = Http::new(&missing).unwrap_err().to_string();
        assert!(msg.contains("/nonexistent/ca.pem"), "{msg}");
        let half = LokiConfig {
            client_cert: Some("/x.pem".into()),
            ..LokiConfig::default()
        };
        assert!(Http::new(&half).unwrap_err().to_string().contains("--key"));
    }
}
