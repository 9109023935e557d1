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
        // Tabs and C1 controls pass HTTP's own check but are never part of a real credential
        // (a stray paste, a file with escapes): refuse them before anything is sent.
        if v.chars().any(char::is_control) {
            return Err(LokiError::Config(format!(
                "{what} holds a control character, which no credential or header value can \
                 contain; nothing was sent (the value is not shown)"
            )));
        }
        let mut v = HeaderValue::from_str(v).map_err(|_| bad(what))?;
        v.set_sensitive(true);
        Ok(v)
    };
    remember_all(cfg);
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
        let v = value(
            &format!("Bearer {}", token.expose()),
            "the bearer token (--bearer-token, --bearer-token-file or LOKI_BEARER_TOKEN)",
        )?;
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

/// Tells the one redaction path ([`crate::secret::redact`]) every secret this run holds.
fn remember_all(cfg: &LokiConfig) {
    use crate::secret::{is_secret_header, remember, remember_url};
    remember_url(&cfg.addr);
    for (name, v) in &cfg.headers {
        if is_secret_header(name) {
            remember(v);
            // `Basic <b64>` / `Bearer <tok>`: the credential part on its own too.
            if let Some((_, cred)) = v.trim().split_once(' ') {
                remember(cred);
            }
        }
    }
    if let Some(t) = &cfg.bearer_token {
        remember(t.expose());
    }
    if let Some(p) = &cfg.password {
        remember(p.expose());
        let user = cfg.username.as_deref().unwrap_or("");
        remember(&base64(format!("{user}:{}", p.expose()).as_bytes()));
    }
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
    fn control_characters_are_refused_naming_the_flag_not_the_value() {
        for bad in [
            "a\tsecret-1",
            "a\u{85}secret-1",
            "a\u{1}secret-1",
            "a\u{7f}secret-1",
        ] {
            let cfg = LokiConfig {
                headers: vec![("X-Api-Key".into(), bad.into())],
                ..LokiConfig::default()
            };
            let e = Transport::new(&cfg).unwrap_err();
            let m = e.to_string();
            assert!(matches!(e, LokiError::Config(_)), "{e:?}");
            assert!(
                m.contains("--header \"X-Api-Key\" holds a control character"),
                "{m}"
            );
            assert!(!m.contains("secret-1"), "{m}");
            let cfg = LokiConfig {
                bearer_token: Some(Secret::new(bad)),
                ..LokiConfig::default()
            };
            let m = Transport::new(&cfg).unwrap_err().to_string();
            assert!(
                m.contains("--bearer-token") && m.contains("control character"),
                "{m}"
            );
            assert!(!m.contains("secret-1"), "{m}");
        }
        // Ordinary non-ASCII text is not a control character (HTTP allows it as opaque bytes).
        let cfg = LokiConfig {
            headers: vec![("X-Team".into(), "sécurité".into())],
            ..LokiConfig::default()
        };
        assert!(Transport::new(&cfg).is_ok());
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
