//! The one parsed view of a structlog line, used by the text output, the TUI (table, details,
//! field actions), the agent model and the local sources. It borrows from the line: keys and
//! strings without escapes are not copied, so reading a line costs one pass and one `Vec`.
//!
//! Two cheaper entry points serve the hot paths: [`sniff_str`] reads one string key without a
//! parse (the local scanner, run on every line), and [`Structlog::parse_only`] skips unwanted
//! keys unparsed (the agent model). `| json` in LogQL keeps its own parser: it follows Loki's
//! rules, not these.

use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

use memchr::memmem::FinderRev;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use super::json_bytes;
use super::json_val::{Key, Val};

/// The keys structlog writes on every line, kept out of [`Structlog::fields`].
const KNOWN: [&str; 4] = ["event", "level", "logger", "timestamp"];

/// A JSON object line, its keys in line order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Structlog<'a> {
    entries: Vec<(Cow<'a, str>, Val<'a>)>,
}

/// Which keys a parse keeps.
struct Keep(fn(&str) -> bool);

impl<'de> DeserializeSeed<'de> for Keep {
    type Value = Structlog<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Keep {
    type Value = Structlog<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Structlog<'de>, A::Error> {
        let mut entries = Vec::with_capacity(8);
        while let Some(Key(k)) = m.next_key::<Key<'de>>()? {
            if (self.0)(&k) {
                let v = m.next_value::<Val<'de>>()?;
                entries.push((k, v));
            } else {
                m.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Structlog { entries })
    }
}

/// `gen_ai_usage_input_tokens` is `gen_ai.usage.input_tokens` flattened by Loki's `| json`.
fn same_flattened(key: &str, dotted: &str) -> bool {
    key.len() == dotted.len()
        && key
            .bytes()
            .zip(dotted.bytes())
            .all(|(a, b)| a == b || (a == b'_' && b == b'.'))
}

impl<'a> Structlog<'a> {
    /// Parses a line; `None` when it is not a JSON object.
    pub fn parse(line: &'a str) -> Option<Self> {
        Self::parse_only(line, |_| true)
    }

    /// Parses a line keeping only the keys `keep` accepts (the rest are skipped unparsed).
    pub fn parse_only(line: &'a str, keep: fn(&str) -> bool) -> Option<Self> {
        let trimmed = line.trim_start();
        if !trimmed.starts_with('{') {
            return None;
        }
        let mut de = serde_json::Deserializer::from_str(trimmed);
        let s = Keep(keep).deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(s)
    }

    /// Every key of the line with its value, in line order (well-known keys included).
    pub fn entries(&self) -> &[(Cow<'a, str>, Val<'a>)] {
        &self.entries
    }

    /// Every key but `event`, `level`, `logger` and `timestamp`, in line order.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &Val<'a>)> {
        self.entries
            .iter()
            .filter(|(k, _)| !KNOWN.contains(&k.as_ref()))
            .map(|(k, v)| (k.as_ref(), v))
    }

    /// The value of a top-level key (the last one when a line repeats it).
    fn known(&self, key: &str) -> Option<Cow<'_, str>> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.known_text())
    }

    pub fn event(&self) -> Option<Cow<'_, str>> {
        self.known("event")
    }

    pub fn level(&self) -> Option<Cow<'_, str>> {
        self.known("level")
    }

    pub fn logger(&self) -> Option<Cow<'_, str>> {
        self.known("logger")
    }

    pub fn timestamp(&self) -> Option<Cow<'_, str>> {
        self.known("timestamp")
    }

    /// The `module` stream label the line's `logger` gives it (`vulnsentinel.agent` → `agent`).
    pub fn module(&self) -> Option<&'static str> {
        self.logger().map(|l| module_of_logger(&l))
    }

    /// A field by name, as display text (strings unquoted, others as JSON).
    pub fn field_text(&self, name: &str) -> Option<String> {
        self.fields()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.display().into_owned())
    }

    /// A field by its flat key (`gen_ai.usage.input_tokens`), as a nested path
    /// (`{"gen_ai":{"usage":{…}}}`), or as Loki's `| json` flattening
    /// (`gen_ai_usage_input_tokens`).
    pub fn get(&self, name: &str) -> Option<Cow<'_, Val<'a>>> {
        if let Some((_, v)) = self.entries.iter().find(|(k, _)| k == name) {
            return Some(Cow::Borrowed(v));
        }
        if !name.contains('.') {
            return None;
        }
        let mut parts = name.split('.');
        let first = parts.next()?;
        let nested = self
            .entries
            .iter()
            .find(|(k, _)| k == first)
            .and_then(|(_, v)| match v {
                Val::Json(j) => {
                    parts.try_fold(j.as_ref(), |cur, p| cur.as_object().and_then(|o| o.get(p)))
                }
                _ => None,
            });
        if let Some(n) = nested {
            return Some(Cow::Owned(Val::of_json(n)));
        }
        self.entries
            .iter()
            .find(|(k, _)| same_flattened(k, name))
            .map(|(_, v)| Cow::Borrowed(v))
    }
}

/// The line's JSON object as a whole tree, for the few places that need all of it (the
/// `fields` of `-o json`, pretty-printing); `None` when the line is not a JSON object.
pub fn json_object(line: &str) -> Option<Value> {
    let trimmed = line.trim_start();
    if !trimmed.starts_with('{') {
        return None;
    }
    match serde_json::from_str::<Value>(trimmed) {
        Ok(v @ Value::Object(_)) => Some(v),
        _ => None,
    }
}

/// The `module` stream label Alloy derives from a structlog `logger`: the second dotted
/// segment when it is one of VulnSentinel's modules, else `app`.
pub fn module_of_logger(logger: &str) -> &'static str {
    // `split('.').nth(1)` by bytes: it runs on every line a local scan reads.
    let b = logger.as_bytes();
    let Some(dot) = b.iter().position(|&c| c == b'.') else {
        return "app";
    };
    let rest = &b[dot + 1..];
    let second = rest
        .iter()
        .position(|&c| c == b'.')
        .map_or(rest, |e| &rest[..e]);
    match second {
        b"api" => "api",
        b"agent" => "agent",
        b"engine" => "engine",
        b"db" => "db",
        _ => "app",
    }
}

/// Display text of a JSON value: strings without quotes, everything else as compact JSON.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Searchers for the keys the local scanner reads from every line, built once.
pub static LEVEL_KEY: LazyLock<FinderRev<'static>> = LazyLock::new(|| FinderRev::new("\"level\""));
pub static LOGGER_KEY: LazyLock<FinderRev<'static>> =
    LazyLock::new(|| FinderRev::new("\"logger\""));
pub static TIMESTAMP_KEY: LazyLock<FinderRev<'static>> =
    LazyLock::new(|| FinderRev::new("\"timestamp\""));

/// The string value of a key of a JSON object without parsing it: searches for `"key"`
/// followed by `:` and a string, from the end (structlog writes its own keys last, after any
/// nested object that could hold the same name). Decodes escapes only when there are some.
/// For the hot paths; it agrees with [`Structlog`] on structlog lines.
pub fn sniff_str<'a>(obj: &'a str, key: &FinderRev<'_>) -> Option<Cow<'a, str>> {
    let b = obj.as_bytes();
    let needle = key.needle();
    if !quoted_key(needle) {
        return sniff_by_search(obj, key);
    }
    // The answer is the last occurrence followed by `:` (an occurrence without one can only
    // hide an earlier one that overlaps it, and such a one ends inside the needle, so no
    // `:` follows it either): the colons are visited from the end, fewer than the quotes.
    let n = needle.len();
    let mut end = b.len();
    while let Some(colon) = json_bytes::rfind_byte(&b[..end], b':') {
        end = colon;
        let mut q = colon;
        while q > 0 && b[q - 1].is_ascii_whitespace() {
            q -= 1;
        }
        if q >= n && b[q - 1] == b'"' && b[q - n..q].iter().eq(needle.iter()) {
            return value_after_key(obj, q).flatten();
        }
    }
    None
}

/// A needle `"name"` whose inside holds no quote and does not start with a blank or `:`:
/// [`sniff_str`] may then look for it before colons only.
fn quoted_key(needle: &[u8]) -> bool {
    match needle {
        [b'"', inner @ .., b'"'] => {
            inner
                .first()
                .is_some_and(|&c| c != b':' && !c.is_ascii_whitespace())
                && inner.iter().all(|&c| c != b'"')
        }
        _ => false,
    }
}

/// [`sniff_str`] by searching the needle itself from the end, for any needle.
fn sniff_by_search<'a>(obj: &'a str, key: &FinderRev<'_>) -> Option<Cow<'a, str>> {
    let b = obj.as_bytes();
    let mut end = b.len();
    while let Some(at) = key.rfind(&b[..end]) {
        end = at;
        if let Some(found) = value_after_key(obj, at + key.needle().len()) {
            return found;
        }
    }
    None
}

/// What [`sniff_str`] makes of an occurrence of the key ending at `i`: `None` when no `:`
/// follows (look further back), else the string value (`None` inside when it is not one).
#[allow(clippy::option_option)]
fn value_after_key(obj: &str, mut i: usize) -> Option<Option<Cow<'_, str>>> {
    let b = obj.as_bytes();
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    if b.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    if b.get(i) != Some(&b'"') {
        return Some(None);
    }
    let start = i + 1;
    let Some((j, escaped)) = json_bytes::string_end(b, start) else {
        return Some(None);
    };
    if !escaped {
        return Some(obj.get(start..j).map(Cow::Borrowed));
    }
    Some(
        obj.get(start - 1..=j)
            .and_then(|quoted| serde_json::from_str::<String>(quoted).ok())
            .map(Cow::Owned),
    )
}

#[cfg(test)]
#[path = "structlog_tests.rs"]
mod tests;
