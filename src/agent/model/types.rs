//! The shape of a rebuilt agent run. Serialised as is by `replay -o json` (documented in
//! `docs/replay-json-schema.md`), so renaming a field is a schema change.

use std::collections::BTreeMap;

use serde::Serialize;

/// How a run ended, as far as its log lines tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// `agent.done` was logged.
    Done,
    /// An error-level line was logged and no `agent.done`.
    Failed,
    /// Started, no end yet, and its last line is recent.
    Running,
    /// Its start or end is missing (cut by the time window, or it went silent).
    #[default]
    Incomplete,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Done => "done",
            RunStatus::Failed => "failed",
            RunStatus::Running => "running",
            RunStatus::Incomplete => "incomplete",
        }
    }

    /// Parses the `--status` filter value.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "done" => Some(RunStatus::Done),
            "failed" => Some(RunStatus::Failed),
            "running" => Some(RunStatus::Running),
            "incomplete" => Some(RunStatus::Incomplete),
            _ => None,
        }
    }
}

/// Who the run was and when: from `agent.start` (or whatever lines exist).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct RunHeader {
    pub agent_id: String,
    pub agent_type: Option<String>,
    pub target_id: Option<String>,
    pub model: Option<String>,
    pub max_turns: Option<u64>,
    /// `agent.start`'s timestamp, ns; `None` when the start was not in the lines.
    pub start_ns: Option<i64>,
    /// `agent.done`'s (or the last line's, for an unfinished run) timestamp, ns.
    pub end_ns: Option<i64>,
    /// The first and last line seen, ns (always known).
    pub first_ns: i64,
    pub last_ns: i64,
    pub status: RunStatus,
    /// Why the status is what it is, in words (`no agent.start in the range`, …).
    pub status_reason: String,
    /// Whether `agent.start` was seen.
    pub started: bool,
    /// Whether `agent.done` was seen.
    pub finished: bool,
}

/// One LLM response.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct LlmCall {
    pub ts_ns: i64,
    pub stop_reason: Option<String>,
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    /// Milliseconds: logged (`duration_ms`/`latency_ms`), else since `llm.request` or the turn.
    pub latency_ms: Option<f64>,
    /// The latency was computed from timestamps, not logged.
    pub latency_derived: bool,
    pub raw: String,
}

/// One conversation message (`agent.message`, debug level).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Message {
    pub ts_ns: i64,
    pub role: String,
    /// Complete, as logged (views truncate it).
    pub content: String,
    pub tool_call_id: Option<String>,
    pub raw: String,
}

/// One tool call paired with its result or error.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ToolCall {
    pub tool: String,
    pub tool_call_id: Option<String>,
    /// The arguments as logged (`null` when only the result was seen).
    pub args: serde_json::Value,
    /// When the call started, ns: the end minus its duration when known.
    pub start_ns: i64,
    /// When its result or error (or the call line) was logged, ns.
    pub end_ns: i64,
    pub duration_ms: Option<f64>,
    /// Size of the result (`chars`).
    pub result_chars: Option<u64>,
    /// Error text of `tool.error`.
    pub error: Option<String>,
    /// Neither a result nor an error was logged.
    pub pending: bool,
    /// Only the result/error was seen (the `tool.call` line is missing).
    pub call_missing: bool,
    pub raw_call: Option<String>,
    pub raw_result: Option<String>,
}

/// An error-level line of the run (a crash, an exception), with its traceback.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct RunError {
    pub ts_ns: i64,
    /// The turn it happened in, when any.
    pub turn: Option<u64>,
    pub event: String,
    pub message: String,
    pub traceback: Option<String>,
    pub raw: String,
}

/// One entry of a turn, in log order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    LlmResponse(LlmCall),
    Message(Message),
    ToolCall(ToolCall),
    Error(RunError),
}

impl Step {
    pub fn ts_ns(&self) -> i64 {
        match self {
            Step::LlmResponse(l) => l.ts_ns,
            Step::Message(m) => m.ts_ns,
            Step::ToolCall(t) => t.start_ns,
            Step::Error(e) => e.ts_ns,
        }
    }

    /// The log line behind the step (the result's line for a tool call without its call).
    pub fn raw(&self) -> &str {
        match self {
            Step::LlmResponse(l) => &l.raw,
            Step::Message(m) => &m.raw,
            Step::ToolCall(t) => t
                .raw_call
                .as_deref()
                .or(t.raw_result.as_deref())
                .unwrap_or(""),
            Step::Error(e) => &e.raw,
        }
    }

    pub fn is_error(&self) -> bool {
        match self {
            Step::ToolCall(t) => t.error.is_some(),
            Step::Error(_) => true,
            _ => false,
        }
    }
}

/// One turn of the agent loop.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Turn {
    /// The turn number as logged (`0` for lines logged before the first turn).
    pub number: u64,
    /// `agent.turn`'s timestamp, or the first step's.
    pub start_ns: i64,
    /// `agent.turn` was logged (not inferred from other lines).
    pub logged: bool,
    pub steps: Vec<Step>,
    pub raw: Option<String>,
}

impl Turn {
    pub fn input_tokens(&self) -> u64 {
        self.llm_calls().filter_map(|l| l.input_tokens).sum()
    }

    pub fn output_tokens(&self) -> u64 {
        self.llm_calls().filter_map(|l| l.output_tokens).sum()
    }

    pub fn llm_calls(&self) -> impl Iterator<Item = &LlmCall> {
        self.steps.iter().filter_map(|s| match s {
            Step::LlmResponse(l) => Some(l),
            _ => None,
        })
    }

    pub fn tool_calls(&self) -> impl Iterator<Item = &ToolCall> {
        self.steps.iter().filter_map(|s| match s {
            Step::ToolCall(t) => Some(t),
            _ => None,
        })
    }
}

/// What `agent.done` reported.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Reported {
    pub turns: Option<u64>,
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    pub cost: Option<f64>,
}

/// The cost of a run, and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cost {
    pub usd: f64,
    /// Estimated from tokens with the price table (the run logged no cost).
    pub estimated: bool,
}

/// Calls, errors and time of one tool within a run.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ToolTotals {
    pub calls: u64,
    pub errors: u64,
    pub total_ms: f64,
}

/// Sums over a run.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Totals {
    /// Turns seen (turn 0, lines before the first turn, not counted).
    pub turns: u64,
    pub llm_calls: u64,
    /// Summed over the LLM responses.
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// From `agent.done`, else estimated; `None` when neither is possible (unknown model).
    pub cost: Option<Cost>,
    /// What `agent.done` said, when it was logged.
    pub reported: Option<Reported>,
    /// Fields where `agent.done` disagrees with the sum of the turns (`turns`, `input_tokens`…).
    pub mismatches: Vec<String>,
    pub tool_calls: u64,
    pub tool_errors: u64,
    pub tools: BTreeMap<String, ToolTotals>,
    pub llm_ms: f64,
    pub tool_ms: f64,
    /// Wall time not spent in the LLM or in tools.
    pub other_ms: f64,
    pub wall_ms: f64,
}

/// One agent run rebuilt from its lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentRun {
    pub header: RunHeader,
    pub turns: Vec<Turn>,
    /// Every error-level line of the run (also shown inline in their turn).
    pub errors: Vec<RunError>,
    pub totals: Totals,
    /// Whether any `agent.message` was seen: at INFO level the conversation is not logged.
    pub conversation_logged: bool,
    /// Lines of the run that were dropped as exact duplicates (same timestamp and text).
    pub duplicates_dropped: usize,
    /// Lines of the run whose event is not part of the agent schema (kept out of the timeline).
    pub other_lines: usize,
}
