//! Getting the lines the agent commands need: the LogQL they send, the time window they search
//! (widened when a run is not found), and the `LineSource` seam that lets tests feed lines
//! without a backend.

use std::sync::Arc;

use anyhow::Context as _;

use crate::backend::Backend;
use crate::cli::{Context, RangeArgs};
use crate::model::{Direction, LogEntry, QueryOutput, QueryRange};
use crate::timespec::{parse_duration, parse_time};

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

/// The range a command searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start_ns: i64,
    pub end_ns: i64,
    /// The user chose it (`--since`/`--from`): it is not widened.
    pub explicit: bool,
}

/// Resolves `--since/--from/--to`, defaulting to the last `default_ns`. With local inputs whose
/// newest line is older than now, the range ends at that line (a file copied off a box).
pub fn window(ctx: &Context, r: &RangeArgs, default_ns: i64) -> anyhow::Result<Window> {
    let anchor = match &ctx.backend {
        Backend::Local(src) => src
            .newest_ns()
            .map_or(ctx.now_ns, |n| n.saturating_add(1).min(ctx.now_ns)),
        Backend::Loki(_) => ctx.now_ns,
    };
    let end_ns = match &r.to {
        Some(t) => parse_time(t, ctx.now_ns, r.utc)?,
        None => anchor,
    };
    let start_ns = match (&r.from, &r.since) {
        (Some(f), _) => parse_time(f, ctx.now_ns, r.utc)?,
        (None, Some(s)) => end_ns - parse_duration(s)?,
        (None, None) => end_ns - default_ns,
    };
    if start_ns >= end_ns {
        anyhow::bail!("the range is empty: its start is not before its end (try --since 7d)");
    }
    Ok(Window {
        start_ns,
        end_ns,
        explicit: r.from.is_some() || r.since.is_some(),
    })
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
