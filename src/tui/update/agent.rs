//! The agent views inside the explorer: pivot from a line to its run's timeline, the list of
//! runs, and the actions of the open view's key table (`Screen::Timeline`, `Screen::Runs`).

use crossterm::event::KeyEvent;

use crate::agent::model::AgentRun;

use super::super::agent_view::{AgentsView, TimelineView, ViewAction};
use super::super::app::{App, Mode, Running, View};
use super::super::keys::{Action, Screen};
use super::super::msg::Command;
use super::details;

/// Starts fetching an agent's runs (or every run in the range when `agent_id` is empty).
pub fn fetch(app: &mut App, agent_id: &str, start_ns: Option<i64>) -> Vec<Command> {
    let mut cmds = Vec::new();
    if app.status.running.take().is_some() {
        cmds.push(Command::CancelQuery);
    }
    app.status.generation += 1;
    app.status.running = Some(Running::Agent);
    app.status.note = Some(if agent_id.is_empty() {
        "loading agent runs…".to_string()
    } else {
        format!("loading the run of {}…", crate::sanitize::inline(agent_id))
    });
    cmds.push(Command::FetchAgent {
        generation: app.status.generation,
        agent_id: agent_id.to_string(),
        start_ns,
        range: app.editor.range.resolve(app.now_ns),
    });
    cmds
}

/// Runs arrived: open the timeline (or the list); with no run found, fall back to the
/// agent's lines as a query.
pub fn finished(
    app: &mut App,
    generation: u64,
    agent_id: String,
    start_ns: Option<i64>,
    result: Result<Vec<AgentRun>, String>,
) -> Vec<Command> {
    if generation != app.status.generation {
        return Vec::new();
    }
    app.status.running = None;
    app.status.note = None;
    let runs = match result {
        Ok(r) => r,
        Err(e) => {
            app.status.error = Some(e);
            return Vec::new();
        }
    };
    // the agent screens have no details pane (it may have been opened while loading)
    app.logs.details = None;
    if agent_id.is_empty() {
        let list = AgentsView::from_runs(&runs, app.editor.range.label());
        app.nav.view = View::Agents(Box::new(list));
        return Vec::new();
    }
    let pick = start_ns
        .and_then(|s| runs.iter().find(|r| r.header.start_ns == Some(s)))
        .or(runs.last())
        .cloned();
    match pick {
        Some(run) => {
            if let View::Agents(list) = std::mem::take(&mut app.nav.view) {
                app.nav.agents_list = Some(list);
            }
            let mut view = TimelineView::new(run);
            if runs.len() > 1 {
                view = view.with_note(format!(
                    "this agent id has {} runs; showing the {}",
                    runs.len(),
                    if start_ns.is_some() {
                        "chosen one"
                    } else {
                        "latest"
                    }
                ));
            }
            app.nav.view = View::Agent(Box::new(view));
            Vec::new()
        }
        None => {
            app.status.note = Some("no agent run found in the range; showing its lines".into());
            details::open_agent(app, &agent_id)
        }
    }
}

/// Leaves an agent view: a timeline returns to the list it came from, else to the logs.
fn close(app: &mut App) {
    app.nav.view = match (&app.nav.view, app.nav.agents_list.take()) {
        (View::Agent(_), Some(list)) => View::Agents(list),
        _ => View::Logs,
    };
}

/// A key while an agent view is open, looked up in that view's key table; `None` when the
/// logs screen has the keys.
pub fn key(app: &mut App, k: KeyEvent) -> Option<Vec<Command>> {
    let screen = app.nav.screen();
    if screen == Screen::Logs {
        return None;
    }
    Some(match app.keys.action_in(screen, &k) {
        Some(a) => perform(app, a),
        None => Vec::new(),
    })
}

/// Runs one action of the open agent view's key table.
pub fn perform(app: &mut App, action: Action) -> Vec<Command> {
    if action == Action::Cancel && app.status.running.is_some() {
        // Ctrl-C cancels a running fetch first, as on the logs screen
        return super::cancel(app);
    }
    let done = match &mut app.nav.view {
        View::Logs
        | View::Patterns(_)
        | View::Fields(_)
        | View::Dashboard(_)
        | View::Context(_) => return Vec::new(),
        View::Agent(v) => v.perform(action),
        View::Agents(v) => v.perform(action),
    };
    match done {
        ViewAction::None => Vec::new(),
        ViewAction::Close => {
            close(app);
            Vec::new()
        }
        ViewAction::OpenRun { agent_id, start_ns } => fetch(app, &agent_id, Some(start_ns)),
        ViewAction::Unhandled if action == Action::Help => {
            app.mode = Mode::Help;
            Vec::new()
        }
        ViewAction::Unhandled => Vec::new(),
    }
}
