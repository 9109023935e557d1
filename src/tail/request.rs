//! The tail request: URL (http→ws, https→wss, path prefix kept) and headers (auth, tenant,
//! extra headers, categorize-labels), built from the same `LokiConfig` as the HTTP client.

use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::client::Request;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};

use crate::loki::LokiConfig;

/// Parameters of one `/loki/api/v1/tail` connection.
#[derive(Debug, Clone, PartialEq)]
pub struct TailParams<'a> {
    pub query: &'a str,
    pub start_ns: i64,
    pub limit: usize,
    pub delay_for_s: u32,
    pub categorize_labels: bool,
}

/// Where a websocket goes: the URL plus what the TCP/TLS layer needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub tls: bool,
    pub host: String,
    pub port: u16,
}

/// Percent-encodes a query-string component (RFC 3986 unreserved characters pass).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub use crate::base64::encode as base64;

/// Splits `host[:port]` (IPv6 in brackets allowed).
pub fn split_host_port(authority: &str, default_port: u16) -> Result<(String, u16), String> {
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (h, after) = rest
            .split_once(']')
            .ok_or_else(|| format!("bad address {authority:?}"))?;
        (h.to_string(), after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (authority.to_string(), None),
        }
    };
    let port = match port {
        Some(p) => p
            .parse::<u16>()
            .map_err(|_| format!("bad port {p:?} in {authority:?}"))?,
        None => default_port,
    };
    if host.is_empty() {
        return Err(format!("no host in {authority:?}"));
    }
    Ok((host, port))
}

/// The websocket URL for `addr` (`http://host:3100/prefix` → `ws://host:3100/prefix/loki/...`).
pub fn target(addr: &str, p: &TailParams) -> Result<Target, String> {
    let addr = addr.trim().trim_end_matches('/');
    let (scheme, rest) = addr.split_once("://").ok_or_else(|| {
        format!("Loki address {addr:?} has no scheme: use e.g. http://localhost:3100")
    })?;
    let (ws, tls) = match scheme.to_ascii_lowercase().as_str() {
        "http" | "ws" => ("ws", false),
        "https" | "wss" => ("wss", true),
        other => {
            return Err(format!(
                "Loki address scheme {other:?} is not supported: use http:// or https://"
            ));
        }
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let (host, port) = split_host_port(authority, if tls { 443 } else { 80 })?;
    let mut url = format!(
        "{ws}://{authority}{path}/loki/api/v1/tail?query={}&limit={}&delay_for={}",
        encode_component(p.query),
        p.limit,
        p.delay_for_s
    );
    if p.start_ns > 0 {
        url.push_str(&format!("&start={}", p.start_ns));
    }
    Ok(Target {
        url,
        tls,
        host,
        port,
    })
}

/// The handshake request with every header the HTTP client would send.
pub fn build_request(cfg: &LokiConfig, t: &Target, p: &TailParams) -> Result<Request, String> {
    let mut req = t
        .url
        .as_str()
        .into_client_request()
        .map_err(|e| format!("bad Loki address {:?}: {e}", cfg.addr))?;
    let h = req.headers_mut();
    let value = |v: &str, what: &str| {
        HeaderValue::from_str(v)
            .map_err(|_| format!("{what} holds characters not allowed in a header"))
    };
    for (name, v) in &cfg.headers {
        let n = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| format!("--header {name:?} is not a valid header name"))?;
        h.append(n, value(v.trim(), &format!("--header {name:?}"))?);
    }
    if let Some(org) = &cfg.org_id {
        h.insert("X-Scope-OrgID", value(org, "--org-id")?);
    }
    if let Some(token) = cfg.bearer_token.as_ref().filter(|t| !t.is_empty()) {
        let mut v = value(&format!("Bearer {}", token.expose()), "the bearer token")?;
        v.set_sensitive(true);
        h.insert("Authorization", v);
    } else if let Some(user) = &cfg.username {
        let pass = cfg.password.as_ref().map(|p| p.expose()).unwrap_or("");
        let mut v = value(
            &format!("Basic {}", base64(format!("{user}:{pass}").as_bytes())),
            "--username/--password",
        )?;
        v.set_sensitive(true);
        h.insert("Authorization", v);
    }
    if p.categorize_labels {
        h.insert(
            "X-Loki-Response-Encoding-Flags",
            HeaderValue::from_static("categorize-labels"),
        );
    }
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn params() -> TailParams<'static> {
        TailParams {
            query: r#"{app="vs"} |= "a b""#,
            start_ns: 1_795_594_007_901_615_131,
            limit: 5,
            delay_for_s: 2,
            categorize_labels: true,
        }
    }

    #[test]
    fn url_keeps_prefix_and_switches_scheme() {
        let t = target("https://logs.example.com/loki-proxy/", &params()).unwrap();
        assert!(t.tls);
        assert_eq!((t.host.as_str(), t.port), ("logs.example.com", 443));
        assert_eq!(
            t.url,
            "wss://logs.example.com/loki-proxy/loki/api/v1/tail?query=%7Bapp%3D%22vs%22%7D%20%7C%3D%20%22a%20b%22&limit=5&delay_for=2&start=1795594007901615131"
        );
        let t = target("http://127.0.0.1:3100", &params()).unwrap();
        assert!(!t.tls && t.port == 3100 && t.url.starts_with("ws://127.0.0.1:3100/loki/"));
        assert!(target("localhost:3100", &params()).is_err());
        assert!(target("ftp://x", &params()).is_err());
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let v: Vec<String> = ["", "f", "fo", "foo", "foob", "fooba", "foobar"]
            .iter()
            .map(|s| base64(s.as_bytes()))
            .collect();
        assert_eq!(
            v,
            [
                "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"
            ]
        );
    }

    #[test]
    fn headers_carry_auth_tenant_extras_and_flag() {
        let cfg = LokiConfig {
            org_id: Some("team-a".into()),
            username: Some("u".into()),
            password: Some(Secret::new("p")),
            headers: vec![("X-Extra".into(), " v1 ".into())],
            ..LokiConfig::default()
        };
        let t = target(&cfg.addr, &params()).unwrap();
        let r = build_request(&cfg, &t, &params()).unwrap();
        let h = r.headers();
        assert_eq!(h["X-Scope-OrgID"], "team-a");
        assert_eq!(h["Authorization"], "Basic dTpw");
        assert_eq!(h["X-Extra"], "v1");
        assert_eq!(h["X-Loki-Response-Encoding-Flags"], "categorize-labels");
        assert!(!format!("{:?}", h["Authorization"]).contains("dTpw"));

        let cfg = LokiConfig {
            bearer_token: Some(Secret::new("tok")),
            username: Some("u".into()),
            ..LokiConfig::default()
        };
        let r = build_request(&cfg, &t, &params()).unwrap();
        assert_eq!(r.headers()["Authorization"], "Bearer tok");
    }

    #[test]
    fn bad_header_is_refused_without_echoing_the_value() {
        let cfg = LokiConfig {
            headers: vec![("X-A".into(), "bad\nvalue-secret".into())],
            ..LokiConfig::default()
        };
        let t = target(&cfg.addr, &params()).unwrap();
        let e = build_request(&cfg, &t, &params()).unwrap_err();
        assert!(e.contains("X-A") && !e.contains("secret"), "{e}");
    }
}
