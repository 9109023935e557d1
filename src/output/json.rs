//! The stable JSON shape of one entry, for `-o json` and `-o jsonl`.

use serde_json::{Map, Value};

use crate::model::{Labels, LogEntry};

fn labels_json(l: &Labels) -> Value {
    Value::Object(
        l.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

/// `{"timestamp", "ts_ns", "labels", "metadata", "parsed", "line", "fields"}`; `fields` holds
/// the line's JSON object when it is one, else `null`. Strings keep their exact content (JSON
/// escaping makes control characters harmless).
pub fn entry_json(e: &LogEntry) -> Value {
    let mut m = Map::new();
    m.insert(
        "timestamp".into(),
        Value::String(crate::timespec::format_rfc3339(e.ts, true)),
    );
    m.insert("ts_ns".into(), Value::String(e.ts.to_string()));
    m.insert("labels".into(), labels_json(&e.labels));
    m.insert("metadata".into(), labels_json(&e.metadata));
    m.insert("parsed".into(), labels_json(&e.parsed));
    m.insert("line".into(), Value::String(e.line.clone()));
    m.insert(
        "fields".into(),
        crate::model::json_object(&e.line).unwrap_or(Value::Null),
    );
    Value::Object(m)
}

/// [`entry_json`]'s object, serialised straight from the entry: the same bytes without
/// copying the labels and the line into a tree first (once per line of `-o jsonl`).
#[derive(serde::Serialize)]
pub(crate) struct EntryJson<'a> {
    timestamp: String,
    ts_ns: String,
    labels: &'a Labels,
    metadata: &'a Labels,
    parsed: &'a Labels,
    line: &'a str,
    /// `None` is written `null`, as [`entry_json`]'s `Value::Null`.
    fields: Option<Value>,
}

impl<'a> EntryJson<'a> {
    pub(crate) fn of(e: &'a LogEntry) -> Self {
        Self {
            timestamp: crate::timespec::format_rfc3339(e.ts, true),
            ts_ns: e.ts.to_string(),
            labels: &e.labels,
            metadata: &e.metadata,
            parsed: &e.parsed,
            line: &e.line,
            fields: crate::model::json_object(&e.line),
        }
    }
}

/// Serialised JSON made safe for a terminal: every character the sanitiser would make visible
/// (DEL, C1, line separators, zero-width and bidi controls) written as a `\uXXXX` escape.
/// Such characters can only sit inside JSON strings, so the result is the same JSON value. A raw
/// line break can only be layout (pretty printing, one document per line): it is kept.
pub(crate) fn escape_for_terminal(json: &str) -> std::borrow::Cow<'_, str> {
    let escape = |c: char| c != '\n' && crate::sanitize::is_dangerous(c);
    if !json.chars().any(escape) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if escape(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Appends [`entry_json`]'s compact bytes for `e`, written straight from the entry: the
/// labels and the line are escaped in place, and `fields` is transcoded from the line (no tree
/// of the line's JSON is built) unless the line is one where the tree could differ (a repeated
/// key, invalid JSON), which takes [`entry_json`]'s own path. Once per line of `-o jsonl`.
pub(crate) fn write_entry(buf: &mut Vec<u8>, e: &LogEntry) {
    buf.extend_from_slice(b"{\"timestamp\":");
    str_into(buf, &crate::timespec::format_rfc3339(e.ts, true));
    buf.extend_from_slice(b",\"ts_ns\":\"");
    let _ = serde::Serializer::serialize_i64(&mut serde_json::Serializer::new(&mut *buf), e.ts);
    buf.extend_from_slice(b"\",\"labels\":");
    labels_into(buf, &e.labels);
    buf.extend_from_slice(b",\"metadata\":");
    labels_into(buf, &e.metadata);
    buf.extend_from_slice(b",\"parsed\":");
    labels_into(buf, &e.parsed);
    buf.extend_from_slice(b",\"line\":");
    str_into(buf, &e.line);
    buf.extend_from_slice(b",\"fields\":");
    let mark = buf.len();
    if !fields_into(buf, &e.line) {
        buf.truncate(mark);
        match crate::model::json_object(&e.line) {
            // Writing a `Value` into a `Vec` cannot fail.
            Some(v) => drop(serde_json::to_writer(&mut *buf, &v)),
            None => buf.extend_from_slice(b"null"),
        }
    }
    buf.push(b'}');
}

/// A JSON string, escaped as `serde_json` escapes it.
fn str_into(buf: &mut Vec<u8>, s: &str) {
    // Serialising into a `Vec` cannot fail.
    let _ = serde::Serializer::serialize_str(&mut serde_json::Serializer::new(buf), s);
}

fn labels_into(buf: &mut Vec<u8>, l: &Labels) {
    buf.push(b'{');
    for (i, (k, v)) in l.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        str_into(buf, k);
        buf.push(b':');
        str_into(buf, v);
    }
    buf.push(b'}');
}

/// `fields` for `line`: `null` unless it is a JSON object, which is re-written compactly as
/// `serde_json` writes its tree. `false` (with `buf` partly written) when the tree could
/// differ from a plain transcoding or the line is not valid JSON.
fn fields_into(buf: &mut Vec<u8>, line: &str) -> bool {
    let trimmed = line.trim_start();
    if !trimmed.starts_with('{') {
        buf.extend_from_slice(b"null");
        return true;
    }
    let mut de = serde_json::Deserializer::from_str(trimmed);
    serde::de::DeserializeSeed::deserialize(Transcode(buf), &mut de).is_ok() && de.end().is_ok()
}

/// Keys of one object beyond which duplicates are not looked for (the tree path is taken).
const MAX_CHECKED_KEYS: usize = 64;

/// Writes each value as it is read, as compact JSON, exactly as a `serde_json::Value` read from
/// the same text would be written. Fails on a repeated key (the tree keeps the first position
/// with the last value) and on objects too large to check.
struct Transcode<'b>(&'b mut Vec<u8>);

impl Transcode<'_> {
    fn ser(&mut self) -> serde_json::Serializer<&mut Vec<u8>> {
        serde_json::Serializer::new(&mut *self.0)
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Transcode<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Transcode<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.0
            .extend_from_slice(if v { b"true" as &[u8] } else { b"false" });
        Ok(())
    }

    fn visit_i64<E>(mut self, v: i64) -> Result<(), E> {
        let _ = serde::Serializer::serialize_i64(&mut self.ser(), v);
        Ok(())
    }

    fn visit_u64<E>(mut self, v: u64) -> Result<(), E> {
        let _ = serde::Serializer::serialize_u64(&mut self.ser(), v);
        Ok(())
    }

    fn visit_f64<E>(mut self, v: f64) -> Result<(), E> {
        // The tree holds a non-finite number as `null`, as this writes it.
        let _ = serde::Serializer::serialize_f64(&mut self.ser(), v);
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        str_into(self.0, v);
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.extend_from_slice(b"null");
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.0.extend_from_slice(b"null");
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.push(b'[');
        let mut first = true;
        loop {
            let mark = self.0.len();
            if !first {
                self.0.push(b',');
            }
            if seq.next_element_seed(Transcode(&mut *self.0))?.is_none() {
                self.0.truncate(mark);
                break;
            }
            first = false;
        }
        self.0.push(b']');
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys: Vec<std::borrow::Cow<'de, str>> = Vec::new();
        self.0.push(b'{');
        while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if keys.len() >= MAX_CHECKED_KEYS || keys.contains(&k) {
                return Err(serde::de::Error::custom("repeated or too many keys"));
            }
            if !keys.is_empty() {
                self.0.push(b',');
            }
            str_into(self.0, &k);
            self.0.push(b':');
            keys.push(k);
            map.next_value_seed(Transcode(&mut *self.0))?;
        }
        self.0.push(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn entry(line: &str) -> LogEntry {
        let mut l = Labels::new();
        l.insert("app".into(), "x\u{1b}\"y".into());
        l.insert("level".into(), "info".into());
        let mut e = LogEntry::new(1_795_594_008_123_456_789, Arc::new(l), line);
        e.metadata.insert("trace_id".into(), "t\n1".into());
        e
    }

    #[test]
    fn written_entries_are_the_bytes_of_the_tree() {
        let lines = [
            r#"{"event":"tool.call","seq":3,"args":{"sha":"abc","n":[1,-2,3.5,null,true,false]},"level":"info"}"#,
            r#"  { "a" : 1 , "b" : [ ] , "c" : { } , "d" : "x" }  "#,
            r#"{"a":1,"b":2,"a":3}"#,
            r#"{"n":{"k":1,"k":2}}"#,
            r#"{"f":1e3,"g":-0,"h":1.0,"i":12345678901234567890123,"j":0.1,"k":-9223372036854775808}"#,
            r#"{"s":"\u00e9\/\ud83d\ude00\t\u0007 \u001b[31m","é":"中文"}"#,
            r#"{"bad":"\ud800"}"#,
            r#"{"unterminated":"#,
            r#"{"a":1} trailing"#,
            r#"{"a":1}{"b":2}"#,
            "[1,2]",
            "plain text with \u{1b}[0m and \"quotes\"",
            "",
            "{}",
            "\u{2003}{\"ws\":1}",
        ];
        let mut many = String::from("{");
        for i in 0..100 {
            many.push_str(&format!("\"k{i}\":{i},"));
        }
        many.push_str("\"k0\":\"last\"}");
        for line in lines.iter().copied().chain([many.as_str()]) {
            let e = entry(line);
            let mut buf = Vec::new();
            write_entry(&mut buf, &e);
            let want = serde_json::to_string(&entry_json(&e)).unwrap();
            assert_eq!(String::from_utf8(buf).unwrap(), want, "{line}");
        }
    }
}
