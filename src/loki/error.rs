//! Every way talking to Loki can fail, each with a message that says what to do next, plus the
//! classification of an HTTP error response (status + body) into one of them.

use std::time::Duration;

/// Every way talking to Loki can fail, each with a message the user can act on.
///
/// No variant ever holds a credential: bodies that might echo one are scrubbed first.
#[derive(Debug, thiserror::Error)]
pub enum LokiError {
    /// A setting is unusable (bad address, unreadable CA file, …).
    #[error("{0}")]
    Config(String),
    /// Nothing answered at the address.
    #[error(
        "cannot connect to Loki at {addr}: {detail}. Is Loki running there? Set the address with --addr or LOKI_ADDR"
    )]
    Connect { addr: String, detail: String },
    /// TLS failed (unknown CA, wrong host name, client certificate refused): retrying cannot
    /// help, other settings can.
    #[error(
        "TLS with {addr} failed: {detail}. Use --ca-cert for a private CA, --cert/--key if Loki asks for a client certificate, or --tls-skip-verify"
    )]
    Tls { addr: String, detail: String },
    /// The connection broke while talking to Loki (reset, closed mid-body).
    #[error("network error talking to Loki at {addr}: {detail}")]
    Network { addr: String, detail: String },
    /// No complete answer within the configured timeout.
    #[error(
        "Loki at {addr} did not answer within {}s; raise --timeout or narrow the query (shorter range, smaller --limit)",
        .after.as_secs_f64()
    )]
    Timeout { addr: String, after: Duration },
    /// The answer began (status and headers came) but its body stopped arriving before the
    /// timeout: a stalled server or proxy, not a slow query.
    #[error(
        "Loki at {addr} began answering (HTTP {status}) but the answer stopped arriving: {} received when the {}s timeout ran out; retry, raise --timeout, or check a proxy between you and Loki",
        crate::output::plural(*.received, "byte", "bytes"), .after.as_secs_f64()
    )]
    Stalled {
        addr: String,
        status: u16,
        received: usize,
        after: Duration,
    },
    /// 400: Loki refused the query; its own message, verbatim.
    #[error("Loki rejected the query: {0}")]
    BadRequest(String),
    /// 401/403.
    #[error(
        "authentication failed (HTTP {status}) at {addr}{detail}: check --username/--password (LOKI_USERNAME/LOKI_PASSWORD), --bearer-token/--bearer-token-file (LOKI_BEARER_TOKEN/LOKI_BEARER_TOKEN_FILE) and --org-id (LOKI_ORG_ID)"
    )]
    Auth {
        status: u16,
        addr: String,
        /// `: <server text>` (scrubbed of secrets), or empty.
        detail: String,
    },
    /// 404: the endpoint does not exist there.
    #[error(
        "{path} not found at {addr} (HTTP 404): is this a Loki server, and does --addr carry the right path prefix?"
    )]
    NotFound { addr: String, path: String },
    /// 429 after every retry.
    #[error(
        "Loki is rate limiting requests (HTTP 429){detail}; gave up after {}. Wait, or narrow the query", crate::output::plural(*.attempts as usize, "attempt", "attempts")
    )]
    RateLimited { attempts: u32, detail: String },
    /// 5xx (after retries for 502/503/504).
    #[error("Loki at {addr} failed with HTTP {status}{detail}{hint}")]
    Server {
        addr: String,
        status: u16,
        detail: String,
        hint: &'static str,
    },
    /// Any other unexpected status.
    #[error("unexpected HTTP {status} from {addr}{detail}")]
    Http {
        addr: String,
        status: u16,
        detail: String,
    },
    /// The body was not the JSON Loki sends (cut short, or not from Loki).
    #[error(
        "could not read Loki's answer to {path}: {detail} (the response was cut short or is not Loki JSON; is --addr a Loki?)"
    )]
    Decode { path: String, detail: String },
    /// The answer grew past `--max-body-mb` (counted after decompression): a real answer too
    /// big to hold, or a gzip bomb; not a cut or foreign body, so no "is --addr a Loki?".
    #[error(
        "Loki's answer to {path} is larger than the {limit_mib} MiB limit (counted after decompression); narrow the query or raise --max-body-mb"
    )]
    TooBig { path: String, limit_mib: usize },
    #[error("{0}")]
    Other(String),
}

impl LokiError {
    /// The process exit code this error suggests: 2 settings, 3 unreachable/timeout,
    /// 4 authentication, 5 query rejected, 6 server-side failure, 1 anything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            LokiError::Config(_) => 2,
            LokiError::Connect { .. }
            | LokiError::Tls { .. }
            | LokiError::Network { .. }
            | LokiError::Timeout { .. }
            | LokiError::Stalled { .. } => 3,
            LokiError::Auth { .. } => 4,
            LokiError::BadRequest(_) => 5,
            LokiError::NotFound { .. }
            | LokiError::RateLimited { .. }
            | LokiError::Server { .. }
            | LokiError::Http { .. }
            | LokiError::Decode { .. }
            | LokiError::TooBig { .. } => 6,
            LokiError::Other(_) => 1,
        }
    }

    /// Whether sending the same request again may succeed (429, 502, 503, 504, network).
    pub fn is_retryable(&self) -> bool {
        match self {
            LokiError::Connect { .. }
            | LokiError::Network { .. }
            | LokiError::RateLimited { .. } => true,
            LokiError::Server { status, .. } => matches!(status, 502..=504),
            _ => false,
        }
    }
}

/// Whether a status is worth retrying.
pub fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Turns a non-success response into the error a user can act on.
///
/// `secrets` are removed from any server text quoted in the message.
pub fn from_status(
    addr: &str,
    path: &str,
    status: u16,
    content_type: &str,
    body: &[u8],
    attempts: u32,
    secrets: &[&str],
) -> LokiError {
    let text = body_text(content_type, body, secrets);
    let detail = if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    };
    let addr = addr.to_string();
    match status {
        400 => LokiError::BadRequest(if text.is_empty() {
            "HTTP 400 with no explanation".into()
        } else {
            text
        }),
        401 | 403 => LokiError::Auth {
            status,
            addr,
            detail,
        },
        404 => LokiError::NotFound {
            addr,
            path: path.to_string(),
        },
        429 => LokiError::RateLimited { attempts, detail },
        500..=599 => LokiError::Server {
            addr,
            status,
            detail,
            hint: match (status, attempts) {
                (502..=504, 0..=1) => " (a proxy or gateway in front of Loki, or Loki overloaded)",
                (502..=504, _) => {
                    " (a proxy or gateway in front of Loki, or Loki overloaded; retried, still failing)"
                }
                _ => "",
            },
        },
        _ => LokiError::Http {
            addr,
            status,
            detail,
        },
    }
}

/// A body that did not decode: says so, and names an HTML page (a login or error page from a
/// proxy answering 200) by its title instead of quoting a JSON parser's complaint about `<`.
pub fn decode_error(path: &str, detail: String, body: &[u8]) -> LokiError {
    let head = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| body[i]);
    let detail = if head == Some(b'<') {
        format!("got {} instead of JSON", body_text("", body, &[]))
    } else {
        detail
    };
    LokiError::Decode {
        path: path.to_string(),
        detail,
    }
}

/// The server's text made fit for one message: HTML pages summarised by their title, other
/// bodies trimmed and shortened, secrets replaced by `***`.
pub fn body_text(content_type: &str, body: &[u8], secrets: &[&str]) -> String {
    let raw = String::from_utf8_lossy(body);
    let trimmed = raw.trim();
    let looks_html = content_type.to_ascii_lowercase().contains("html")
        || trimmed
            .get(..15)
            .is_some_and(|s| s.to_ascii_lowercase().starts_with("<!doctype html"))
        || trimmed
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("<html"));
    let mut text = if looks_html {
        match html_title(trimmed) {
            Some(t) => format!("HTML page \"{t}\" (from a proxy in front of Loki?)"),
            None => "an HTML page (from a proxy in front of Loki?)".to_string(),
        }
    } else {
        shorten(trimmed, 2000)
    };
    for s in secrets.iter().filter(|s| s.len() >= 3) {
        text = text.replace(s, "***");
    }
    crate::secret::redact(&text)
}

/// The text of the first `<title>` (or `<h1>`) element, whitespace collapsed.
fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    for tag in ["title", "h1"] {
        let open = format!("<{tag}");
        let Some(start) = lower.find(&open) else {
            continue;
        };
        let Some(gt) = lower[start..].find('>') else {
            continue;
        };
        let content_start = start + gt + 1;
        let Some(end) = lower[content_start..].find(&format!("</{tag}")) else {
            continue;
        };
        let inner = html.get(content_start..content_start + end)?;
        let collapsed = inner.split_whitespace().collect::<Vec<_>>().join(" ");
        if !collapsed.is_empty() {
            return Some(shorten(&collapsed, 200));
        }
    }
    None
}

fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut cut = max;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}… ({} bytes)", &s[..cut], s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_summarised_by_title() {
        let page = b"<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        let e = from_status("http://x", "/p", 504, "text/html", page, 4, &[]);
        let msg = e.to_string();
        assert!(msg.contains("HTTP 504"), "{msg}");
        assert!(msg.contains("\"504 Gateway Time-out\""), "{msg}");
        assert!(!msg.contains("<center>"), "{msg}");
        assert_eq!(e.exit_code(), 6);
    }

    #[test]
    fn a_gateway_error_says_retried_only_when_it_was() {
        let once = from_status("http://x", "/p", 502, "text/plain", b"", 1, &[]).to_string();
        assert!(
            once.contains("a proxy or gateway") && !once.contains("retried"),
            "{once}"
        );
        let again = from_status("http://x", "/p", 502, "text/plain", b"", 4, &[]).to_string();
        assert!(again.contains("retried, still failing"), "{again}");
    }

    #[test]
    fn bad_request_is_verbatim() {
        let body = b"parse error at line 1, col 37: syntax error: unexpected $end";
        let e = from_status("a", "/p", 400, "text/plain; charset=utf-8", body, 1, &[]);
        assert_eq!(
            e.to_string(),
            "Loki rejected the query: parse error at line 1, col 37: syntax error: unexpected $end"
        );
        assert!(!e.is_retryable());
        assert_eq!(e.exit_code(), 5);
    }

    #[test]
    fn auth_scrubs_secrets() {
        let e = from_status(
            "a",
            "/p",
            401,
            "text/plain",
            b"bad token hunter22",
            1,
            &["hunter22"],
        );
        let msg = e.to_string();
        assert!(!msg.contains("hunter22"), "{msg}");
        assert!(msg.contains("authentication failed (HTTP 401)"), "{msg}");
        assert!(msg.contains("LOKI_PASSWORD"), "{msg}");
    }

    #[test]
    fn retry_classification() {
        for s in [429u16, 502, 503, 504] {
            assert!(retryable_status(s));
        }
        for s in [400u16, 401, 404, 500] {
            assert!(!retryable_status(s));
        }
    }

    #[test]
    fn html_instead_of_json_is_named() {
        let e = decode_error(
            "/p",
            "expected value".into(),
            b"<!DOCTYPE html><html><head><title>Sign in</title>",
        );
        assert!(e.to_string().contains("got HTML page \"Sign in\""), "{e}");
    }

    #[test]
    fn long_bodies_are_shortened() {
        let body = "x".repeat(5000);
        let t = body_text("text/plain", body.as_bytes(), &[]);
        assert!(t.len() < 2100);
        assert!(t.ends_with("(5000 bytes)"));
    }
}
