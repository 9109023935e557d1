//! The agent views inside the explorer: pivot from a line to its run's timeline, the list of
//! runs, and keys handed to whichever agent view is open.

use crossterm::event::KeyEvent;

use crate::agent::model::AgentRun;

use super::super::agent_view::{AgentsView, TimelineView, ViewAction};
use super::super::app::{App, Running, View};
use super::super::keys::Action;
use super::super::msg::Command;
use super::{details, perform};

/// Starts fetching an agent's runs (or every run in the range when `agent_id` is empty).
pub fn fetch(app: &mut App, agent_id: &str, start_ns: Option<i64>) -> Vec<Command> {
    let mut cmds = Vec::new();
    if app.running.take().is_some() {
        cmds.push(Command::CancelQuery);
    }
    app.generation += 1;
    app.running = Some(Running::Agent);
    app.note = Some(if agent_id.is_empty() {
        "loading agent runs…".to_string()
    } else {
        format!("loading the run of {}…", crate::sanitize::inline(agent_id))
    });
    cmds.push(Command::FetchAgent {
        generation: app.generation,
        agent_id: agent_id.to_string(),
        start_ns,
        range: app.range.resolve(app.now_ns),
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
    if generation != app.generation {
        return Vec::new();
    }
    app.running = None;
    app.note = None;
    let runs = match result {
        Ok(r) => r,
        Err(e) => {
            app.error = Some(e);
            return Vec::new();
        }
    };
    if agent_id.is_empty() {
        let list = AgentsView::from_runs(&runs, app.range.label());
        app.view = View::Agents(Box::new(list));
        return Vec::new();
    }
    let pick = start_ns
        .and_then(|s| runs.iter().find(|r| r.header.start_ns == Some(s)))
        .or(runs.last())
        .cloned();
    match pick {
        Some(run) => {
            if let View::Agents(list) = std::mem::take(&mut app.view) {
                app.agents_list = Some(list);
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
            app.view = View::Agent(Box::new(view));
            Vec::new()
        }
        None => {
            app.note = Some("no agent run found in the range; showing its lines".into());
            details::open_agent(app, &agent_id)
        }
    }
}

/// Leaves an agent view: a timeline returns to the list it came from, else to the logs.
fn close(app: &mut App) {
    app.view = match (&app.view, app.agents_list.take()) {
        (View::Agent(_), Some(list)) => View::Agents(list),
        _ => View::Logs,
    };
}

/// A key while an agent view is open; `None` when the logs view should handle it.
pub fn key(app: &mut App, k: KeyEvent) -> Option<Vec<Command>> {
    let action = match &mut app.view {
        View::Logs => return None,
        View::Agent(v) => v.handle_key(k),
        View::Agents(v) => v.handle_key(k),
    };
    Some(match action {
        ViewAction::None => Vec::new(),
        ViewAction::Close => {
            close(app);
            Vec::new()
        }
        ViewAction::OpenRun { agent_id, start_ns } => fetch(app, &agent_id, Some(start_ns)),
        ViewAction::Unhandled => match app.keys.action(&k) {
            Some(a @ (Action::Quit | Action::Cancel | Action::Help)) => perform(app, a),
            Some(Action::Back) => {
                close(app);
                Vec::new()
            }
            _ => Vec::new(),
        },
    })
}
