//! The interactive explorer (`vs-logs tui`). The only module that touches ratatui/crossterm.
//!
//! Shape: one `App` owned by the loop (`event_loop`), changed only by
//! `update(&mut App, Msg) -> Vec<Command>` (no I/O: tested directly); the loop executes the
//! commands in background tasks whose owned results come back as messages tagged with a
//! generation (stale ones are dropped); `render(frame, &App)` only draws.
//!
//! Entry: `run(session, TuiStart)`; the start request says which query, scene, range or agent
//! run to open (`vs-logs tui`, `vs-logs replay --tui`).

pub mod agent_view;
pub mod app;
mod event_loop;
pub mod export;
pub mod fields;
pub mod history;
pub mod input;
pub mod keys;
pub mod keyspec;
pub mod layout;
pub mod level;
pub mod msg;
pub mod render;
pub mod rewrite;
pub mod row;
pub mod store;
mod terminal;
pub mod testkit;
pub mod update;
pub mod volume;

use crate::agent::model::AgentRun;
use crate::agent::render::json::Searched;
use crate::session::{RangeDefault, Session};
use crate::timespec::{RangeKind, RangeQuery, format_display};

pub use app::{App, View};
pub use msg::{Command, Msg};
pub use render::render;
pub use update::update;

use app::{DEFAULT_BUFFER_LINES, RangeSpec};
use keys::KeyMap;

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
    let r = session.range(q, RangeDefault::Last("1h"))?;
    Ok(Some(match r.kind {
        RangeKind::Relative { ns } => RangeSpec::last(q.since.as_deref().unwrap_or("1h"), ns),
        RangeKind::Absolute => RangeSpec::Absolute {
            start_ns: r.start_ns,
            end_ns: r.end_ns,
            label: match (&q.since, &q.from, &q.to) {
                (Some(s), None, Some(t)) => format!("{s} before {t}"),
                (Some(s), None, None) => format!("last {s} of the input"),
                (None, None, Some(t)) => format!("1h before {t}"),
                _ => format!(
                    "{} .. {}",
                    q.from.as_deref().unwrap_or("1h before"),
                    q.to.as_deref().unwrap_or("now")
                ),
            },
        },
    }))
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
    app.buffer_lines = session
        .config
        .tui
        .buffer_lines
        .unwrap_or(DEFAULT_BUFFER_LINES);
    if let Some(l) = req.page_size {
        app.page_size = l;
    }
    if let Some(agent) = &req.agent {
        return Ok(start_on_agent(app, agent, req.range.utc));
    }
    let range = range_of(session, &req.range)?;
    if let Some(r) = range.clone() {
        app.range = r;
    }
    if let Some(q) = &req.query {
        app.editor.set(q.clone());
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
            let q = format!("{{app={}}}", rewrite::quote(&session.app));
            app.editor.set(q.clone());
            update::run_query(&mut app, q)
        }
    };
    if let Some(r) = range
        && !cmds.is_empty()
    {
        // the command line's range wins over the scene's
        app.range = r;
        let q = app.editor.text.clone();
        cmds = update::run_query(&mut app, q);
    }
    Ok((app, cmds))
}

/// Opens the agent screen on runs found before the terminal was taken: one run's timeline,
/// or the list when the id was reused. Behind it, the logs view runs the agent's query over
/// the range the runs were found in, so leaving the agent screen shows the run's lines.
fn start_on_agent(mut app: App, agent: &AgentStart, utc: bool) -> (App, Vec<Command>) {
    let s = &agent.searched;
    app.range = RangeSpec::Absolute {
        start_ns: s.start_ns,
        end_ns: s.end_ns,
        label: format!(
            "{} .. {}",
            format_display(s.start_ns, utc),
            format_display(s.end_ns, utc)
        ),
    };
    app.editor.set(s.query.clone());
    // One run opens its timeline; several (a reused id) open the list of them.
    let id = if agent.runs.len() == 1 {
        agent.agent_id.clone()
    } else {
        String::new()
    };
    let generation = app.generation;
    let shown = update(
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

/// Runs the explorer until the user quits; the terminal is restored on every path (normal
/// exit, error, panic, SIGTERM/SIGHUP).
pub async fn run(session: Session, req: TuiStart) -> anyhow::Result<()> {
    let (mut app, initial) = start(&session, &req)?;
    let history_path = history::default_path();
    if let Some(p) = &history_path {
        app.history = history::History::load(p);
    }
    if let Ok((w, h)) = crossterm::terminal::size() {
        app.width = w;
        app.height = h;
    }
    let (mut terminal, guard) = terminal::enter()?;
    let events = crossterm::event::EventStream::new();
    let result = event_loop::run(
        &mut terminal,
        events,
        &mut app,
        &session,
        history_path,
        initial,
    )
    .await;
    drop(guard);
    result
}
