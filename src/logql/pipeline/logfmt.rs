//! `| logfmt` scanning with the go-logfmt rules Loki follows: `key=value`, `key="quoted \"v\""`,
//! bare `key` (no value); every byte up to and including space (control bytes too) separates.
//! [`scan`] stops at the first syntax error (a key holding `"`, a stray `=`), keeping what was
//! found before it (`--strict`); [`scan_lenient`] skips the broken token and goes on, as
//! Loki's non-strict parser does (a traceback inside a JSON line yields `idx="_w(s,"`).

use std::borrow::Cow;

/// A syntax error: byte position and Go's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogfmtError {
    pub pos: usize,
    pub msg: &'static str,
}

impl LogfmtError {
    /// `__error_details__` text.
    pub fn details(&self) -> String {
        format!("logfmt syntax error at pos {} : {}", self.pos + 1, self.msg)
    }
}

fn is_space(c: u8) -> bool {
    c <= b' '
}

/// Calls `emit(key, value)` for each pair (`value` is `None` for a bare key).
pub fn scan<'a>(
    line: &'a str,
    emit: &mut dyn FnMut(&'a str, Option<Cow<'a, str>>),
) -> Result<(), LogfmtError> {
    scan_from(line, 0, emit)
}

/// Like [`scan`], but a syntax error only skips the rest of its token.
pub fn scan_lenient<'a>(line: &'a str, emit: &mut dyn FnMut(&'a str, Option<Cow<'a, str>>)) {
    let b = line.as_bytes();
    let mut p = 0;
    while let Err(e) = scan_from(line, p, emit) {
        p = e.pos + 1;
        while p < b.len() && !is_space(b[p]) {
            p += 1;
        }
        if p >= b.len() {
            return;
        }
    }
}

fn scan_from<'a>(
    line: &'a str,
    from: usize,
    emit: &mut dyn FnMut(&'a str, Option<Cow<'a, str>>),
) -> Result<(), LogfmtError> {
    let b = line.as_bytes();
    let mut p = from;
    let err = |pos: usize, msg: &'static str| LogfmtError { pos, msg };
    loop {
        while p < b.len() && is_space(b[p]) {
            p += 1;
        }
        if p >= b.len() {
            return Ok(());
        }
        // key
        let start = p;
        while p < b.len() {
            let c = b[p];
            if c == b'=' || is_space(c) {
                break;
            }
            if c == b'"' {
                return Err(err(p, "unexpected '\"'"));
            }
            p += 1;
        }
        if p == start {
            return Err(err(p, "unexpected '='"));
        }
        let key = &line[start..p];
        if p >= b.len() || is_space(b[p]) {
            emit(key, None);
            continue;
        }
        // '='
        p += 1;
        if p >= b.len() || is_space(b[p]) {
            emit(key, Some(Cow::Borrowed("")));
            continue;
        }
        if b[p] == b'"' {
            p += 1;
            let vstart = p;
            let mut escaped = false;
            loop {
                if p >= b.len() {
                    return Err(err(p, "unterminated quoted value"));
                }
                match b[p] {
                    b'\\' => {
                        escaped = true;
                        p += 2;
                    }
                    b'"' => break,
                    _ => p += 1,
                }
            }
            let raw = &line[vstart..p];
            p += 1;
            let v = if escaped {
                Cow::Owned(unquote(raw))
            } else {
                Cow::Borrowed(raw)
            };
            emit(key, Some(v));
            if p < b.len() && !is_space(b[p]) {
                return Err(err(p, "missing space after quoted value"));
            }
        } else {
            let vstart = p;
            while p < b.len() && !is_space(b[p]) {
                match b[p] {
                    b'=' => return Err(err(p, "unexpected '='")),
                    b'"' => return Err(err(p, "unexpected '\"'")),
                    _ => p += 1,
                }
            }
            emit(key, Some(Cow::Borrowed(&line[vstart..p])));
        }
    }
}

/// Go-style unquoting of a logfmt quoted value body (invalid escapes kept as written).
fn unquote(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('u') => {
                let h: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&h, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&h);
                    }
                }
            }
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(line: &str) -> (Vec<(String, Option<String>)>, Option<LogfmtError>) {
        let mut out = Vec::new();
        let r = scan(line, &mut |k, v| {
            out.push((k.to_string(), v.map(Cow::into_owned)))
        });
        (out, r.err())
    }

    #[test]
    fn console_line() {
        let (kv, e) = all(
            r#"2026-11-25T00:42:50Z [warning] github.rate_limit  msg="rate limit hit" repo=expressjs/express remaining=0 k="a \"q\"" empty="#,
        );
        assert!(e.is_none());
        let s = |a: &str, b: Option<&str>| (a.to_string(), b.map(str::to_string));
        assert_eq!(
            kv,
            vec![
                s("2026-11-25T00:42:50Z", None),
                s("[warning]", None),
                s("github.rate_limit", None),
                s("msg", Some("rate limit hit")),
                s("repo", Some("expressjs/express")),
                s("remaining", Some("0")),
                s("k", Some("a \"q\"")),
                s("empty", Some(""))
            ]
        );
    }

    #[test]
    fn stops_at_errors() {
        // Control bytes separate (go-logfmt); a quote in a key is Loki's `unexpected '"'`.
        let (kv, e) = all("\x1b[2mts\x1b[0m a=b \"k");
        assert_eq!(kv.len(), 3);
        assert_eq!(
            e.unwrap().details(),
            "logfmt syntax error at pos 16 : unexpected '\"'"
        );
        let (kv, e) = all(r#"{"event":"x"}"#);
        assert!(kv.is_empty() && e.is_some());
        let (kv, e) = all("a=1 b=2=3 c=4");
        assert_eq!(kv.len(), 1);
        assert!(e.is_some());
        assert!(all("a=\"open").1.is_some());
        assert!(all("=x").1.is_some());
    }

    #[test]
    fn lenient_skips_broken_tokens() {
        let mut out = Vec::new();
        scan_lenient(
            r#"{"e":"x  obj, end = self.raw_decode(s, idx=_w(s, 0).end())\n"#,
            &mut |k, v| out.push((k.to_string(), v.map(Cow::into_owned))),
        );
        let with_values: Vec<_> = out.iter().filter(|(_, v)| v.is_some()).collect();
        assert_eq!(
            with_values,
            vec![&("idx".to_string(), Some("_w(s,".to_string()))],
            "{out:?}"
        );
    }
}
