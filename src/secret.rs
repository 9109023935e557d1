//! A credential that never shows itself: `Debug` and `Display` print `***`, so a password or
//! token cannot leak through an error message, a debug dump or a panic.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    /// The secret itself, for the one place that must send it (an HTTP header).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Every secret this run holds (passwords, tokens, token-file contents, secret header values,
/// URL userinfo, and their base64 forms), so [`redact`] can remove them from any text.
static KNOWN: std::sync::RwLock<Vec<String>> = std::sync::RwLock::new(Vec::new());

/// Header names whose values are credentials wherever they appear in text.
const SECRET_HEADERS: &[&str] = &[
    "proxy-authorization",
    "authorization",
    "set-cookie",
    "cookie",
    "x-api-key",
    "api-key",
    "apikey",
    "x-auth-token",
    "x-access-token",
    "private-token",
];

/// Whether a header (or setting) with this name carries a credential: Authorization, Cookie,
/// `*-Key`, `*-Token`, anything naming auth, a password, a secret or a session.
pub fn is_secret_header(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    SECRET_HEADERS.contains(&n.as_str())
        || [
            "auth",
            "password",
            "passwd",
            "secret",
            "session",
            "cookie",
            "credential",
        ]
        .iter()
        .any(|w| n.contains(w))
        || ["-key", "_key", "-token", "_token", "apikey"]
            .iter()
            .any(|w| n.ends_with(w))
}

/// Remembers a secret for [`redact`], with its base64 forms (a server may echo a Basic
/// credential). Short values (< 4 bytes) are not remembered: replacing them would mangle text.
pub fn remember(secret: &str) {
    let s = secret.trim();
    if s.len() < 4 {
        return;
    }
    let mut forms = vec![s.to_string()];
    let b64 = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(s.as_bytes())
    };
    forms.push(b64.trim_end_matches('=').to_string());
    if let Ok(mut known) = KNOWN.write() {
        for f in forms {
            if f.len() >= 4 && !known.contains(&f) {
                known.push(f);
            }
        }
        // Longest first, so a secret containing another is replaced whole.
        known.sort_by_key(|k| std::cmp::Reverse(k.len()));
    }
}

/// Remembers a URL's userinfo (`user:password@`) and its percent-decoded password.
pub fn remember_url(url: &str) {
    if let Some((_, info, _)) = userinfo_span(url, 0) {
        let info = &url[info.clone()];
        remember(info);
        if let Some((_, pass)) = info.split_once(':') {
            remember(pass);
            let decoded = percent_encoding::percent_decode_str(pass).decode_utf8_lossy();
            remember(&decoded);
        }
    }
}

/// The one redaction path: every known secret (and its base64 forms), URL userinfo,
/// `Basic`/`Bearer` credentials and the values of Authorization/Cookie/API-key-style headers
/// become `***`. Used wherever a URL, header, setting or server body is put into text.
pub fn redact(text: &str) -> String {
    let mut out = redact_userinfo(text);
    out = redact_schemes(&out);
    out = redact_headers(&out);
    if let Ok(known) = KNOWN.read() {
        for k in known.iter() {
            if out.contains(k.as_str()) {
                out = out.replace(k.as_str(), "***");
            }
        }
    }
    out
}

/// Byte range of the scheme end, the userinfo and the `@` of the first URL at or after `from`.
fn userinfo_span(text: &str, from: usize) -> Option<(usize, std::ops::Range<usize>, usize)> {
    let start = from + text[from..].find("://")? + 3;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '"' | '\'' | '<' | '>'))
        .unwrap_or(rest.len());
    let at = rest[..end].rfind('@')?;
    Some((start, start..start + at, start + at))
}

fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(i) = text[pos..].find("://") {
        let start = pos + i + 3;
        out.push_str(&text[pos..start]);
        pos = start;
        if let Some((_, info, at)) = userinfo_span(text, start - 3)
            && info.start == start
        {
            out.push_str("***");
            pos = at;
        }
    }
    out.push_str(&text[pos..]);
    out
}

/// `Basic <x>` / `Bearer <x>` / `Token <x>` anywhere (an echoed Authorization header).
fn redact_schemes(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while pos < text.len() {
        let next = ["basic ", "bearer ", "token "]
            .iter()
            .filter_map(|w| lower[pos..].find(w).map(|i| (pos + i, w.len())))
            .min();
        let Some((i, len)) = next else { break };
        let word_start = i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphanumeric();
        let vstart = i + len;
        let vlen = text[vstart..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || "+/=-_.~:".contains(c)))
            .unwrap_or(text.len() - vstart);
        out.push_str(&text[pos..vstart]);
        // A credential is one long token; "basic auth" in prose is left alone.
        if word_start && vlen >= 8 {
            out.push_str("***");
        } else {
            out.push_str(&text[vstart..vstart + vlen]);
        }
        pos = vstart + vlen;
    }
    out.push_str(&text[pos..]);
    out
}

/// The value after `Authorization:` / `"cookie": "` / `X-API-Key=` and any other name
/// [`is_secret_header`] knows.
fn redact_headers(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !matches!(bytes[i], b':' | b'=') {
            i += 1;
            continue;
        }
        // The name before it: an optional closing quote and spaces, then [A-Za-z0-9_-]+.
        let mut k = i;
        while k > pos && bytes[k - 1] == b' ' {
            k -= 1;
        }
        if k > pos && matches!(bytes[k - 1], b'"' | b'\'') {
            k -= 1;
        }
        let name_end = k;
        while k > pos
            && (bytes[k - 1].is_ascii_alphanumeric() || matches!(bytes[k - 1], b'-' | b'_'))
        {
            k -= 1;
        }
        if k == name_end || !is_secret_header(&text[k..name_end]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while bytes
            .get(j)
            .is_some_and(|b| matches!(b, b' ' | b'"' | b'\'' | b'['))
        {
            j += 1;
        }
        let vlen = text[j..]
            .find(['"', '\'', '\n', '\r', ',', '}', ']'])
            .unwrap_or(text.len() - j);
        out.push_str(&text[pos..j]);
        if vlen > 0 {
            out.push_str("***");
        }
        pos = j + vlen;
        i = pos.max(i + 1);
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(b: &[u8]) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(b)
    }

    #[test]
    fn never_prints_itself() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?} {s}").contains("hunter2"));
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn redacts_userinfo_schemes_headers_and_known_secrets() {
        let t = redact("cannot connect to http://admin:s3cr3t@host:3100/x and https://h/y");
        assert_eq!(
            t,
            "cannot connect to http://***@host:3100/x and https://h/y"
        );
        let basic = b64(b"admin:pw-echoed");
        let t = redact(&format!("echo: Authorization: Basic {basic}\nok"));
        assert!(!t.contains(&basic) && t.contains("ok"), "{t}");
        let t = redact(r#"{"headers":{"Cookie":"sid=abc123","X-Api-Key":"k-999"}}"#);
        assert!(!t.contains("abc123") && !t.contains("k-999"), "{t}");
        assert_eq!(redact("use basic auth"), "use basic auth");
        remember("tok-from-file-77");
        let b64 = b64(b"tok-from-file-77");
        let t = redact(&format!("x tok-from-file-77 y {b64}"));
        assert!(
            !t.contains("tok-from-file") && !t.contains(&b64[..12]),
            "{t}"
        );
        remember_url("http://u:p%40ss-word9@h");
        assert!(!redact("said p@ss-word9").contains("p@ss-word9"));
        assert!(is_secret_header("X-API-Key") && !is_secret_header("X-Scope-OrgID"));
        assert!(!is_secret_header("monkey") && is_secret_header("bearer_token"));
        let t = redact("X-Custom-Auth: v-1\nparse error at line 1, col 3: unexpected token: {");
        assert_eq!(
            t,
            "X-Custom-Auth: ***\nparse error at line 1, col 3: unexpected token: {"
        );
    }
}
