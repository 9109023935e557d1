//! What the table shows for one line, derived lazily (JSON parsed only for rows on screen)
//! and cached by row identity.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use crate::model::Structlog;
use crate::sanitize;

use super::store::{Level, Row};

/// Display data of one row; every string is already sanitised.
#[derive(Debug, Clone, PartialEq)]
pub struct RowView {
    pub time: String,
    pub level: Level,
    pub module: String,
    pub event: String,
    /// `key=value` pairs, most useful first.
    pub fields: Vec<(String, String)>,
    /// The line, sanitised (for non-JSON lines and raw mode); its first line only when it
    /// spans several.
    pub raw: String,
    pub is_json: bool,
    /// Lines after the first, in a multi-line record (a traceback joined to its error line):
    /// the table shows a marker for them, the details pane shows them all.
    pub more_lines: usize,
}

/// The table's marker for the lines of a multi-line record it does not show.
pub fn more_lines_marker(n: usize) -> String {
    if n == 1 {
        " ↵ +1 line".to_string()
    } else {
        format!(" ↵ +{n} lines")
    }
}

/// Fields worth showing first for an event (by event prefix).
fn useful_fields(event: &str) -> &'static [&'static str] {
    match event {
        e if e.starts_with("tool.") => &["tool", "duration_ms", "error", "chars", "agent_id"],
        e if e.starts_with("llm.") => &["stop_reason", "input_tokens", "output_tokens", "agent_id"],
        "agent.done" => &["agent_id", "turns", "cost", "input_tokens", "output_tokens"],
        "agent.turn" => &["agent_id", "turn", "max_turns"],
        "agent.message" => &["role", "content", "agent_id"],
        e if e.starts_with("agent.") => &["agent_type", "agent_id", "target_id", "model"],
        e if e.contains("request.") => &["method", "path", "status", "duration_ms", "request_id"],
        e if e.starts_with("db.") => &["duration_ms", "query"],
        e if e.starts_with("engine.") => &["repo", "target_id", "error"],
        _ => &["error", "agent_id", "target_id"],
    }
}

/// `MM-DD HH:MM:SS.mmm` in UTC.
pub fn format_ts(ts_ns: i64) -> String {
    crate::timespec::format_time(ts_ns, true, crate::timespec::TimeStyle::DayMillis)
}

impl RowView {
    pub fn derive(row: &Row<'_>) -> RowView {
        let whole = row.line();
        let trimmed = whole.trim_end_matches(['\n', '\r']);
        let (line, more_lines) = match trimmed.split_once('\n') {
            Some((first, rest)) => (
                first.strip_suffix('\r').unwrap_or(first),
                rest.split('\n').count(),
            ),
            None => (whole, 0),
        };
        let labels = row.labels();
        let mut v = RowView {
            time: format_ts(row.ts()),
            level: row.level(),
            module: labels
                .get("module")
                .map(|m| sanitize::inline(m).into_owned())
                .unwrap_or_default(),
            event: String::new(),
            fields: Vec::new(),
            raw: sanitize::inline(line).into_owned(),
            is_json: false,
            more_lines,
        };
        let json = match Structlog::parse(whole) {
            // An object spread over lines: its newlines are only whitespace.
            Some(s) => {
                v.more_lines = 0;
                v.raw = sanitize::inline(whole).into_owned();
                Some(s)
            }
            None if more_lines > 0 => Structlog::parse(line),
            None => None,
        };
        if let Some(s) = json {
            v.is_json = true;
            if v.module.is_empty()
                && let Some(m) = s.module()
            {
                v.module = m.to_string();
            }
            v.event = s
                .event()
                .map(|e| sanitize::inline(&e).into_owned())
                .unwrap_or_default();
            let prio = useful_fields(&v.event);
            let mut fields: Vec<(usize, String, String)> = s
                .fields()
                .map(|(k, val)| {
                    let rank = prio.iter().position(|p| *p == k).unwrap_or(prio.len());
                    (
                        rank,
                        sanitize::inline(k).into_owned(),
                        sanitize::inline(&val.display()).into_owned(),
                    )
                })
                .collect();
            fields.sort_by_key(|(r, ..)| *r);
            v.fields = fields.into_iter().map(|(_, k, val)| (k, val)).collect();
        }
        v
    }

    /// The message column: event then fields (minus hidden ones), or the raw line.
    pub fn message(&self, hidden: &BTreeSet<String>) -> String {
        let mut s = self.message_first(hidden);
        if self.more_lines > 0 {
            s.push_str(&more_lines_marker(self.more_lines));
        }
        s
    }

    fn message_first(&self, hidden: &BTreeSet<String>) -> String {
        if !self.is_json {
            return self.raw.clone();
        }
        let mut s = self.event.clone();
        for (k, v) in &self.fields {
            if hidden.contains(k) {
                continue;
            }
            s.push(' ');
            s.push_str(k);
            s.push('=');
            s.push_str(v);
        }
        s
    }
}

/// Lazily filled cache of row views; bounded (cleared when it grows past a few screens).
#[derive(Debug, Default)]
pub struct RowCache {
    map: RefCell<HashMap<(u64, u32), Rc<RowView>>>,
}

const CACHE_MAX: usize = 4096;

impl RowCache {
    pub fn get(&self, row: &Row<'_>) -> Rc<RowView> {
        let key = row.key();
        if let Some(v) = self.map.borrow().get(&key) {
            return Rc::clone(v);
        }
        let v = Rc::new(RowView::derive(row));
        let mut map = self.map.borrow_mut();
        if map.len() >= CACHE_MAX {
            map.clear();
        }
        map.insert(key, Rc::clone(&v));
        v
    }

    pub fn clear(&self) {
        self.map.borrow_mut().clear();
    }

    pub fn len(&self) -> usize {
        self.map.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::super::store::Chunk;
    use super::*;
    use crate::model::{Labels, LogEntry};
    use std::sync::Arc;

    #[test]
    fn derives_useful_fields_first_and_sanitises() {
        let mut l = Labels::new();
        l.insert("module".into(), "agent".into());
        let e = LogEntry::new(
            1_700_000_000_123_000_000,
            Arc::new(l),
            r#"{"event":"tool.call","level":"info","agent_id":"ag-1","x":"\u001b]0;t\u0007","tool":"fetch"}"#,
        );
        let c = Chunk::build(vec![e]);
        let v = RowView::derive(&Row {
            chunk: &c,
            local: 0,
        });
        assert_eq!(v.time, "11-14 22:13:20.123");
        assert_eq!(v.event, "tool.call");
        assert_eq!(v.fields[0].0, "tool");
        assert_eq!(v.fields[1].0, "agent_id");
        assert_eq!(v.fields[2].1, "^[]0;t^G");
        let mut hidden = BTreeSet::new();
        hidden.insert("agent_id".to_string());
        assert_eq!(v.message(&hidden), "tool.call tool=fetch x=^[]0;t^G");
    }
}
