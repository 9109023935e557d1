//! The `-o json` / `-o jsonl` documents of `replay` and `agents`. Their shape is documented in
//! `docs/replay-json-schema.md`; `schema` names its version so tools can check it.

use serde_json::{Value, json};

use super::diff::first_divergence;
use super::runs_table::{RunRow, type_totals};
use crate::agent::model::AgentRun;

pub const REPLAY_SCHEMA: &str = "vs-logs.replay/1";
pub const DIFF_SCHEMA: &str = "vs-logs.replay-diff/1";
pub const AGENTS_SCHEMA: &str = "vs-logs.agents/1";

/// The query that found the lines, and its range (ns).
#[derive(Debug, Clone, PartialEq)]
pub struct Searched {
    pub query: String,
    pub start_ns: i64,
    pub end_ns: i64,
}

fn searched(s: &Searched) -> Value {
    json!({"query": s.query, "start_ns": s.start_ns, "end_ns": s.end_ns})
}

/// Every run of one agent id, complete (messages and tracebacks uncut, raw lines included).
pub fn replay(agent_id: &str, runs: &[AgentRun], s: &Searched) -> Value {
    json!({
        "schema": REPLAY_SCHEMA,
        "agent_id": agent_id,
        "searched": searched(s),
        "runs": runs,
    })
}

/// Two runs and where they diverge.
pub fn diff(a: &AgentRun, b: &AgentRun) -> Value {
    json!({
        "schema": DIFF_SCHEMA,
        "a": a,
        "b": b,
        "divergence": first_divergence(a, b),
    })
}

/// The runs table and per-type totals.
pub fn agents(rows: &[RunRow], s: &Searched) -> Value {
    json!({
        "schema": AGENTS_SCHEMA,
        "searched": searched(s),
        "runs": rows,
        "by_type": type_totals(rows),
    })
}
