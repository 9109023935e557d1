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

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::sync::Arc;

    use super::*;
    use crate::backend::Backend;
    use crate::source::LocalSource;

    /// Counts the fetches; serves nothing.
    struct Empty(Cell<usize>);

    impl LineSource for Empty {
        async fn fetch(&self, _: &str, _: i64, _: i64) -> anyhow::Result<Vec<LogEntry>> {
            self.0.set(self.0.get() + 1);
            Ok(Vec::new())
        }
    }

    fn session() -> Session {
        let src = LocalSource::open(vec![]).unwrap();
        Session::new(
            Backend::Local(Arc::new(src)),
            "vulnsentinel",
            1_795_594_043 * 1_000_000_000,
        )
    }

    fn since_and_from() -> RangeQuery {
        RangeQuery {
            since: Some("1h".into()),
            from: Some("now-2h".into()),
            ..RangeQuery::default()
        }
    }

    #[tokio::test]
    async fn since_with_from_is_refused_before_fetching() {
        let src = Empty(Cell::new(0));
        let err = find_runs(&session(), &src, "ag-1", &since_and_from(), |_| {})
            .await
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("--since") && err.contains("--from"), "{err}");
        let req = AgentsRequest {
            range: since_and_from(),
            ..AgentsRequest::default()
        };
        assert!(list_runs(&session(), &src, &req).await.is_err());
        assert_eq!(src.0.get(), 0);
    }

    #[tokio::test]
    async fn an_unchosen_range_is_widened_once_and_said() {
        let src = Empty(Cell::new(0));
        let mut told = Vec::new();
        let err = find_runs(&session(), &src, "ag-1", &RangeQuery::default(), |d| {
            told.push(d)
        })
        .await;
        assert!(err.is_err());
        assert_eq!(told, [7]);
        assert_eq!(src.0.get(), 2);
    }
}
