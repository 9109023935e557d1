//! The fields of a JSON line the agent model reads: the core's structlog view, parsed keeping
//! only the keys the model knows (the rest are skipped unparsed): most of the cost of
//! rebuilding a run is reading its lines.

pub(crate) use crate::model::{Structlog as Fields, Val};

/// The wanted fields of one JSON object line, in line order.
pub(crate) fn parse(line: &str) -> Option<Fields<'_>> {
    Fields::parse_only(line, wanted)
}

/// Whether the model ever reads `key` (every name in `event::names`, the event and level
/// names, and anything OpenTelemetry GenAI).
pub(crate) fn wanted(key: &str) -> bool {
    key.starts_with("gen_ai")
        || matches!(
            key,
            "agent_id"
                | "agent_type"
                | "target_id"
                | "model"
                | "max_turns"
                | "turn"
                | "turns"
                | "stop_reason"
                | "input_tokens"
                | "output_tokens"
                | "duration_ms"
                | "latency_ms"
                | "elapsed_ms"
                | "tool"
                | "tool_name"
                | "tool_call_id"
                | "args"
                | "arguments"
                | "chars"
                | "result_chars"
                | "result_size"
                | "error"
                | "error.message"
                | "error.type"
                | "exception"
                | "exception.stacktrace"
                | "message"
                | "exc"
                | "traceback"
                | "exc_info"
                | "stack"
                | "role"
                | "content"
                | "cost"
                | "cost_usd"
                | "status"
                | "event"
                | "name"
                | "level"
                | "severity"
                | "levelname"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::model::event::names;
    use std::borrow::Cow;

    #[test]
    fn every_name_the_model_reads_is_kept() {
        let all = [
            names::AGENT_ID,
            names::AGENT_TYPE,
            names::TARGET_ID,
            names::MODEL,
            names::MAX_TURNS,
            names::TURN,
            names::STOP,
            names::INPUT,
            names::OUTPUT,
            names::DURATION,
            names::TOOL,
            names::TOOL_CALL_ID,
            names::ARGS,
            names::CHARS,
            names::ERROR,
            names::TRACEBACK,
            names::ROLE,
            names::CONTENT,
            names::COST,
            names::TURNS,
        ];
        for n in all.iter().flat_map(|g| g.iter()) {
            assert!(wanted(n), "{n}");
        }
    }

    #[test]
    fn keeps_wanted_keys_and_skips_the_rest() {
        let f =
            parse(r#"{"event":"x","timestamp":"t","logger":"l","big":{"a":[1,2]},"tu\u0072n":3}"#)
                .unwrap();
        assert_eq!(f.entries().len(), 2);
        assert_eq!(f.get("turn").unwrap().u64(), Some(3));
        assert_eq!(f.get("event").unwrap().as_str(), Some("x"));
        assert!(matches!(
            f.get("event").unwrap().as_ref(),
            Val::Str(Cow::Borrowed(_))
        ));
        assert!(f.get("timestamp").is_none());
        assert!(parse("[1]").is_none());
    }
}
