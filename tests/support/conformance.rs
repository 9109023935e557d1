//! Loader for the LogQL conformance fixtures (`tests/fixtures/logql-conformance/`): the data
//! set as `LogEntry`s labelled the way Loki stored them, the case files, and Loki's query
//! window/limit/direction rules for log queries. Shared by the log and metric conformance tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;
use vs_logs::model::{Labels, LogEntry};

/// The fixtures folder.
pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/logql-conformance")
}

/// The 4031 entries in timestamp order. Stream labels: the four pushed labels plus
/// `service_name` (= `app`); structured metadata: `detected_level` (= `level`, `warning` →
/// `warn`), as Loki adds them.
pub fn dataset() -> Vec<LogEntry> {
    let lines = std::fs::read_to_string(dir().join("dataset.jsonl")).expect("dataset.jsonl");
    let meta = std::fs::read_to_string(dir().join("dataset.meta.jsonl")).expect("meta");
    let mut streams: BTreeMap<Labels, Arc<Labels>> = BTreeMap::new();
    let mut out = Vec::new();
    for (line, meta) in lines.split('\n').zip(meta.lines()) {
        let m: Value = serde_json::from_str(meta).expect("meta json");
        let ts: i64 = m["ts_ns"].as_str().expect("ts_ns").parse().expect("ts");
        let mut labels: Labels = m["labels"]
            .as_object()
            .expect("labels")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
        if let Some(app) = labels.get("app").cloned() {
            labels.insert("service_name".into(), app);
        }
        let level = labels.get("level").cloned().unwrap_or_default();
        let arc = streams
            .entry(labels.clone())
            .or_insert_with(|| Arc::new(labels))
            .clone();
        let mut e = LogEntry::new(ts, arc, line);
        let detected = if level == "warning" {
            "warn".to_string()
        } else {
            level
        };
        e.metadata.insert("detected_level".into(), detected);
        out.push(e);
    }
    assert_eq!(out.len(), 4031, "dataset size");
    out
}

/// A request's parameters (`None` = not sent).
#[derive(Debug, Clone)]
pub struct Request {
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub time: Option<i64>,
    pub step_s: Option<f64>,
    pub limit: Option<usize>,
    pub backward: bool,
}

/// One case file.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub kind: String,
    pub query: String,
    pub request: Request,
    pub expected: Value,
}

fn ns(v: &Value) -> Option<i64> {
    v.as_str().and_then(|s| s.parse().ok())
}

/// Every case of one kind (`log`, `metric`, `error`), sorted by id.
pub fn cases(kind: &str) -> Vec<Case> {
    cases_in(&dir().join("cases"), kind)
}

/// Cases captured the same way for LogQL syntax Loki accepts or refuses
/// (`tests/fixtures/logql-loki-syntax/cases`).
#[allow(dead_code)]
pub fn syntax_cases(kind: &str) -> Vec<Case> {
    let d =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/logql-loki-syntax/cases");
    cases_in(&d, kind)
}

/// Loki answers vs-logs deliberately does not copy (Loki bugs), in
/// `tests/fixtures/logql-conformance/not-copied`.
#[allow(dead_code)]
pub fn not_copied_cases(kind: &str) -> Vec<Case> {
    cases_in(&dir().join("not-copied"), kind)
}

fn cases_in(cases_dir: &std::path::Path, kind: &str) -> Vec<Case> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(cases_dir).expect("cases dir") {
        let path = e.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !name.ends_with(".json") || name.ends_with(".raw.json") {
            continue;
        }
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("case")).expect("json");
        if v["kind"] != kind {
            continue;
        }
        let r = &v["request"];
        out.push(Case {
            id: v["id"].as_str().unwrap_or_default().to_string(),
            kind: kind.to_string(),
            query: v["query"].as_str().unwrap_or_default().to_string(),
            request: Request {
                start: ns(&r["start"]),
                end: ns(&r["end"]),
                time: ns(&r["time"]),
                step_s: r["step"].as_f64(),
                limit: r["limit"].as_u64().map(|l| l as usize),
                backward: r["direction"] == "backward",
            },
            expected: v["expected"].clone(),
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Runs a log query over the data set like Loki's `query_range`: entries with
/// `start <= ts < end`, ordered by timestamp (descending when backward), at most `limit`.
pub fn run_log_query(
    q: &vs_logs::logql::LogQuery,
    data: &[LogEntry],
    req: &Request,
) -> Vec<LogEntry> {
    let start = req.start.unwrap_or(i64::MIN);
    let end = req.end.unwrap_or(i64::MAX);
    let mut out: Vec<LogEntry> = data
        .iter()
        .filter(|e| e.ts >= start && e.ts < end)
        .filter(|e| q.matches_stream(&e.labels) && q.line_prefilter(&e.line))
        .filter_map(|e| q.process(e))
        .collect();
    out.sort_by_key(|e| e.ts);
    if req.backward {
        out.reverse();
    }
    if let Some(limit) = req.limit.filter(|l| *l > 0) {
        out.truncate(limit);
    }
    out
}

/// Expected `(ts, line, labels)` of a log case.
pub fn expected_entries(case: &Case) -> Vec<(i64, String, Labels)> {
    case.expected["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            let labels = e["labels"]
                .as_object()
                .expect("labels")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect();
            (
                ns(&e["ts"]).expect("ts"),
                e["line"].as_str().expect("line").to_string(),
                labels,
            )
        })
        .collect()
}
