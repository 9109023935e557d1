//! A fast JSON-to-labels extractor for `| json`: one pass over the line's bytes, no tree of
//! values. Nested keys are flattened with `_`, numbers keep their JSON text, arrays give
//! nothing, names are sanitised to label names. Also path lookups for `| json a="b.c[0]"`.

use std::borrow::Cow;

use crate::model::json_bytes as bytes;

mod path;
mod text;

pub use path::{PathSeg, lookup, lookup_all, parse_path};
pub use text::{sanitize_into, unescape};
use text::{sanitize_plain, unescape_cow};

/// Nesting deeper than this is treated as invalid (guards the stack on hostile input).
const MAX_DEPTH: usize = 256;

/// The line is not a JSON object (Loki's single error text for this).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError;

/// `__error_details__` Loki reports for every non-JSON line.
pub const JSON_ERROR_DETAILS: &str = "Value looks like object, but can't find closing '}' symbol";

struct Scanner<'a> {
    s: &'a str,
    b: &'a [u8],
    p: usize,
    /// The [`name_sketch`]es `want` may accept (all bits: any name).
    sketch: u64,
}

type R<T> = Result<T, JsonError>;

/// Calls `emit(name, value)` for every scalar leaf of the object in `line`, in document order.
/// `want(name)` is asked first, so unwanted values are never unescaped or allocated.
pub fn flatten<'a>(
    line: &'a str,
    want: &mut dyn FnMut(&str) -> bool,
    emit: &mut dyn FnMut(&str, Cow<'a, str>),
) -> Result<(), JsonError> {
    flatten_sketched(line, u64::MAX, want, emit)
}

/// One bit standing for a label name (from its length, first and last byte): equal names
/// have equal sketches, so the sketches of a few wanted names, or-ed, refuse most other names
/// without a string comparison.
#[inline]
pub fn name_sketch(name: &str) -> u64 {
    let b = name.as_bytes();
    let (first, last) = (b.first().copied(), b.last().copied());
    let h = b.len() * 7 + usize::from(first.unwrap_or(0)) * 3 + usize::from(last.unwrap_or(0));
    1u64 << (h % 64)
}

/// [`flatten`] where `want` is asked only about names whose [`name_sketch`] is in `sketch`
/// (it would refuse the others): the hot path of a metric query narrowed to a few labels.
pub fn flatten_sketched<'a>(
    line: &'a str,
    sketch: u64,
    want: &mut dyn FnMut(&str) -> bool,
    emit: &mut dyn FnMut(&str, Cow<'a, str>),
) -> Result<(), JsonError> {
    let mut sc = Scanner::at_value(line);
    sc.sketch = sketch;
    if sc.peek() != Some(b'{') {
        return Err(JsonError);
    }
    // Allocated only for a nested object or a key that is not its own name.
    let mut prefix = String::new();
    sc.object(&mut prefix, 0, want, emit)?;
    Ok(())
}

/// Checks that `line` is a JSON object (trailing bytes ignored, as Loki's parser does).
pub fn validate(line: &str) -> Result<(), JsonError> {
    let mut sc = Scanner::at_value(line);
    if sc.peek() != Some(b'{') {
        return Err(JsonError);
    }
    sc.skip_value(0)
}

/// Top-level string values and the `_entry` key, for `| unpack`.
pub fn unpack<'a>(line: &'a str, emit: &mut dyn FnMut(&'a str, Cow<'a, str>)) -> R<()> {
    let mut sc = Scanner::at_value(line);
    sc.expect(b'{')?;
    sc.ws();
    if sc.peek() == Some(b'}') {
        return Ok(());
    }
    loop {
        sc.ws();
        let (kraw, kesc) = sc.string_raw()?;
        sc.ws();
        sc.expect(b':')?;
        sc.ws();
        if sc.peek() == Some(b'"') {
            let (vraw, vesc) = sc.string_raw()?;
            if !kesc {
                emit(kraw, unescape_cow(vraw, vesc)?);
            }
        } else {
            sc.skip_value(1)?;
        }
        sc.ws();
        match sc.next() {
            Some(b',') => continue,
            Some(b'}') => return Ok(()),
            _ => return Err(JsonError),
        }
    }
}

impl<'a> Scanner<'a> {
    /// A scanner at the first non-blank byte of `line`.
    fn at_value(line: &'a str) -> Self {
        let mut sc = Scanner {
            s: line,
            b: line.as_bytes(),
            p: 0,
            sketch: u64::MAX,
        };
        sc.ws();
        sc
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.p).copied()
    }

    #[inline]
    fn next(&mut self) -> Option<u8> {
        let c = self.peek();
        self.p += 1;
        c
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(c) = self.peek() {
            if c == b' ' || c == b'\n' || c == b'\t' || c == b'\r' {
                self.p += 1;
            } else {
                break;
            }
        }
    }

    #[inline]
    fn expect(&mut self, c: u8) -> R<()> {
        if self.next() == Some(c) {
            Ok(())
        } else {
            Err(JsonError)
        }
    }

    /// A string's raw contents (between the quotes) and whether it holds escapes.
    #[inline]
    fn string_raw(&mut self) -> R<(&'a str, bool)> {
        self.expect(b'"')?;
        let start = self.p;
        let (end, escaped) = bytes::string_end(self.b, start).ok_or(JsonError)?;
        self.p = end + 1;
        Ok((self.s.get(start..end).ok_or(JsonError)?, escaped))
    }

    /// A key's raw contents, whether it holds escapes, and whether it is a plain label name
    /// (only `[A-Za-z0-9_]`, so sanitising leaves it as it is).
    #[inline]
    fn key_raw(&mut self) -> R<(&'a str, bool, bool)> {
        self.expect(b'"')?;
        let start = self.p;
        let run = bytes::ident_end(self.b, start);
        let (end, escaped, plain) = if self.b.get(run) == Some(&b'"') {
            (run, false, true)
        } else {
            let (end, escaped) = bytes::string_end(self.b, run).ok_or(JsonError)?;
            (end, escaped, false)
        };
        self.p = end + 1;
        Ok((self.s.get(start..end).ok_or(JsonError)?, escaped, plain))
    }

    fn number_or_literal(&mut self) -> R<&'a str> {
        let start = self.p;
        self.p = bytes::scalar_end(self.b, start);
        let text = self.s.get(start..self.p).ok_or(JsonError)?;
        match text.as_bytes().first() {
            Some(b'-' | b'0'..=b'9') => Ok(text),
            _ if text == "true" || text == "false" || text == "null" => Ok(text),
            _ => Err(JsonError),
        }
    }

    fn object(
        &mut self,
        prefix: &mut String,
        depth: usize,
        want: &mut dyn FnMut(&str) -> bool,
        emit: &mut dyn FnMut(&str, Cow<'a, str>),
    ) -> R<()> {
        if depth > MAX_DEPTH {
            return Err(JsonError);
        }
        self.expect(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.p += 1;
            return Ok(());
        }
        loop {
            self.ws();
            let (kraw, kesc, plain) = self.key_raw()?;
            self.ws();
            self.expect(b':')?;
            self.ws();
            let plen = prefix.len();
            let is_first = plen == 0;
            // A plain first-part key not starting with a digit is its own name: no copy.
            let direct =
                is_first && plain && !kraw.as_bytes().first().is_some_and(u8::is_ascii_digit);
            if !direct {
                if !is_first {
                    prefix.push('_');
                }
                if kesc {
                    let k = unescape(kraw)?;
                    sanitize_into(prefix, &k, is_first);
                } else if plain {
                    sanitize_plain(prefix, kraw, is_first);
                } else {
                    sanitize_into(prefix, kraw, is_first);
                }
            }
            match self.peek() {
                Some(b'{') => {
                    if direct {
                        prefix.push_str(kraw);
                    }
                    self.object(prefix, depth + 1, want, emit)?
                }
                Some(b'[') => self.skip_value(depth + 1)?,
                Some(b'"') => {
                    // Sliced only when wanted (the quotes are char boundaries: it cannot fail).
                    let start = self.p + 1;
                    let (end, vesc) = bytes::string_end(self.b, start).ok_or(JsonError)?;
                    self.p = end + 1;
                    let name: &str = if direct { kraw } else { prefix };
                    if !name.is_empty() && self.sketch & name_sketch(name) != 0 && want(name) {
                        let vraw = self.s.get(start..end).ok_or(JsonError)?;
                        emit(name, unescape_cow(vraw, vesc)?);
                    }
                }
                _ => {
                    let v = self.number_or_literal()?;
                    let name: &str = if direct { kraw } else { prefix };
                    if v != "null"
                        && !name.is_empty()
                        && self.sketch & name_sketch(name) != 0
                        && want(name)
                    {
                        emit(name, Cow::Borrowed(v));
                    }
                }
            }
            prefix.truncate(plen);
            self.ws();
            match self.next() {
                Some(b',') => continue,
                Some(b'}') => return Ok(()),
                _ => return Err(JsonError),
            }
        }
    }

    /// Skips one value of any type, checking its syntax.
    fn skip_value(&mut self, depth: usize) -> R<()> {
        if depth > MAX_DEPTH {
            return Err(JsonError);
        }
        self.ws();
        match self.peek() {
            Some(b'"') => self.string_raw().map(|_| ()),
            Some(b'{') => {
                self.p += 1;
                self.ws();
                if self.peek() == Some(b'}') {
                    self.p += 1;
                    return Ok(());
                }
                loop {
                    self.ws();
                    self.string_raw()?;
                    self.ws();
                    self.expect(b':')?;
                    self.skip_value(depth + 1)?;
                    self.ws();
                    match self.next() {
                        Some(b',') => continue,
                        Some(b'}') => return Ok(()),
                        _ => return Err(JsonError),
                    }
                }
            }
            Some(b'[') => {
                self.p += 1;
                self.ws();
                if self.peek() == Some(b']') {
                    self.p += 1;
                    return Ok(());
                }
                loop {
                    self.skip_value(depth + 1)?;
                    self.ws();
                    match self.next() {
                        Some(b',') => continue,
                        Some(b']') => return Ok(()),
                        _ => return Err(JsonError),
                    }
                }
            }
            _ => self.number_or_literal().map(|_| ()),
        }
    }
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
