//! How the explorer starts: the request (`TuiStart`: a query, a scene, a range or an agent's
//! runs) turned into the first `App` and the commands that load its first screen.

use crate::agent::model::AgentRun;
use crate::agent::render::json::Searched;
use crate::backend::Backend;
use crate::session::{RangeDefault, Session};
use crate::timespec::{RangeKind, RangeQuery, format_display};

use super::app::{App, DEFAULT_BUFFER_LINES, RangeSpec};
use super::dash::DashboardStart;
use super::keys::KeyMap;
use super::msg::{Command, Msg};
use super::update;
use crate::logql::quote;

/// What the explorer opens on.
#[derive(Debug, Clone, Default)]
pub struct TuiStart {
    /// This LogQL instead of the first scene.
    pub query: Option<String>,
    /// This scene.
    pub scene: Option<String>,
    /// The range; with no flag, the scene's (or the last hour).
    pub range: RangeQuery,
    /// Lines per page.
    pub page_size: Option<usize>,
    /// Open on these agent runs (`replay --tui`) instead of a query.
    pub agent: Option<AgentStart>,
    /// Open on this dashboard (`vs-logs dashboard`); with no range flag, its own range.
    pub dashboard: Option<DashboardStart>,
}

/// The runs of one agent id, already found, to open on the agent screen.
#[derive(Debug, Clone)]
pub struct AgentStart {
    pub agent_id: String,
    /// Every run of the id (several when it was reused), oldest first.
    pub runs: Vec<AgentRun>,
    /// The query and range they were found with: the logs behind the agent screen.
    pub searched: Searched,
}

/// The range asked for on the command line, if any, resolved by the session's one rule.
fn range_of(session: &Session, q: &RangeQuery) -> anyhow::Result<Option<RangeSpec>> {
    if q.is_empty() {
        return Ok(None);
    }
    range_spec(session, q, "1h").map(Some)
}

/// The range of `q` (with no flag: the last `default_since`, ending at the newest line on
/// local inputs) as the explorer keeps it.
pub fn range_spec(
    session: &Session,
    q: &RangeQuery,
    default_since: &str,
) -> anyhow::Result<RangeSpec> {
    let r = session.range(q, RangeDefault::Last(default_since))?;
    Ok(match r.kind {
        RangeKind::Relative { ns } => {
            RangeSpec::last(q.since.as_deref().unwrap_or(default_since), ns)
        }
        RangeKind::Absolute => RangeSpec::Absolute {
            start_ns: r.start_ns,
            end_ns: r.end_ns,
            label: match (&q.since, &q.from, &q.to) {
                (Some(s), None, Some(t)) => format!("{s} before {t}"),
                (Some(s), None, None) => format!("last {s} of the input"),
                (None, None, None) => format!("last {default_since} of the input"),
                (None, None, Some(t)) => format!("{default_since} before {t}"),
                _ => format!(
                    "{} .. {}",
                    q.from.as_deref().unwrap_or("1h before"),
                    q.to.as_deref().unwrap_or("now")
                ),
            },
        },
    })
}

/// The app as it starts: settings from the session, and the first screen (the agent runs,
/// the given LogQL, the given scene, or the first scene that needs no parameters).
pub fn start(session: &Session, req: &TuiStart) -> anyhow::Result<(App, Vec<Command>)> {
    let mut app = App::new(
        &session.app,
        session.scenes.clone(),
        KeyMap::new(&session.config.keys),
        session.now_ns,
    );
    app.backend_name = session.backend.describe();
    if let Backend::Local(src) = &session.backend {
        app.data_end_ns = src.newest_ns().map(|n| n.saturating_add(1));
    }
    app.logs.buffer_lines = session
        .config
        .tui
        .buffer_lines
        .unwrap_or(DEFAULT_BUFFER_LINES);
    if let Some(l) = req.page_size {
        app.logs.page_size = l;
    }
    if let Some(agent) = &req.agent {
        return Ok(start_on_agent(app, agent, req.range.utc));
    }
    if let Some(d) = &req.dashboard {
        app.editor.range = range_spec(session, &req.range, &d.dashboard.since)?;
        app.editor
            .input
            .set(format!("{{app={}}}", quote(&session.app)));
        let c = update::dashboard::open_with(&mut app, d.clone());
        return Ok((app, c));
    }
    let range = range_of(session, &req.range)?;
    if let Some(r) = range.clone() {
        app.editor.range = r;
    }
    if let Some(q) = &req.query {
        app.editor.input.set(q.clone());
        let c = update::run_query(&mut app, q.clone());
        return Ok((app, c));
    }
    let idx = match &req.scene {
        Some(name) => Some(
            session
                .scenes
                .iter()
                .position(|s| s.name == *name)
                .ok_or_else(|| {
                    anyhow::anyhow!("no scene named {name:?}; `vs-logs scenes` lists them")
                })?,
        ),
        None => session
            .scenes
            .iter()
            .position(|s| s.params.iter().all(|p| p.default.is_some())),
    };
    let mut cmds = match idx {
        Some(i) => update::choose_scene(&mut app, i),
        None => {
            let q = format!("{{app={}}}", quote(&session.app));
            app.editor.input.set(q.clone());
            update::run_query(&mut app, q)
        }
    };
    if let Some(r) = range
        && !cmds.is_empty()
    {
        // the command line's range wins over the scene's
        app.editor.range = r;
        let q = app.editor.input.text.clone();
        cmds = update::run_query(&mut app, q);
    }
    Ok((app, cmds))
}

/// Opens the agent screen on runs found before the terminal was taken: one run's timeline,
/// or the list when the id was reused. Behind it, the logs view runs the agent's query over
/// the range the runs were found in, so leaving the agent screen shows the run's lines.
fn start_on_agent(mut app: App, agent: &AgentStart, utc: bool) -> (App, Vec<Command>) {
    let s = &agent.searched;
    app.editor.range = RangeSpec::Absolute {
        start_ns: s.start_ns,
        end_ns: s.end_ns,
        label: format!(
            "{} .. {}",
            format_display(s.start_ns, utc),
            format_display(s.end_ns, utc)
        ),
    };
    app.editor.input.set(s.query.clone());
    // One run opens its timeline; several (a reused id) open the list of them.
    let id = if agent.runs.len() == 1 {
        agent.agent_id.clone()
    } else {
        String::new()
    };
    let generation = app.status.generation;
    let shown = update::update(
        &mut app,
        Msg::AgentFinished {
            generation,
            agent_id: id,
            start_ns: None,
            result: Ok(agent.runs.clone()),
        },
    );
    let mut cmds = update::run_query(&mut app, s.query.clone());
    cmds.extend(shown);
    (app, cmds)
}

#[cfg(test)]
mod tests;
