//! The HTTP layer: a reqwest client built from `LokiConfig` (TLS, auth, tenant, headers),
//! requests with retries (429/502/503/504 and network errors, jittered exponential backoff,
//! `Retry-After`) and redirects that never carry credentials or the tenant to another host.

use std::time::Duration;

use reqwest::{Method, StatusCode, Url};

use super::LokiConfig;
use super::error::{LokiError, from_status, retryable_status};

/// Longest wait a `Retry-After` header can impose.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const MAX_REDIRECTS: usize = 10;

/// Builds the reqwest client. Redirects are followed by hand (see [`Http::send`]).
pub fn build_client(cfg: &LokiConfig) -> Result<reqwest::Client, LokiError> {
    let mut b = reqwest::Client::builder()
        .use_rustls_tls()
        .timeout(cfg.timeout)
        .connect_timeout(cfg.timeout.min(Duration::from_secs(10)))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("vs-logs/", env!("CARGO_PKG_VERSION")))
        .gzip(true);
    if let Some(path) = &cfg.ca_cert {
        let pem = read(path, "CA certificate (--ca-cert)")?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            LokiError::Config(format!(
                "CA certificate {} is not valid PEM: {e}",
                path.display()
            ))
        })?;
        if certs.is_empty() {
            return Err(LokiError::Config(format!(
                "CA certificate {} holds no PEM certificate",
                path.display()
            )));
        }
        for c in certs {
            b = b.add_root_certificate(c);
        }
    }
    match (&cfg.client_cert, &cfg.client_key) {
        (Some(cert), Some(key)) => {
            let mut pem = read(cert, "client certificate (--cert)")?;
            pem.push(b'\n');
            pem.extend(read(key, "client key (--key)")?);
            let id = reqwest::Identity::from_pem(&pem).map_err(|e| {
                LokiError::Config(format!(
                    "client certificate {} / key {} are not a valid PEM pair: {e}",
                    cert.display(),
                    key.display()
                ))
            })?;
            b = b.identity(id);
        }
        (Some(_), None) | (None, Some(_)) => {
            return Err(LokiError::Config(
                "--cert and --key must be given together".into(),
            ));
        }
        (None, None) => {}
    }
    if cfg.tls_skip_verify {
        b = b.danger_accept_invalid_certs(true);
    }
    b.build()
        .map_err(|e| LokiError::Config(format!("cannot set up the HTTP client: {e}")))
}

fn read(path: &std::path::Path, what: &str) -> Result<Vec<u8>, LokiError> {
    std::fs::read(path)
        .map_err(|e| LokiError::Config(format!("cannot read the {what} {}: {e}", path.display())))
}

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

/// The configured client plus its base URL.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    base: String,
}

impl Http {
    pub fn new(cfg: &LokiConfig) -> Result<Self, LokiError> {
        let base = cfg.addr.trim().trim_end_matches('/').to_string();
        let parsed = Url::parse(&base).map_err(|e| {
            LokiError::Config(format!(
                "--addr {base:?} is not a URL ({e}); expected e.g. http://localhost:3100"
            ))
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(LokiError::Config(format!(
                "--addr {base:?} must start with http:// or https://"
            )));
        }
        Ok(Self {
            client: build_client(cfg)?,
            base,
        })
    }

    /// Sends `call`, retrying what may succeed on a second try, and returns the body of a 2xx.
    pub async fn send(&self, cfg: &LokiConfig, call: &Call<'_>) -> Result<Answer, LokiError> {
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let (err, retry_after) = match self.send_once(cfg, call, attempt).await {
                Ok(a) => return Ok(a),
                Err(e) => e,
            };
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
        let start = format!("{}{}", self.base, call.path);
        let mut url = Url::parse(&start)
            .map_err(|e| (LokiError::Config(format!("bad URL {start:?}: {e}")), None))?;
        if !call.params.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(call.params.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let origin = url.origin();
        let mut method = call.method.clone();
        let mut body = call.body.clone();
        let mut trusted = true;
        for _ in 0..=MAX_REDIRECTS {
            let mut rb = self.client.request(method.clone(), url.clone());
            if trusted {
                rb = with_credentials(rb, cfg);
            }
            if call.categorize {
                rb = rb.header("X-Loki-Response-Encoding-Flags", "categorize-labels");
            }
            if let Some((b, ct)) = &body {
                rb = rb
                    .header(reqwest::header::CONTENT_TYPE, *ct)
                    .body(b.clone());
            }
            let resp = rb
                .send()
                .await
                .map_err(|e| (self.net_error(cfg, &e), None))?;
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
            let bytes = resp
                .bytes()
                .await
                .map_err(|e| (self.net_error(cfg, &e), None))?;
            if status.is_success() {
                return Ok(Answer {
                    body: bytes.to_vec(),
                });
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
                self.base
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
            &self.base,
            call.path,
            status.as_u16(),
            content_type,
            body,
            attempt,
            &secrets,
        )
    }

    fn net_error(&self, cfg: &LokiConfig, e: &reqwest::Error) -> LokiError {
        let addr = self.base.clone();
        if e.is_timeout() {
            return LokiError::Timeout {
                addr,
                after: cfg.timeout,
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

/// Adds tenant, authentication and custom headers.
fn with_credentials(mut rb: reqwest::RequestBuilder, cfg: &LokiConfig) -> reqwest::RequestBuilder {
    if let Some(org) = &cfg.org_id {
        rb = rb.header("X-Scope-OrgID", org);
    }
    if let Some(t) = cfg.bearer_token.as_ref().filter(|t| !t.is_empty()) {
        rb = rb.bearer_auth(t.expose());
    } else if let Some(u) = &cfg.username {
        rb = rb.basic_auth(u, cfg.password.as_ref().map(|p| p.expose()));
    }
    for (k, v) in &cfg.headers {
        rb = rb.header(k, v);
    }
    rb
}

/// The tenant, authentication and custom headers for a connection made outside this client
/// (the tail websocket). Values are `Secret`s so a debug print cannot leak them.
pub fn credential_headers(cfg: &LokiConfig) -> Vec<(String, crate::secret::Secret)> {
    use crate::secret::Secret;
    let mut out = Vec::new();
    if let Some(org) = &cfg.org_id {
        out.push(("X-Scope-OrgID".to_string(), Secret::new(org.clone())));
    }
    if let Some(t) = cfg.bearer_token.as_ref().filter(|t| !t.is_empty()) {
        out.push((
            "Authorization".to_string(),
            Secret::new(format!("Bearer {}", t.expose())),
        ));
    } else if let Some(u) = &cfg.username {
        let pw = cfg.password.as_ref().map_or("", |p| p.expose());
        let token = base64(format!("{u}:{pw}").as_bytes());
        out.push((
            "Authorization".to_string(),
            Secret::new(format!("Basic {token}")),
        ));
    }
    for (k, v) in &cfg.headers {
        out.push((k.clone(), Secret::new(v.clone())));
    }
    out
}

use crate::base64::encode as base64;

/// The innermost cause of an error (e.g. "Connection refused (os error 111)").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
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
    fn credential_headers_for_the_tail() {
        assert_eq!(
            base64(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(base64(b"ab"), "YWI=");
        let cfg = LokiConfig {
            org_id: Some("t1".into()),
            username: Some("Aladdin".into()),
            password: Some(crate::secret::Secret::new("open sesame")),
            ..LokiConfig::default()
        };
        let h = credential_headers(&cfg);
        assert_eq!(h[0].0, "X-Scope-OrgID");
        assert_eq!(h[1].1.expose(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(!format!("{h:?}").contains("QWxh"));
    }

    #[test]
    fn builds_with_tls_options() {
        let cfg = LokiConfig {
            addr: "https://loki.example:3100/prefix/".into(),
            tls_skip_verify: true,
            ..LokiConfig::default()
        };
        let h = Http::new(&cfg).unwrap();
        assert_eq!(h.base, "https://loki.example:3100/prefix");
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
