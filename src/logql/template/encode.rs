//! Encodings templates offer: URL query escaping, base64, JSON, Go quoting, HTML/JS escaping.

use super::value::Value;

/// Go's `url.QueryEscape`: unreserved bytes kept, space as `+`, the rest `%XX`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Go's `url.QueryUnescape`: `+` is a space; a bad `%` escape is an error.
pub fn query_unescape(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'%' => {
                let hex = s
                    .get(k + 1..k + 3)
                    .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()));
                let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) else {
                    let bad: String = s[k..].chars().take(3).collect();
                    return Err(format!("invalid URL escape {bad:?}"));
                };
                out.push(v);
                k += 3;
            }
            b'+' => {
                out.push(b' ');
                k += 1;
            }
            c => {
                out.push(c);
                k += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn b64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (k, &b)| acc | (u32::from(b) << (16 - 8 * k)));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base64.StdEncoding.DecodeString`: the error is the byte offset Go reports
/// (`illegal base64 data at input byte N`). `\r` and `\n` are skipped, as Go does.
pub fn b64_decode_go(text: &str) -> Result<Vec<u8>, usize> {
    let src = text.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        let mut quad = [0u32; 4];
        let mut j = 0;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if c == b'\r' || c == b'\n' {
                continue;
            }
            if c == b'=' {
                // Padding: only in the last two places of a quantum, then nothing but newlines.
                match j {
                    0 | 1 => return Err(si - 1),
                    2 => {
                        while si < src.len() && (src[si] == b'\r' || src[si] == b'\n') {
                            si += 1;
                        }
                        if si == src.len() || src[si] != b'=' {
                            return Err(si.min(src.len()));
                        }
                        si += 1;
                    }
                    _ => {}
                }
                while si < src.len() && (src[si] == b'\r' || src[si] == b'\n') {
                    si += 1;
                }
                if si < src.len() {
                    return Err(si);
                }
                let n = (quad[0] << 18) | (quad[1] << 12) | (quad[2] << 6) | quad[3];
                let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
                out.extend_from_slice(&bytes[..j - 1]);
                return Ok(out);
            }
            match B64.iter().position(|&x| x == c) {
                Some(v) => quad[j] = v as u32,
                None => return Err(si - 1),
            }
            j += 1;
        }
        let n = (quad[0] << 18) | (quad[1] << 12) | (quad[2] << 6) | quad[3];
        out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    Ok(out)
}

/// Go's `json.Marshal` of a value (HTML-safe escaping, as Go does by default).
pub fn to_json(v: &Value) -> String {
    match v {
        Value::Str(s) => json_string(s),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_finite() => {
            let a = f.abs();
            if a != 0.0 && !(1e-6..1e21).contains(&a) {
                super::value::format_g(*f, None, 0)
                    .replace("e-0", "e-")
                    .replace("e+0", "e+")
            } else {
                format!("{f}")
            }
        }
        Value::Bool(b) => b.to_string(),
        Value::Time(ns) => {
            let t = chrono::DateTime::<chrono::Utc>::from_timestamp_nanos(*ns);
            json_string(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        }
        Value::Labels => "{}".into(),
        Value::Json(v) => v.to_string(),
        Value::Float(_) | Value::Nil => "null".into(),
    }
}

/// A JSON string as Go writes it: serde_json's escaping plus Go's HTML-safe `\u003c`, `\u003e`,
/// `\u0026` and the line/paragraph separators.
fn json_string(s: &str) -> String {
    let out = serde_json::to_string(s).unwrap_or_default();
    if !out.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return out;
    }
    out.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Go's `template.HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_roundtrip() {
        for s in ["", "f", "fo", "foo", "foob", "fooba", "foobar", "é漏"] {
            assert_eq!(
                b64_decode_go(&b64_encode(s.as_bytes())).unwrap(),
                s.as_bytes()
            );
        }
        assert_eq!(b64_encode(b"fo"), "Zm8=");
        assert_eq!(b64_decode_go("abc"), Err(0));
        assert_eq!(b64_decode_go("db.pool.status"), Err(2));
        assert!(b64_decode_go("a=bc").is_err());
    }

    #[test]
    fn url_and_quote() {
        assert_eq!(query_unescape("%41%2b+x").unwrap(), "A+ x");
        assert_eq!(
            query_unescape("%zz").unwrap_err(),
            "invalid URL escape \"%zz\""
        );
        assert_eq!(crate::logql::go_quote("a\u{1b}b\n"), "\"a\\x1bb\\n\"");
        assert_eq!(
            html_escape("<a href='x'>&"),
            "&lt;a href=&#39;x&#39;&gt;&amp;"
        );
        assert_eq!(js_escape("a'b<"), "a\\'b\\u003C");
    }

    #[test]
    fn json_values() {
        assert_eq!(to_json(&Value::Float(1.5)), "1.5");
        assert_eq!(to_json(&Value::Float(1e21)), "1e+21");
        assert_eq!(to_json(&Value::Str("\u{1b}".into())), "\"\\u001b\"");
        assert_eq!(to_json(&Value::Nil), "null");
        // Go's encoding/json: HTML-safe, separators escaped, `\b` and `\f` by name.
        assert_eq!(
            to_json(&Value::Str("<a&b>\u{2028}\x08\x0c".into())),
            r#""\u003ca\u0026b\u003e\u2028\b\f""#
        );
        assert_eq!(to_json(&Value::Time(0)), "\"1970-01-01T00:00:00Z\"");
    }
}
