#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The model over the whole bundled demo (about a thousand runs of three agent types, with
//! failures, retries, debug messages and hostile lines): ag-456 comes out as in the real
//! capture, and every run is accounted for.

use std::sync::Arc;

use vs_logs::agent::model::{RunStatus, build_runs};
use vs_logs::agent::render::runs_table::{RunRow, type_totals};
use vs_logs::model::{Labels, LogEntry};
use vs_logs::source::demo::demo_lines;

/// Demo lines as entries, timestamped from their `timestamp` field (lines without one, the
/// hostile non-JSON ones, keep the previous line's time).
fn demo_entries() -> Vec<LogEntry> {
    let labels = Arc::new(Labels::new());
    let mut last = 0;
    demo_lines()
        .into_iter()
        .map(|line| {
            let ts = serde_json::from_str::<serde_json::Value>(&line)
                .ok()
                .and_then(|v| v["timestamp"].as_str().map(str::to_string))
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
                .and_then(|t| t.timestamp_nanos_opt())
                .unwrap_or(last);
            last = ts;
            LogEntry::new(ts, Arc::clone(&labels), line)
        })
        .collect()
}

#[test]
fn demo_ag456_and_every_run() {
    let entries = demo_entries();
    let runs = build_runs(&entries);
    let ag = runs
        .iter()
        .filter(|r| r.header.agent_id == "ag-456")
        .collect::<Vec<_>>();
    assert_eq!(ag.len(), 1);
    let ag = ag[0];
    let done: serde_json::Value = entries
        .iter()
        .find(|e| e.line.contains(r#""agent_id":"ag-456""#) && e.line.contains("agent.done"))
        .map(|e| serde_json::from_str(&e.line).unwrap())
        .unwrap();
    assert_eq!(ag.header.status, RunStatus::Done);
    assert_eq!(ag.totals.turns, done["turns"].as_u64().unwrap());
    assert_eq!(
        ag.totals.input_tokens,
        done["input_tokens"].as_u64().unwrap()
    );
    assert_eq!(
        ag.totals.output_tokens,
        done["output_tokens"].as_u64().unwrap()
    );
    assert_eq!(
        ag.totals.cost.as_ref().unwrap().usd,
        done["cost"].as_f64().unwrap()
    );
    let tools: Vec<&str> = ag
        .turns
        .iter()
        .flat_map(|t| t.tool_calls())
        .map(|c| c.tool.as_str())
        .collect();
    assert_eq!(tools, ["fetch_commit_diff", "submit_classification"]);

    // Every agent.start opens exactly one run.
    let starts = entries
        .iter()
        .filter(|e| e.line.contains(r#""event":"agent.start""#))
        .count();
    assert_eq!(runs.iter().filter(|r| r.header.started).count(), starts);
    assert!(runs.len() >= 900, "{} runs", runs.len());
    let rows: Vec<RunRow> = runs.iter().map(RunRow::of).collect();
    let by_type = type_totals(&rows);
    assert_eq!(by_type.len(), 3, "{by_type:?}");
    assert!(by_type.iter().any(|t| t.failed > 0));
    assert!(
        runs.iter()
            .any(|r| r.header.status == RunStatus::Failed && !r.errors.is_empty())
    );
}
