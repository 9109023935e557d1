//! String functions (`ToUpper`, `trunc`, `replace`, `regexReplaceAll`, `toJson`, …), with the
//! argument order Sprig and Loki use: the subject string comes last, so it can be piped in.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::Regex;

use super::encode;
use super::funcs::{arity, i, min_arity, s};
use super::value::Value;
use crate::logql::ast::Conversion;
use crate::logql::sample::convert;

thread_local! {
    /// Compiled regexes of `regexReplaceAll`/`count`: a template runs once per line, and the
    /// pattern is almost always a literal.
    static REGEXES: RefCell<HashMap<String, Regex>> = RefCell::new(HashMap::new());
}

/// Compiles a Go (RE2) regex, reusing earlier compilations on this thread.
fn cached_regex(pattern: &str) -> Result<Regex, String> {
    REGEXES.with(|cache| {
        if let Some(re) = cache.borrow().get(pattern) {
            return Ok(re.clone());
        }
        let re = crate::logql::regex_go::compile(pattern)?;
        let mut cache = cache.borrow_mut();
        if cache.len() >= 64 {
            cache.clear();
        }
        cache.insert(pattern.to_string(), re.clone());
        Ok(re)
    })
}

/// Largest string a padding or repeating function may build (a guard against `repeat 1e12`).
pub const MAX_OUTPUT: usize = 1 << 24;

/// A width argument, refused past [`MAX_OUTPUT`].
fn width(v: &Value) -> Result<usize, String> {
    let n = usize::try_from(i(v)?).unwrap_or(0);
    if n > MAX_OUTPUT {
        return Err(format!("width {n} is too large"));
    }
    Ok(n)
}

/// Calls a string function; `None` when `name` is not one.
pub fn call(name: &str, a: &[Value]) -> Result<Option<Value>, String> {
    let str1 = |f: fn(&str) -> String| -> Result<Value, String> {
        arity(name, a, 1)?;
        Ok(Value::Str(f(s(&a[0])?)))
    };
    let v = match name {
        "ToUpper" | "toUpper" | "upper" => str1(str::to_uppercase),
        "ToLower" | "toLower" | "lower" => str1(str::to_lowercase),
        "title" => str1(title),
        "trim" | "trimSpace" | "TrimSpace" => str1(|x| x.trim_matches(go_space).to_string()),
        "urlencode" | "urlquery" => str1(encode::query_escape),
        "b64enc" => str1(|x| encode::b64_encode(x.as_bytes())),
        "html" => str1(encode::html_escape),
        "js" => str1(encode::js_escape),
        "urldecode" => {
            arity(name, a, 1)?;
            encode::query_unescape(s(&a[0])?).map(Value::Str)
        }
        "b64dec" => {
            arity(name, a, 1)?;
            // Sprig prints Go's error instead of failing.
            Ok(Value::Str(match encode::b64_decode_go(s(&a[0])?) {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(at) => format!("illegal base64 data at input byte {at}"),
            }))
        }
        "toJson" => {
            arity(name, a, 1)?;
            Ok(Value::Str(encode::to_json(&a[0])))
        }
        "fromJson" => {
            arity(name, a, 1)?;
            // Sprig ignores a parse error and gives nil.
            Ok(serde_json::from_str::<serde_json::Value>(s(&a[0])?)
                .map_or(Value::Nil, Value::from_json))
        }
        "Replace" => {
            arity(name, a, 4)?;
            let (src, old, new, n) = (s(&a[0])?, s(&a[1])?, s(&a[2])?, i(&a[3])?);
            Ok(Value::Str(match usize::try_from(n) {
                Ok(n) => src.replacen(old, new, n),
                Err(_) => src.replace(old, new),
            }))
        }
        "Trim" | "TrimLeft" | "TrimRight" => {
            arity(name, a, 2)?;
            let (src, cut) = (s(&a[0])?, s(&a[1])?);
            let f = |c: char| cut.contains(c);
            Ok(Value::Str(
                match name {
                    "Trim" => src.trim_matches(f),
                    "TrimLeft" => src.trim_start_matches(f),
                    _ => src.trim_end_matches(f),
                }
                .to_string(),
            ))
        }
        "TrimPrefix" | "TrimSuffix" => {
            arity(name, a, 2)?;
            let (src, fix) = (s(&a[0])?, s(&a[1])?);
            let out = if name == "TrimPrefix" {
                src.strip_prefix(fix)
            } else {
                src.strip_suffix(fix)
            };
            Ok(Value::Str(out.unwrap_or(src).to_string()))
        }
        "bytes" | "duration" | "duration_seconds" => {
            arity(name, a, 1)?;
            let conv = if name == "bytes" {
                Conversion::Bytes
            } else {
                Conversion::Duration
            };
            convert(s(&a[0])?, conv).map(Value::Float)
        }
        "trunc" => {
            arity(name, a, 2)?;
            let (n, src) = (i(&a[0])?, s(&a[1])?);
            // Byte offset of the n-th character (None past the end), without copying the line.
            let nth = |k: usize| src.char_indices().nth(k).map(|(b, _)| b);
            Ok(Value::Str(if n >= 0 {
                nth(n as usize).map_or(src, |b| &src[..b]).to_string()
            } else {
                let len = src.chars().count() as i64;
                if len + n > 0 {
                    nth((len + n) as usize)
                        .map_or("", |b| &src[b..])
                        .to_string()
                } else {
                    src.to_string()
                }
            }))
        }
        "substr" => {
            arity(name, a, 3)?;
            let (start, end, src) = (i(&a[0])?, i(&a[1])?, s(&a[2])?);
            substr(start, end, src).map(Value::Str)
        }
        "replace" => {
            arity(name, a, 3)?;
            Ok(Value::Str(s(&a[2])?.replace(s(&a[0])?, s(&a[1])?)))
        }
        "trimAll" => {
            arity(name, a, 2)?;
            let cut = s(&a[0])?;
            Ok(Value::Str(
                s(&a[1])?.trim_matches(|c| cut.contains(c)).to_string(),
            ))
        }
        "trimPrefix" | "trimSuffix" => {
            arity(name, a, 2)?;
            let (fix, src) = (s(&a[0])?, s(&a[1])?);
            let out = if name == "trimPrefix" {
                src.strip_prefix(fix)
            } else {
                src.strip_suffix(fix)
            };
            Ok(Value::Str(out.unwrap_or(src).to_string()))
        }
        "contains" | "hasPrefix" | "hasSuffix" => {
            arity(name, a, 2)?;
            let (needle, src) = (s(&a[0])?, s(&a[1])?);
            Ok(Value::Bool(match name {
                "contains" => src.contains(needle),
                "hasPrefix" => src.starts_with(needle),
                _ => src.ends_with(needle),
            }))
        }
        "default" => {
            min_arity(name, a, 1)?;
            match a.get(1) {
                Some(given) if given.truthy() => Ok(given.clone()),
                _ => Ok(a[0].clone()),
            }
        }
        "regexReplaceAll" | "regexReplaceAllLiteral" => {
            arity(name, a, 3)?;
            let re = cached_regex(s(&a[0])?)?;
            let (src, repl) = (s(&a[1])?, s(&a[2])?);
            Ok(Value::Str(if name == "regexReplaceAll" {
                re.replace_all(src, repl).into_owned()
            } else {
                re.replace_all(src, regex::NoExpand(repl)).into_owned()
            }))
        }
        "count" => {
            arity(name, a, 2)?;
            let re = cached_regex(s(&a[0])?)?;
            Ok(Value::Int(re.find_iter(s(&a[1])?).count() as i64))
        }
        "indent" | "nindent" => {
            arity(name, a, 2)?;
            let pad = " ".repeat(width(&a[0])?);
            let body = format!("{pad}{}", s(&a[1])?.replace('\n', &format!("\n{pad}")));
            Ok(Value::Str(if name == "nindent" {
                format!("\n{body}")
            } else {
                body
            }))
        }
        "repeat" => {
            arity(name, a, 2)?;
            let n = i(&a[0])?;
            if n < 0 {
                return Err("strings: negative Repeat count".into());
            }
            let src = s(&a[1])?;
            if (n as u128) * (src.len() as u128) > MAX_OUTPUT as u128 {
                return Err("strings: Repeat output length overflow".into());
            }
            Ok(Value::Str(src.repeat(n as usize)))
        }
        "alignLeft" | "alignRight" => {
            arity(name, a, 2)?;
            let (n, src) = (width(&a[0])?, s(&a[1])?);
            let chars: Vec<char> = src.chars().collect();
            let len = chars.len();
            Ok(Value::Str(match (name, len < n) {
                ("alignLeft", true) => format!("{src}{}", " ".repeat(n - len)),
                ("alignLeft", false) => chars[..n].iter().collect(),
                (_, true) => format!("{}{src}", " ".repeat(n - len)),
                (_, false) => chars[len - n..].iter().collect(),
            }))
        }
        _ => return Ok(None),
    };
    v.map(Some)
}

fn go_space(c: char) -> bool {
    c.is_whitespace()
}

/// Go's `strings.Title`: upper-cases the first letter of each word.
fn title(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut prev_letter = false;
    for c in src.chars() {
        if !prev_letter {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_letter = c.is_alphanumeric() || c == '_' || c == '\'';
    }
    out
}

/// Sprig's `substr` on bytes, with Go's slice panics as errors (Loki then keeps the line and
/// records `TemplateFormatErr`).
fn substr(start: i64, end: i64, src: &str) -> Result<String, String> {
    let b = src.as_bytes();
    let len = b.len() as i64;
    let oob = |what: String| Err(format!("runtime error: slice bounds out of range {what}"));
    let (lo, hi) = if start < 0 {
        if end < 0 {
            return oob(format!("[:{end}]"));
        }
        if end > len {
            return oob(format!("[:{end}] with length {len}"));
        }
        (0, end)
    } else if end < 0 || end > len {
        if start > len {
            return oob(format!("[{start}:{len}]"));
        }
        (start, len)
    } else {
        if start > end {
            return oob(format!("[{start}:{end}]"));
        }
        (start, end)
    };
    Ok(String::from_utf8_lossy(&b[lo as usize..hi as usize]).into_owned())
}

#[cfg(test)]
mod tests {
    use super::super::tests::render;

    #[test]
    fn strings() {
        assert_eq!(
            render(r#"{{ .a | ToUpper }} {{ toLower "AbC" }} {{ toUpper "x" }} {{ ToLower "Y" }}"#),
            "HELLO WORLD abc X y"
        );
        assert_eq!(
            render(r#"{{ title "hello wide world" }}"#),
            "Hello Wide World"
        );
        assert_eq!(
            render(r#"{{ trunc 3 "abcdef" }}|{{ trunc -2 "abcdef" }}|{{ trunc 10 "ab" }}"#),
            "abc|ef|ab"
        );
        assert_eq!(
            render(
                r#"{{ trunc 2 "漏洞修复" }}|{{ trunc -1 "漏洞修复" }}|{{ trunc -9 "ab" }}|{{ trunc 0 "ab" }}"#
            ),
            "漏洞|复|ab|"
        );
        assert_eq!(
            render(
                r#"{{ substr 1 3 "abcdef" }}|{{ substr 2 -1 "abcdef" }}|{{ substr 2 99 "abc" }}"#
            ),
            "bc|cdef|c"
        );
        assert_eq!(render(r#"{{ replace "o" "0" .a }}"#), "hell0 w0rld");
        assert_eq!(
            render(r#"[{{ trim "  x  " }}][{{ trimSpace "\ty\n" }}][{{ trimAll "$" "$$5$" }}]"#),
            "[x][y][5]"
        );
        assert_eq!(
            render(r#"{{ trimPrefix "he" .a }}|{{ trimSuffix "ld" .a }}"#),
            "llo world|hello wor"
        );
        assert_eq!(
            render(r#"{{ default "-" .missing }} {{ default "-" .a }} {{ default "d" }}"#),
            "- hello world d"
        );
        assert_eq!(
            render(r#"{{ contains "lo w" .a }} {{ hasPrefix "he" .a }} {{ hasSuffix "x" .a }}"#),
            "true true false"
        );
        assert_eq!(
            render(r#"{{ regexReplaceAll "o(.)" .a "${1}X" }}"#),
            "hell XwrXld"
        );
        assert_eq!(
            render(r#"{{ regexReplaceAllLiteral "o" .a "$1" }}"#),
            "hell$1 w$1rld"
        );
        assert_eq!(render(r#"{{ count "o" .a }}"#), "2");
        assert_eq!(
            render(r#"{{ indent 2 "a\nb" }}|{{ nindent 1 "c" }}"#),
            "  a\n  b|\n c"
        );
        assert_eq!(render(r#"{{ repeat 3 "ab" }}"#), "ababab");
        assert_eq!(
            render(
                r#"[{{ alignLeft 5 "ab" }}][{{ alignLeft 2 "abcd" }}][{{ alignRight 4 "ab" }}][{{ alignRight 2 "abcd" }}]"#
            ),
            "[ab   ][ab][  ab][cd]"
        );
        assert_eq!(render(r#"{{ len .a }} {{ len "" }}"#), "11 0");
    }

    #[test]
    fn regexes_use_go_semantics() {
        // RE2's \d is ASCII-only: the Arabic-Indic digit stays.
        assert_eq!(render(r##"{{ regexReplaceAll "\\d" "a1٣" "#" }}"##), "a#٣");
        assert!(
            super::super::tests::render_err(r#"{{ count "(" .a }}"#).contains("missing closing )")
        );
        assert_eq!(render(r#"{{ count "o" .a }}{{ count "o" .a }}"#), "22");
    }

    #[test]
    fn go_strings_functions() {
        assert_eq!(
            render(r#"{{ lower "AbC" }} {{ upper "x" }} {{ TrimSpace " y " }}"#),
            "abc X y"
        );
        assert_eq!(
            render(r#"{{ Replace .a "o" "0" 1 }}|{{ Replace .a "o" "0" -1 }}"#),
            "hell0 world|hell0 w0rld"
        );
        assert_eq!(
            render(
                r#"[{{ Trim "xxhixx" "x" }}][{{ TrimLeft "xxhixx" "x" }}][{{ TrimRight "xxhixx" "x" }}]"#
            ),
            "[hi][hixx][xxhi]"
        );
        assert_eq!(
            render(r#"{{ TrimPrefix .a "hello " }}|{{ TrimSuffix .a " world" }}"#),
            "world|hello"
        );
        assert_eq!(
            render(r#"{{ bytes "2KiB" }} {{ duration "1m30s" }} {{ duration_seconds "250ms" }}"#),
            "2048 90 0.25"
        );
        assert!(super::super::tests::render_err(r#"{{ duration "5" }}"#).contains("duration"));
    }

    #[test]
    fn from_json() {
        assert_eq!(
            render(
                r#"{{ (fromJson `{"a":{"b":"c"},"n":2}`).a.b }} {{ (fromJson `{"n":2.5}`).n }}"#
            ),
            "c 2.5"
        );
        assert_eq!(
            render(
                r#"{{ fromJson `[1,"x"]` }}|{{ fromJson `{"b":1,"a":true}` }}|{{ fromJson "nope" }}"#
            ),
            "[1 x]|map[a:true b:1]|<no value>"
        );
        assert_eq!(
            render(r#"{{ if (fromJson `{}`) }}y{{ else }}n{{ end }}"#),
            "n"
        );
    }

    #[test]
    fn encodings() {
        assert_eq!(
            render(r#"{{ toJson .a }} {{ toJson 3 }} {{ toJson "<\"x\">" }}"#),
            r#""hello world" 3 "\u003c\"x\"\u003e""#
        );
        assert_eq!(
            render(r#"{{ urlencode "a b&c=d/é" }}|{{ urldecode "a+b%26c" }}"#),
            "a+b%26c%3Dd%2F%C3%A9|a b&c"
        );
        assert_eq!(
            render(r#"{{ b64enc "hello" }}|{{ b64dec "aGVsbG8=" }}"#),
            "aGVsbG8=|hello"
        );
    }
}
