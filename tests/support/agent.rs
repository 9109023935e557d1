//! Shared by the agent tests: the real ag-456 capture as entries, a context, and a line source
//! that serves canned entries and records the queries it was sent.

#![allow(dead_code)]

use std::cell::RefCell;
use std::sync::Arc;

use vs_logs::agent::fetch::LineSource;
use vs_logs::backend::Backend;
use vs_logs::cli::OutputPrefs;
use vs_logs::model::{Labels, LogEntry};
use vs_logs::output::OutputFormat;
use vs_logs::session::Session;
use vs_logs::source::LocalSource;

/// When capture 02 was taken (its README): "now" for the tests.
pub const CAPTURE_NOW_NS: i64 = 1_795_594_043_000_000_000;

/// The entries of a Loki `query_range` streams body, oldest first.
pub fn entries_of_capture(body: &str) -> Vec<LogEntry> {
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    let mut out = Vec::new();
    for stream in v["data"]["result"].as_array().unwrap() {
        let labels: Labels = stream["stream"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        let labels = Arc::new(labels);
        for pair in stream["values"].as_array().unwrap() {
            let ts: i64 = pair[0].as_str().unwrap().parse().unwrap();
            let line = pair[1].as_str().unwrap();
            out.push(LogEntry::new(ts, Arc::clone(&labels), line));
        }
    }
    out.sort_by_key(|e| e.ts);
    out
}

pub fn ag456() -> Vec<LogEntry> {
    entries_of_capture(include_str!(
        "../fixtures/loki-wire/02-qr-ag456-forward.json"
    ))
}

pub fn session() -> Session {
    Session::new(
        Backend::Local(Arc::new(LocalSource::open(vec![]).unwrap())),
        "vulnsentinel",
        CAPTURE_NOW_NS,
    )
}

pub fn prefs(format: OutputFormat, color: bool) -> OutputPrefs {
    OutputPrefs {
        format,
        color,
        raw_bytes: false,
        quiet: true,
        terminal: false,
    }
}

/// Serves `entries` whose agent id (from the query's `agent_id="…"`, when there is one) and
/// time match, like Loki would; remembers every (query, start, end) it was asked.
pub struct Canned {
    pub entries: Vec<LogEntry>,
    pub asked: RefCell<Vec<(String, i64, i64)>>,
}

impl Canned {
    pub fn new(entries: Vec<LogEntry>) -> Self {
        Self {
            entries,
            asked: RefCell::new(Vec::new()),
        }
    }
}

fn wanted_id(query: &str) -> Option<String> {
    let rest = query.split("agent_id=\"").nth(1)?;
    Some(rest.split('"').next()?.to_string())
}

impl LineSource for Canned {
    async fn fetch(
        &self,
        query: &str,
        start_ns: i64,
        end_ns: i64,
    ) -> anyhow::Result<Vec<LogEntry>> {
        self.asked
            .borrow_mut()
            .push((query.to_string(), start_ns, end_ns));
        let id = wanted_id(query);
        Ok(self
            .entries
            .iter()
            .filter(|e| e.ts >= start_ns && e.ts < end_ns)
            .filter(|e| {
                id.as_ref()
                    .is_none_or(|id| e.line.contains(&format!("\"agent_id\":\"{id}\"")))
            })
            .cloned()
            .collect())
    }
}

/// ag-456 with its debug lines removed, the submit tool failing, and crashing (with a
/// traceback) before agent.done.
pub fn failed_variant(id: &str) -> Vec<LogEntry> {
    let mut entries: Vec<LogEntry> = ag456()
        .into_iter()
        .filter(|e| !e.line.contains("\"level\":\"debug\"") && !e.line.contains("agent.done"))
        .map(|mut e| {
            e.line = e.line.replace("ag-456", id);
            if e.line.contains(r#""event":"tool.result","tool":"submit_classification""#) {
                e.line = e.line.replace(
                    r#""event":"tool.result","tool":"submit_classification","chars":64,"#,
                    r#""event":"tool.error","tool":"submit_classification","error":"HTTP 503 from api \u001b[31m(retry later)","#,
                );
                e.line = e.line.replace(r#""level":"info""#, r#""level":"error""#);
            }
            e
        })
        .collect();
    let last = entries.last().unwrap();
    let crash = format!(
        r#"{{"event":"agent.crashed","error":"ClassificationError: submit failed","traceback":"Traceback (most recent call last):\n  File \"agent.py\", line 88, in run\n    self.submit()\nClassificationError: submit failed","agent_type":"event_classifier","agent_id":"{id}","target_id":"evt-789","level":"error","logger":"vulnsentinel.agent"}}"#
    );
    let crash = LogEntry::new(last.ts + 2_000_000, Arc::clone(&last.labels), crash);
    entries.push(crash);
    entries
}
