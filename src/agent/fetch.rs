//! Getting the lines the agent commands need: the LogQL they send and the `LineSource` seam
//! that lets tests feed lines without a backend.

use std::sync::Arc;

use anyhow::Context as _;

use crate::backend::Backend;
use crate::model::{Direction, LogEntry, QueryOutput, QueryRange};

pub const HOUR_NS: i64 = 3_600_000_000_000;
pub const DAY_NS: i64 = 24 * HOUR_NS;
/// How far `replay` widens its search when the run is not in the default range.
pub const WIDEST_NS: i64 = 30 * DAY_NS;

/// Where the commands get their lines: the backend in production, canned entries in tests.
pub trait LineSource {
    /// Every entry of a log query in `[start_ns, end_ns)`, oldest first.
    fn fetch(
        &self,
        query: &str,
        start_ns: i64,
        end_ns: i64,
    ) -> impl Future<Output = anyhow::Result<Vec<LogEntry>>>;
}

impl LineSource for Backend {
    async fn fetch(
        &self,
        query: &str,
        start_ns: i64,
        end_ns: i64,
    ) -> anyhow::Result<Vec<LogEntry>> {
        let req = QueryRange {
            query: query.to_string(),
            start_ns,
            end_ns,
            limit: 0,
            direction: Direction::Forward,
            step_ms: None,
            instant: false,
        };
        let (out, _stats) = self
            .query(&req, Arc::new(|_| {}))
            .await
            .with_context(|| format!("querying {} with {query}", self.describe()))?;
        match out {
            QueryOutput::Streams(entries) => Ok(entries),
            QueryOutput::Metric(_) => anyhow::bail!("{query} returned numbers, not log lines"),
        }
    }
}

pub use crate::logql::quote;

/// Every line of one agent id, by VulnSentinel's `agent_id` or the GenAI `gen_ai.agent.id`
/// (which `| json` names `gen_ai_agent_id`). A plain id is also a line filter, so Loki skips
/// JSON parsing of the other lines.
pub fn replay_query(app: &str, agent_id: &str) -> String {
    let plain = !agent_id.is_empty()
        && agent_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c));
    let filter = if plain {
        format!(" |= {}", quote(agent_id))
    } else {
        String::new()
    };
    let id = quote(agent_id);
    format!(
        "{{app={}}}{filter} | json | agent_id={id} or gen_ai_agent_id={id}",
        quote(app)
    )
}

/// Only the lines the runs table needs: starts, ends, turns, LLM responses, tool calls and
/// errors — not the debug conversation.
pub fn agents_query(app: &str, agent_type: Option<&str>) -> String {
    let by_type = agent_type.map_or(String::new(), |t| format!(" | agent_type={}", quote(t)));
    format!(
        "{{app={}, module=\"agent\"}} | json{by_type} | \
         event=~\"agent.start|agent.done|agent.turn|llm.response|tool.call|tool.error\" \
         or level=\"error\"",
        quote(app)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_quote_their_values() {
        assert_eq!(
            replay_query("vulnsentinel", "ag-456"),
            r#"{app="vulnsentinel"} |= "ag-456" | json | agent_id="ag-456" or gen_ai_agent_id="ag-456""#
        );
        assert_eq!(
            replay_query("a", r#"x"y"#),
            r#"{app="a"} | json | agent_id="x\"y" or gen_ai_agent_id="x\"y""#
        );
        let q = agents_query("vulnsentinel", Some("event_classifier"));
        assert!(q.starts_with(r#"{app="vulnsentinel", module="agent"} | json | agent_type="event_classifier" | event=~"#));
        assert!(q.ends_with(r#" or level="error""#));
    }
}
