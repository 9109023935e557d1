//! Finding agent runs for the front ends: one agent's runs (widening the search when the user
//! did not choose the range) and the runs table of a range. Never prints: the front ends
//! (`cli::commands::{replay, agents}`, the TUI) decide what the user sees.

use crate::agent::fetch::{self, DAY_NS, LineSource, WIDEST_NS};
use crate::agent::model::{AgentRun, BuildOptions, RunStatus, build_runs_with};
use crate::agent::render::fmt::time;
use crate::agent::render::json::Searched;
use crate::agent::render::runs_table::RunRow;
use crate::model::LogEntry;
use crate::session::{RangeDefault, Session};
use crate::timespec::RangeQuery;

/// What `replay` was asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplayRequest {
    /// The agent id (`ag-456`).
    pub agent_id: String,
    /// Compare with this other agent id.
    pub diff: Option<String>,
    pub range: RangeQuery,
}

/// What `agents` was asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentsRequest {
    /// Only runs of this agent type.
    pub agent_type: Option<String>,
    /// Only runs with this status, as typed (`done`, `failed`, `running`, `incomplete`).
    pub status: Option<String>,
    pub range: RangeQuery,
}

/// The runs of one agent id and how they were found.
pub struct Found {
    pub runs: Vec<AgentRun>,
    pub entries: Vec<LogEntry>,
    pub searched: Searched,
}

/// Finds every run of `agent_id`: in the requested range (default the last 7 days), else,
/// when the user did not choose where the range starts, in the last 30 days (`on_widen` is
/// told how many days were searched first); else fails saying what was searched and how to
/// widen it.
pub async fn find_runs(
    session: &Session,
    src: &impl LineSource,
    agent_id: &str,
    range: &RangeQuery,
    mut on_widen: impl FnMut(i64),
) -> anyhow::Result<Found> {
    let query = fetch::replay_query(&session.app, agent_id);
    let win = session.range(range, RangeDefault::Last("7d"))?;
    let (mut start_ns, end_ns) = (win.start_ns, win.end_ns);
    let opts = session.build_options()?;
    loop {
        let entries = src.fetch(&query, start_ns, end_ns).await?;
        let runs: Vec<AgentRun> = build_runs_with(&entries, &opts)
            .into_iter()
            .filter(|r| r.header.agent_id == agent_id)
            .collect();
        let searched = Searched {
            query: query.clone(),
            start_ns,
            end_ns,
        };
        if !runs.is_empty() {
            return Ok(Found {
                runs,
                entries,
                searched,
            });
        }
        if !range.sets_start() && end_ns - start_ns < WIDEST_NS {
            on_widen((end_ns - start_ns) / DAY_NS);
            start_ns = end_ns - WIDEST_NS;
            continue;
        }
        anyhow::bail!(
            "no lines for agent {} between {} and {} (query: {query}). Check the id and --app, \
             or search further back with --since 90d or --from YYYY-MM-DD",
            crate::sanitize::inline(agent_id),
            time(start_ns, range.utc),
            time(end_ns, range.utc)
        );
    }
}

/// The runs table of a range and how it was found.
pub struct RunList {
    pub rows: Vec<RunRow>,
    pub searched: Searched,
}

/// The runs in the requested range (default the last 24 hours), filtered by type and status.
pub async fn list_runs(
    session: &Session,
    src: &impl LineSource,
    req: &AgentsRequest,
) -> anyhow::Result<RunList> {
    let status = match req.status.as_deref() {
        Some(s) => Some(RunStatus::parse(s).ok_or_else(|| {
            anyhow::anyhow!("unknown status {s:?}: use done, failed, running or incomplete")
        })?),
        None => None,
    };
    let win = session.range(&req.range, RangeDefault::Last("24h"))?;
    let query = fetch::agents_query(&session.app, req.agent_type.as_deref());
    let entries = src.fetch(&query, win.start_ns, win.end_ns).await?;
    let rows = summarize(
        &entries,
        &session.build_options()?,
        req.agent_type.as_deref(),
        status,
    );
    Ok(RunList {
        rows,
        searched: Searched {
            query,
            start_ns: win.start_ns,
            end_ns: win.end_ns,
        },
    })
}

/// The runs table rows of `entries`, filtered, oldest first.
pub fn summarize(
    entries: &[LogEntry],
    opts: &BuildOptions,
    agent_type: Option<&str>,
    status: Option<RunStatus>,
) -> Vec<RunRow> {
    let runs = build_runs_with(entries, opts);
    let mut rows: Vec<RunRow> = runs
        .iter()
        .filter(|r| agent_type.is_none_or(|t| r.header.agent_type.as_deref() == Some(t)))
        .filter(|r| status.is_none_or(|s| r.header.status == s))
        .map(RunRow::of)
        .collect();
    rows.sort_by(|a, b| (a.start_ns, &a.agent_id).cmp(&(b.start_ns, &b.agent_id)));
    rows
}
