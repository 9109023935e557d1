//! The credentials a run sends to Loki (tenant, basic or bearer auth, `--header`s) as one
//! validated header map: the single place that knows every secret header value, so HTTP and
//! the tail websocket send the same ones and nothing prints them.

use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::{LokiConfig, LokiError};

/// Standard base64 with padding (basic auth).
pub fn base64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Tenant, authentication and custom headers, validated once (a bad value is a settings
/// error that never echoes the value) and marked sensitive so no debug print shows them.
pub fn headers(cfg: &LokiConfig) -> Result<HeaderMap, LokiError> {
    let bad = |what: &str| {
        LokiError::Config(format!(
            "{what} holds characters not allowed in an HTTP header"
        ))
    };
    let value = |v: &str, what: &str| -> Result<HeaderValue, LokiError> {
        let mut v = HeaderValue::from_str(v).map_err(|_| bad(what))?;
        v.set_sensitive(true);
        Ok(v)
    };
    let mut h = HeaderMap::new();
    for (name, v) in &cfg.headers {
        let n = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
            LokiError::Config(format!("--header {name:?} is not a valid header name"))
        })?;
        h.append(n, value(v.trim(), &format!("--header {name:?}"))?);
    }
    if let Some(org) = &cfg.org_id {
        h.insert("X-Scope-OrgID", value(org, "--org-id")?);
    }
    if let Some(token) = cfg.bearer_token.as_ref().filter(|t| !t.is_empty()) {
        let v = value(&format!("Bearer {}", token.expose()), "the bearer token")?;
        h.insert(reqwest::header::AUTHORIZATION, v);
    } else if let Some(user) = &cfg.username {
        let pass = cfg.password.as_ref().map_or("", |p| p.expose());
        let basic = format!("Basic {}", base64(format!("{user}:{pass}").as_bytes()));
        h.insert(
            reqwest::header::AUTHORIZATION,
            value(&basic, "--username/--password")?,
        );
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::super::transport::Transport;
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn credential_headers_carry_auth_tenant_and_extras() {
        assert_eq!(
            base64(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(base64(b"ab"), "YWI=");
        let cfg = LokiConfig {
            org_id: Some("team-a".into()),
            username: Some("Aladdin".into()),
            password: Some(Secret::new("open sesame")),
            headers: vec![("X-Extra".into(), " v1 ".into())],
            ..LokiConfig::default()
        };
        let t = Transport::new(&cfg).unwrap();
        let h = t.credentials();
        assert_eq!(h["X-Scope-OrgID"], "team-a");
        assert_eq!(h["Authorization"], "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(h["X-Extra"], "v1");
        assert!(!format!("{h:?} {t:?}").contains("QWxh"));

        let cfg = LokiConfig {
            bearer_token: Some(Secret::new("tok")),
            username: Some("u".into()),
            ..LokiConfig::default()
        };
        let t = Transport::new(&cfg).unwrap();
        assert_eq!(t.credentials()["Authorization"], "Bearer tok");
    }

    #[test]
    fn bad_header_is_refused_without_echoing_the_value() {
        let cfg = LokiConfig {
            headers: vec![("X-A".into(), "bad\nvalue-secret".into())],
            ..LokiConfig::default()
        };
        let e = Transport::new(&cfg).unwrap_err().to_string();
        assert!(e.contains("X-A") && !e.contains("secret"), "{e}");
        let cfg = LokiConfig {
            bearer_token: Some(Secret::new("s3cr3t\u{7}x")),
            ..LokiConfig::default()
        };
        let e = Transport::new(&cfg).unwrap_err();
        assert!(matches!(e, LokiError::Config(_)) && !e.to_string().contains("s3cr3t"));
    }
}
