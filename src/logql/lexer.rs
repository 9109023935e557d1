//! LogQL lexer: turns query text into tokens with byte spans. Keywords are not special here
//! (the parser decides by context, as a label may be called `bytes` or `json`), which also lets
//! the highlighter colour incomplete queries.

use super::LogqlError;

/// A lexical token kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A name: label, function or keyword (`json`, `by`, `rate`, …).
    Ident(String),
    /// A string literal, escapes already decoded.
    Str(String),
    /// A plain number (`5`, `0.95`, `1e3`).
    Number(f64),
    /// A duration (`5m`, `1h30m`, `250ms`), in nanoseconds.
    Duration(i64),
    /// A byte size (`20MB`, `1KiB`), in bytes.
    Bytes(f64),
    /// A flag such as `--strict`.
    Flag(String),
    /// Punctuation or operator text (`{`, `|=`, `>=`, `,`, …).
    Op(&'static str),
    /// End of input.
    Eof,
}

impl Tok {
    /// The name Loki uses for this token in `unexpected X` messages.
    pub fn describe(&self) -> String {
        match self {
            // Keywords are case-insensitive, as in Loki.
            Tok::Ident(s) => match s.to_ascii_lowercase().as_str() {
                k @ ("by" | "without" | "bool" | "on" | "ignoring" | "group_left"
                | "group_right" | "offset" | "and" | "or" | "unless" | "ip" | "json"
                | "logfmt" | "regexp" | "pattern" | "unpack" | "line_format"
                | "label_format" | "drop" | "keep" | "decolorize" | "unwrap") => k.to_string(),
                // Loki 65e30f8: `-vector(2)` is "unexpected VECTOR, expecting NUMBER".
                "vector" => "VECTOR".into(),
                _ => "IDENTIFIER".into(),
            },
            Tok::Str(_) => "STRING".into(),
            Tok::Number(_) => "NUMBER".into(),
            Tok::Duration(_) => "DURATION".into(),
            Tok::Bytes(_) => "BYTES".into(),
            Tok::Flag(f) => format!("--{f}"),
            Tok::Op(o) => (*o).into(),
            Tok::Eof => "$end".into(),
        }
    }
}

/// A token and its byte span in the query.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

/// A lexing failure at a byte offset.
#[derive(Debug, Clone, PartialEq)]
pub struct LexError {
    pub pos: usize,
    pub end: usize,
    pub message: String,
}

const OPS: &[&str] = &[
    "|=", "|~", "|>", "!=", "!~", "!>", "=~", "==", ">=", "<=", "|", "=", ">", "<", "{", "}", "(",
    ")", "[", "]", ",", "+", "-", "*", "/", "%", "^",
];

/// Lexes the whole query; stops at the first error.
pub fn lex(src: &str) -> Result<Vec<Spanned>, LexError> {
    let mut out = Vec::new();
    let mut lx = Lexer { src, pos: 0 };
    loop {
        let t = lx.next()?;
        let eof = t.tok == Tok::Eof;
        out.push(t);
        if eof {
            return Ok(out);
        }
    }
}

/// Lexes as far as possible: tokens before the first error, and the error if any.
pub fn lex_partial(src: &str) -> (Vec<Spanned>, Option<LexError>) {
    let mut out = Vec::new();
    let mut lx = Lexer { src, pos: 0 };
    loop {
        match lx.next() {
            Ok(t) => {
                if t.tok == Tok::Eof {
                    return (out, None);
                }
                out.push(t);
            }
            Err(e) => return (out, Some(e)),
        }
    }
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn skip_space(&mut self) {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.pos += rest.len() - trimmed.len();
            // Comments: `#` and `//` to the end of the line, `/* … */` (Loki reads Go's).
            if trimmed.starts_with('#') || trimmed.starts_with("//") {
                let nl = trimmed.find('\n').unwrap_or(trimmed.len());
                self.pos += nl;
            } else if let Some(body) = trimmed.strip_prefix("/*") {
                self.pos += 2 + body.find("*/").map_or(body.len(), |n| n + 2);
            } else {
                return;
            }
        }
    }

    fn next(&mut self) -> Result<Spanned, LexError> {
        self.skip_space();
        let start = self.pos;
        let rest = self.rest();
        let Some(c) = rest.chars().next() else {
            return Ok(Spanned {
                tok: Tok::Eof,
                start,
                end: start,
            });
        };
        let tok = if c == '"' || c == '`' {
            self.string(c)?
        } else if c.is_ascii_digit()
            || (c == '.' && rest[1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            self.number()?
        } else if c.is_ascii_alphabetic() || c == '_' {
            let n = rest
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == ':'))
                .unwrap_or(rest.len());
            // `:` is allowed inside (recording-rule style names) but not trailing.
            let word = rest[..n].trim_end_matches(':');
            self.pos += word.len();
            Tok::Ident(word.to_string())
        } else if let Some(flag) = rest.strip_prefix("--") {
            let n = flag
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'))
                .unwrap_or(flag.len());
            self.pos += 2 + n;
            Tok::Flag(flag[..n].to_string())
        } else if let Some(op) = OPS.iter().find(|op| rest.starts_with(**op)) {
            self.pos += op.len();
            Tok::Op(op)
        } else {
            return Err(LexError {
                pos: start,
                end: start + c.len_utf8(),
                message: format!("unexpected character: '{c}'"),
            });
        };
        Ok(Spanned {
            tok,
            start,
            end: self.pos,
        })
    }

    fn string(&mut self, quote: char) -> Result<Tok, LexError> {
        let start = self.pos;
        let body = &self.src[start + 1..];
        if quote == '`' {
            return match body.find('`') {
                Some(n) => {
                    self.pos = start + 1 + n + 1;
                    Ok(Tok::Str(body[..n].to_string()))
                }
                None => Err(LexError {
                    pos: start,
                    end: self.src.len(),
                    message: "literal not terminated".into(),
                }),
            };
        }
        let mut out = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos = start + 1 + i + 1;
                    return Ok(Tok::Str(out));
                }
                '\n' => break,
                '\\' => {
                    let esc_pos = start + 1 + i;
                    let bad = |m: &str| LexError {
                        pos: esc_pos,
                        end: esc_pos + 2,
                        message: m.to_string(),
                    };
                    let Some((_, e)) = chars.next() else { break };
                    match e {
                        'a' => out.push('\x07'),
                        'b' => out.push('\x08'),
                        'f' => out.push('\x0c'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'v' => out.push('\x0b'),
                        '\\' => out.push('\\'),
                        '"' => out.push('"'),
                        '\'' => out.push('\''),
                        'x' | 'u' | 'U' => {
                            let n = match e {
                                'x' => 2,
                                'u' => 4,
                                _ => 8,
                            };
                            let mut v: u32 = 0;
                            for _ in 0..n {
                                let d = chars
                                    .next()
                                    .and_then(|(_, d)| d.to_digit(16))
                                    .ok_or_else(|| bad("invalid syntax"))?;
                                v = v * 16 + d;
                            }
                            out.push(char::from_u32(v).ok_or_else(|| bad("invalid syntax"))?);
                        }
                        '0'..='7' => {
                            let mut v = e.to_digit(8).unwrap_or(0);
                            for _ in 0..2 {
                                let d = chars
                                    .next()
                                    .and_then(|(_, d)| d.to_digit(8))
                                    .ok_or_else(|| bad("invalid syntax"))?;
                                v = v * 8 + d;
                            }
                            out.push(char::from_u32(v).ok_or_else(|| bad("invalid syntax"))?);
                        }
                        _ => return Err(bad("invalid syntax")),
                    }
                }
                c => out.push(c),
            }
        }
        Err(LexError {
            pos: start,
            end: self.src.len(),
            message: "literal not terminated".into(),
        })
    }

    fn number(&mut self) -> Result<Tok, LexError> {
        let start = self.pos;
        let b = self.src.as_bytes();
        let mut p = start;
        let digits = |p: &mut usize| {
            while *p < b.len() && b[*p].is_ascii_digit() {
                *p += 1;
            }
        };
        digits(&mut p);
        if p < b.len() && b[p] == b'.' {
            p += 1;
            digits(&mut p);
        }
        // Exponent: `1e3`, `1.5E-2` (but `1e` alone is a suffix).
        if p < b.len() && (b[p] == b'e' || b[p] == b'E') {
            let mut q = p + 1;
            if q < b.len() && (b[q] == b'+' || b[q] == b'-') {
                q += 1;
            }
            if q < b.len() && b[q].is_ascii_digit() {
                p = q;
                digits(&mut p);
            }
        }
        let num_end = p;
        // A unit suffix (letters, and further number+unit groups for `1h30m`).
        while p < b.len() && (b[p].is_ascii_alphanumeric() || b[p] == b'.' || b[p] == 0xc2) {
            if b[p] == 0xc2 {
                // `µs`
                if self.src[p..].starts_with("µ") {
                    p += 'µ'.len_utf8();
                    continue;
                }
                break;
            }
            p += 1;
        }
        let text = &self.src[start..p];
        self.pos = p;
        let err = |m: String| LexError {
            pos: start,
            end: p,
            message: m,
        };
        if p == num_end {
            return text
                .parse::<f64>()
                .map(Tok::Number)
                .map_err(|_| err(format!("invalid number: {text}")));
        }
        if let Some(ns) = parse_duration(text) {
            return Ok(Tok::Duration(ns));
        }
        if let Some(bytes) = parse_bytes(text) {
            return Ok(Tok::Bytes(bytes));
        }
        Err(err(format!("invalid duration or bytes: {text}")))
    }
}

/// A LogQL duration (`1h30m`, `250ms`, `7d`, `1w`, `1y`) in nanoseconds: the one grammar of
/// [`crate::timespec::parse_duration`].
pub fn parse_duration(text: &str) -> Option<i64> {
    crate::timespec::parse_duration(text).ok()
}

/// Parses a humanized byte size (`20MB`, `1KiB`, `5b`), case-insensitive, into bytes.
pub fn parse_bytes(text: &str) -> Option<f64> {
    let n = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let num: f64 = text[..n].parse().ok()?;
    let unit = text[n..].trim().to_ascii_lowercase();
    let mult: f64 = match unit.as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "kib" | "ki" => 1024.0,
        "mb" | "m" => 1e6,
        "mib" | "mi" => 1024.0 * 1024.0,
        "gb" | "g" => 1e9,
        "gib" | "gi" => 1024.0 * 1024.0 * 1024.0,
        "tb" | "t" => 1e12,
        "tib" | "ti" => 1024f64.powi(4),
        "pb" | "p" => 1e15,
        "pib" | "pi" => 1024f64.powi(5),
        "eb" | "e" => 1e18,
        "eib" | "ei" => 1024f64.powi(6),
        _ => return None,
    };
    Some(num * mult)
}

/// 1-based line and column (in characters) of a byte offset, as Loki reports them.
pub fn line_col(src: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(src.len());
    let before = src.get(..pos).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// A positioned syntax error in Loki's wording.
pub fn syntax_error(src: &str, pos: usize, what: &str) -> LogqlError {
    let (line, col) = line_col(src, pos);
    LogqlError {
        message: format!("parse error at line {line}, col {col}: {what}"),
        line: Some(line),
        col: Some(col),
    }
}

#[cfg(test)]
#[path = "lexer_tests.rs"]
mod tests;
