//! The miner's one cheap read of a structlog line: a strict JSON scanner that validates the
//! whole object and finds only `event` and the message keys' string values, borrowed from
//! the line, with no `serde` tree and no allocation unless a value holds escapes.
//!
//! It is a fast path, not a second JSON parser to trust: on anything it does not handle
//! exactly as `serde_json` does (a non-string message value other than `null`/`true`/
//! `false`, an escaped key, a `\u` surrogate, a control byte, any syntax error, deep
//! nesting) it answers [`Scan::Unsure`] and the caller parses the line with
//! [`crate::model::Structlog::parse_only`], so the miner's results never depend on which
//! path read a line.

use std::borrow::Cow;

use super::features::MESSAGE_KEYS;
use crate::model::json_bytes::string_special_from as special_from;

/// Nesting the scanner follows; deeper lines go to the full parse.
const MAX_DEPTH: usize = 32;

/// A message field's value as it is in the line (between the quotes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Raw<'a> {
    /// Index into [`MESSAGE_KEYS`].
    pub key: usize,
    pub text: &'a str,
    /// Whether `text` holds escapes (then it must be decoded and re-escaped).
    pub escaped: bool,
}

/// What the scanner made of a line.
// Returned by value once per line and consumed at once: boxing the fields would allocate.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Scan<'a> {
    /// Not a structlog line with an `event`: mined as text.
    Text,
    /// The line's `event` (the last one) and its message fields with a string value, first
    /// occurrence of each key, in line order.
    Structlog {
        event: Cow<'a, str>,
        fields: Fields<'a>,
    },
    /// Read it with the full parse.
    Unsure,
}

/// At most one value per message key, so a fixed array.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fields<'a> {
    items: [Raw<'a>; MESSAGE_KEYS.len()],
    len: usize,
}

impl<'a> Fields<'a> {
    pub fn iter(&self) -> impl Iterator<Item = &Raw<'a>> {
        self.items[..self.len].iter()
    }
}

/// A failed or unhandled scan.
struct Bail;

type R<T> = Result<T, Bail>;

/// The last `event` seen.
enum Event<'a> {
    Missing,
    Null,
    Str(&'a str, bool),
}

/// Scans `line` (see the module doc).
pub fn scan(line: &str) -> Scan<'_> {
    let trimmed = line.trim_start();
    if !trimmed.starts_with('{') {
        return Scan::Text;
    }
    let mut s = Scanner {
        b: trimmed.as_bytes(),
        text: trimmed,
        i: 0,
    };
    match s.top() {
        Ok((Event::Str(raw, escaped), fields)) => match decode(raw, escaped) {
            Some(event) => Scan::Structlog { event, fields },
            None => Scan::Unsure,
        },
        Ok((Event::Missing | Event::Null, _)) => Scan::Text,
        Err(Bail) => Scan::Unsure,
    }
}

/// A string value's text, escapes decoded exactly as `serde_json` decodes them.
pub fn decode(raw: &str, escaped: bool) -> Option<Cow<'_, str>> {
    if !escaped {
        return Some(Cow::Borrowed(raw));
    }
    let quoted = format!("\"{raw}\"");
    serde_json::from_str::<String>(&quoted).ok().map(Cow::Owned)
}

struct Scanner<'a> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
}

impl<'a> Scanner<'a> {
    #[inline]
    fn ws(&mut self) {
        // A tab or a line break between tokens (rare in a log line) is left to the full parse.
        while let Some(b' ') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    #[inline]
    fn peek(&self) -> R<u8> {
        self.b.get(self.i).copied().ok_or(Bail)
    }

    #[inline]
    fn eat(&mut self, c: u8) -> R<()> {
        if self.peek()? != c {
            return Err(Bail);
        }
        self.i += 1;
        Ok(())
    }

    /// The top-level object: `event` and the message fields.
    fn top(&mut self) -> R<(Event<'a>, Fields<'a>)> {
        let empty = Raw {
            key: 0,
            text: "",
            escaped: false,
        };
        let mut fields = Fields {
            items: [empty; MESSAGE_KEYS.len()],
            len: 0,
        };
        let mut event = Event::Missing;
        self.eat(b'{')?;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
        } else {
            loop {
                self.eat(b'"')?;
                let (from, to, escaped) = self.string()?;
                if escaped {
                    return Err(Bail);
                }
                self.ws();
                self.eat(b':')?;
                self.ws();
                let key = &self.b[from..to];
                if key == b"event" {
                    event = match self.peek()? {
                        b'"' => {
                            self.i += 1;
                            let (v, esc) = self.str_value()?;
                            Event::Str(v, esc)
                        }
                        b'n' => {
                            self.literal(b"null")?;
                            Event::Null
                        }
                        _ => return Err(Bail),
                    };
                } else if let Some(k) = message_key(key) {
                    match self.peek()? {
                        b'"' => {
                            self.i += 1;
                            let (v, escaped) = self.str_value()?;
                            if !fields.iter().any(|f| f.key == k) {
                                fields.items[fields.len] = Raw {
                                    key: k,
                                    text: v,
                                    escaped,
                                };
                                fields.len += 1;
                            }
                        }
                        b'n' => self.literal(b"null")?,
                        b't' => self.literal(b"true")?,
                        b'f' => self.literal(b"false")?,
                        _ => return Err(Bail),
                    }
                } else if self.peek()? == b'"' {
                    // most values are strings: skipped without the call of a nested value
                    self.i += 1;
                    self.string()?;
                } else {
                    self.value(1)?;
                }
                self.ws();
                match self.peek()? {
                    b',' => {
                        self.i += 1;
                        self.ws();
                    }
                    b'}' => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(Bail),
                }
            }
        }
        self.ws();
        if self.i != self.b.len() {
            return Err(Bail);
        }
        Ok((event, fields))
    }

    /// A string value after its opening quote: its raw text and whether it holds escapes.
    fn str_value(&mut self) -> R<(&'a str, bool)> {
        let (from, to, escaped) = self.string()?;
        // `from` follows a quote and `to` is at one: both are character boundaries.
        let text = self.text.get(from..to).ok_or(Bail)?;
        Ok((text, escaped))
    }

    /// A string after its opening quote: where its text starts and ends (at the closing
    /// quote, which is consumed), and whether it holds escapes. Any control byte in it is a
    /// syntax error, as for `serde_json`.
    #[inline(always)]
    fn string(&mut self) -> R<(usize, usize, bool)> {
        let start = self.i;
        let mut escaped = false;
        loop {
            self.i = special_from(self.b, self.i).ok_or(Bail)?;
            match self.b[self.i] {
                b'"' => {
                    self.i += 1;
                    return Ok((start, self.i - 1, escaped));
                }
                b'\\' => {
                    escaped = true;
                    self.i += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 1,
                        b'u' => {
                            let hex = self.b.get(self.i + 1..self.i + 5).ok_or(Bail)?;
                            let hex = std::str::from_utf8(hex).map_err(|_| Bail)?;
                            let n = u16::from_str_radix(hex, 16).map_err(|_| Bail)?;
                            if hex.bytes().any(|c| !c.is_ascii_hexdigit())
                                || (0xd800..0xe000).contains(&n)
                            {
                                return Err(Bail);
                            }
                            self.i += 5;
                        }
                        _ => return Err(Bail),
                    }
                }
                _ => return Err(Bail),
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> R<()> {
        if self.b.get(self.i..self.i + word.len()) != Some(word) {
            return Err(Bail);
        }
        self.i += word.len();
        Ok(())
    }

    /// Any value, validated and skipped.
    fn value(&mut self, depth: usize) -> R<()> {
        if depth > MAX_DEPTH {
            return Err(Bail);
        }
        match self.peek()? {
            b'"' => {
                self.i += 1;
                self.string().map(|_| ())
            }
            b'n' => self.literal(b"null"),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'-' | b'0'..=b'9' => self.number(),
            b'[' => {
                self.i += 1;
                self.ws();
                if self.peek()? == b']' {
                    self.i += 1;
                    return Ok(());
                }
                loop {
                    self.value(depth + 1)?;
                    self.ws();
                    match self.peek()? {
                        b',' => {
                            self.i += 1;
                            self.ws();
                        }
                        b']' => {
                            self.i += 1;
                            return Ok(());
                        }
                        _ => return Err(Bail),
                    }
                }
            }
            b'{' => {
                self.i += 1;
                self.ws();
                if self.peek()? == b'}' {
                    self.i += 1;
                    return Ok(());
                }
                loop {
                    self.eat(b'"')?;
                    self.string()?;
                    self.ws();
                    self.eat(b':')?;
                    self.ws();
                    self.value(depth + 1)?;
                    self.ws();
                    match self.peek()? {
                        b',' => {
                            self.i += 1;
                            self.ws();
                        }
                        b'}' => {
                            self.i += 1;
                            return Ok(());
                        }
                        _ => return Err(Bail),
                    }
                }
            }
            _ => Err(Bail),
        }
    }

    /// A number, by JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> R<()> {
        if self.peek()? == b'-' {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => {
                self.i += 1;
                if self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
                    return Err(Bail);
                }
            }
            b'1'..=b'9' => self.digits(),
            _ => return Err(Bail),
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if !self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
                return Err(Bail);
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.b.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.b.get(self.i) {
                self.i += 1;
            }
            if !self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
                return Err(Bail);
            }
            self.digits();
        }
        Ok(())
    }

    fn digits(&mut self) {
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
    }
}

/// The index into [`MESSAGE_KEYS`] of a key, by its bytes (tested against the list).
fn message_key(key: &[u8]) -> Option<usize> {
    Some(match key {
        b"message" => 0,
        b"msg" => 1,
        b"error" => 2,
        b"err" => 3,
        b"reason" => 4,
        b"detail" => 5,
        b"description" => 6,
        _ => return None,
    })
}

#[cfg(test)]
#[path = "scan_tests.rs"]
mod tests;
