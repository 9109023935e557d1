//! One log line read as an agent event: VulnSentinel's structlog names and the OpenTelemetry
//! GenAI names (`gen_ai.usage.input_tokens`, …) mapped onto one vocabulary.

use std::borrow::Cow;

use serde_json::Value;

use super::fields::{self, Fields, Val};

/// What an agent line says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Start,
    Turn,
    LlmRequest,
    LlmResponse,
    ToolCall,
    ToolResult,
    ToolError,
    /// A GenAI `execute_tool` record: call and result in one line.
    ToolExecuted,
    Message,
    Done,
    /// An error-level line that is not a tool error: a crash, an exception.
    Error,
    Other,
}

/// A parsed agent line.
#[derive(Debug, Clone)]
pub(crate) struct Ev<'a> {
    pub ts: i64,
    pub line: &'a str,
    pub kind: Kind,
    /// Borrowed from the line unless it holds escapes: one allocation fewer per line.
    pub agent_id: Cow<'a, str>,
    error_level: bool,
    fields: Fields<'a>,
}

/// Alternative names of each field, VulnSentinel's first.
pub(crate) mod names {
    pub const AGENT_ID: &[&str] = &["agent_id", "gen_ai.agent.id"];
    pub const AGENT_TYPE: &[&str] = &["agent_type", "gen_ai.agent.name"];
    pub const TARGET_ID: &[&str] = &["target_id"];
    pub const MODEL: &[&str] = &["model", "gen_ai.request.model", "gen_ai.response.model"];
    pub const MAX_TURNS: &[&str] = &["max_turns"];
    pub const TURN: &[&str] = &["turn"];
    pub const STOP: &[&str] = &["stop_reason", "gen_ai.response.finish_reasons"];
    pub const INPUT: &[&str] = &["input_tokens", "gen_ai.usage.input_tokens"];
    pub const OUTPUT: &[&str] = &["output_tokens", "gen_ai.usage.output_tokens"];
    pub const DURATION: &[&str] = &["duration_ms", "latency_ms", "elapsed_ms"];
    pub const TOOL: &[&str] = &["tool", "gen_ai.tool.name", "tool_name"];
    pub const TOOL_CALL_ID: &[&str] = &["tool_call_id", "gen_ai.tool.call.id"];
    pub const ARGS: &[&str] = &["args", "arguments", "gen_ai.tool.call.arguments"];
    pub const CHARS: &[&str] = &["chars", "result_chars", "result_size"];
    pub const ERROR: &[&str] = &["error", "exception", "error.message", "message", "exc"];
    pub const TRACEBACK: &[&str] = &["traceback", "exc_info", "stack", "exception.stacktrace"];
    pub const ROLE: &[&str] = &["role", "gen_ai.message.role"];
    pub const CONTENT: &[&str] = &["content", "gen_ai.message.content"];
    pub const COST: &[&str] = &["cost", "cost_usd"];
    pub const TURNS: &[&str] = &["turns"];
}

fn kind_of(event: &str, is_error_level: bool, op: Option<&str>) -> Kind {
    let kind = match event {
        "agent.start" | "gen_ai.invoke_agent.start" => Kind::Start,
        "agent.turn" => Kind::Turn,
        "llm.request" | "gen_ai.request" => Kind::LlmRequest,
        "llm.response" | "gen_ai.response" | "gen_ai.choice" => Kind::LlmResponse,
        "tool.call" => Kind::ToolCall,
        "tool.result" => Kind::ToolResult,
        "tool.error" => Kind::ToolError,
        "agent.message" | "gen_ai.message" => Kind::Message,
        "agent.done" | "gen_ai.invoke_agent.end" => Kind::Done,
        "agent.error" | "agent.failed" | "agent.crash" | "agent.crashed" => Kind::Error,
        _ => match op {
            Some("chat" | "text_completion" | "generate_content") => Kind::LlmResponse,
            Some("execute_tool") => Kind::ToolExecuted,
            _ => Kind::Other,
        },
    };
    match kind {
        Kind::Other if is_error_level => Kind::Error,
        k => k,
    }
}

/// The first of `names` that holds a string, without copying it when it can be borrowed.
fn str_of<'f>(fields: &'f Fields<'_>, names: &[&str]) -> Option<Cow<'f, str>> {
    names.iter().find_map(|n| match fields.get(n)? {
        Cow::Borrowed(v) => v.as_str().map(Cow::Borrowed),
        Cow::Owned(v) => v.as_str().map(|s| Cow::Owned(s.to_string())),
    })
}

/// Whether the line's level is error or worse.
fn error_level_of(fields: &Fields<'_>) -> bool {
    ["level", "severity", "levelname"].iter().any(|n| {
        fields.get(n).is_some_and(|v| {
            v.as_str()
                .is_some_and(|l| crate::model::Level::parse(l) == crate::model::Level::Error)
        })
    })
}

/// Built once: building a searcher per line costs as much as the search.
static AGENT: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("agent"));

impl<'a> Ev<'a> {
    /// Reads a line; `None` when it is not a JSON object or carries no agent id.
    pub fn parse(ts: i64, line: &'a str) -> Option<Self> {
        let trimmed = line.trim_start();
        // Every agent id key (`agent_id`, `gen_ai.agent.id`, `gen_ai_agent_id`, nested
        // `"agent":{"id"`) contains "agent": other lines are skipped without parsing.
        if !trimmed.starts_with('{') || AGENT.find(trimmed.as_bytes()).is_none() {
            return None;
        }
        let fields = fields::parse(trimmed)?;
        let agent_id = names::AGENT_ID.iter().find_map(|n| match fields.get(n)? {
            Cow::Borrowed(Val::Str(Cow::Borrowed(s))) => Some(Cow::Borrowed(*s)),
            v => v.text().map(Cow::Owned),
        })?;
        let error_level = error_level_of(&fields);
        let kind = {
            let event = str_of(&fields, &["event", "gen_ai.event.name", "name"]);
            let op = str_of(&fields, &["gen_ai.operation.name"]);
            kind_of(event.as_deref().unwrap_or(""), error_level, op.as_deref())
        };
        Some(Ev {
            ts,
            line,
            kind,
            agent_id,
            error_level,
            fields,
        })
    }

    /// The event name (`event`, or the GenAI event name).
    pub fn event(&self) -> String {
        str_of(&self.fields, &["event", "gen_ai.event.name", "name"])
            .map(Cow::into_owned)
            .unwrap_or_default()
    }

    /// Whether the line's level is error or worse.
    pub fn is_error_level(&self) -> bool {
        self.error_level
    }

    fn value(&self, names: &[&str]) -> Option<std::borrow::Cow<'_, Val<'a>>> {
        names
            .iter()
            .find_map(|n| self.fields.get(n))
            .filter(|v| !v.is_null())
    }

    /// Whether any of `names` is present (and not null).
    pub fn has(&self, names: &[&str]) -> bool {
        self.value(names).is_some()
    }

    /// A field as JSON, as logged.
    pub fn json(&self, names: &[&str]) -> Option<Value> {
        self.value(names).map(|v| v.to_json())
    }

    /// A field as text (strings unquoted; an array of strings, like GenAI finish reasons,
    /// joined with commas).
    pub fn text(&self, names: &[&str]) -> Option<String> {
        self.value(names).and_then(|v| v.text())
    }

    pub fn u64(&self, names: &[&str]) -> Option<u64> {
        self.value(names).and_then(|v| v.u64())
    }

    pub fn f64(&self, names: &[&str]) -> Option<f64> {
        self.value(names).and_then(|v| v.f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vulnsentinel_names() {
        let e = Ev::parse(
            1,
            r#"{"event":"llm.response","input_tokens":"1200","output_tokens":300,"agent_id":"ag-1","level":"info"}"#,
        )
        .unwrap();
        assert_eq!(e.kind, Kind::LlmResponse);
        assert_eq!(e.u64(names::INPUT), Some(1200));
        assert_eq!(e.u64(names::OUTPUT), Some(300));
    }

    #[test]
    fn reads_genai_names_flat_nested_and_flattened() {
        let flat = Ev::parse(
            1,
            r#"{"event":"llm.response","gen_ai.agent.id":"a","gen_ai.usage.input_tokens":7}"#,
        )
        .unwrap();
        assert_eq!(flat.agent_id, "a");
        assert_eq!(flat.u64(names::INPUT), Some(7));
        let nested = Ev::parse(
            1,
            r#"{"gen_ai":{"agent":{"id":"b"},"operation":{"name":"chat"},"usage":{"output_tokens":9}}}"#,
        )
        .unwrap();
        assert_eq!(nested.agent_id, "b");
        assert_eq!(nested.kind, Kind::LlmResponse);
        assert_eq!(nested.u64(names::OUTPUT), Some(9));
        let loki = Ev::parse(1, r#"{"gen_ai_agent_id":"c","gen_ai_tool_name":"t"}"#).unwrap();
        assert_eq!(loki.agent_id, "c");
        assert_eq!(loki.text(names::TOOL).as_deref(), Some("t"));
    }

    #[test]
    fn error_level_line_is_an_error_and_noise_is_skipped() {
        let e = Ev::parse(1, r#"{"event":"boom","level":"ERROR","agent_id":"a"}"#).unwrap();
        assert_eq!(e.kind, Kind::Error);
        let te = Ev::parse(
            1,
            r#"{"event":"tool.error","level":"error","agent_id":"a"}"#,
        )
        .unwrap();
        assert_eq!(te.kind, Kind::ToolError);
        assert!(Ev::parse(1, "Traceback (most recent call last):").is_none());
        assert!(Ev::parse(1, r#"{"event":"request.end"}"#).is_none());
    }
}
