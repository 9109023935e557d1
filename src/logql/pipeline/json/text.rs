//! The text side of `| json`: decoding string escapes and turning keys into label names.

use std::borrow::Cow;

use super::{JsonError, R};
use crate::model::json_bytes::is_ident;

pub(super) fn unescape_cow(raw: &str, escaped: bool) -> R<Cow<'_, str>> {
    if escaped {
        unescape(raw).map(Cow::Owned)
    } else {
        Ok(Cow::Borrowed(raw))
    }
}

/// Decodes JSON string escapes (surrogate pairs included; lone surrogates become U+FFFD).
pub fn unescape(raw: &str) -> R<String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let b = rest.as_bytes();
        let Some(&e) = b.get(i + 1) else {
            return Err(JsonError);
        };
        rest = &rest[i + 2..];
        match e {
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'/' => out.push('/'),
            b'b' => out.push('\x08'),
            b'f' => out.push('\x0c'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let hex = |s: &str| -> R<u32> {
                    s.get(..4)
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .ok_or(JsonError)
                };
                let hi = hex(rest)?;
                rest = &rest[4..];
                if (0xD800..0xDC00).contains(&hi) && rest.starts_with("\\u") {
                    let lo = hex(&rest[2..])?;
                    if (0xDC00..0xE000).contains(&lo) {
                        rest = &rest[6..];
                        let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                        continue;
                    }
                }
                out.push(char::from_u32(hi).unwrap_or('\u{fffd}'));
            }
            _ => return Err(JsonError),
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// [`sanitize_into`] for a key made only of `[A-Za-z0-9_]` (nothing to trim or replace).
#[inline]
pub(super) fn sanitize_plain(out: &mut String, key: &str, is_first: bool) {
    if is_first && key.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        out.push('_');
    }
    out.push_str(key);
}

/// Appends `key` as a label-name part: characters outside `[A-Za-z0-9_]` become `_`; a leading
/// digit of the first part gets a `_` prefix.
pub fn sanitize_into(out: &mut String, key: &str, is_first: bool) {
    let key = key.trim();
    if key.bytes().all(is_ident) {
        return sanitize_plain(out, key, is_first);
    }
    if is_first && key.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        out.push('_');
    }
    for c in key.chars() {
        out.push(if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '_'
        });
    }
}
