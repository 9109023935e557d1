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
