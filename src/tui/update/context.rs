//! The log context view: opening it from the selected line, its keys, and the answers to
//! its two queries. The details pane's context lines share the fetch (`Command::FetchContext`,
//! `Msg::ContextFinished`) and the generation counter (`LogsView::ctx_gen`), so an answer
//! goes to whichever asked last and every other one is stale.

use crossterm::event::KeyEvent;

use crate::model::LogEntry;

use super::super::app::{App, Mode, View};
use super::super::drill::context::{Anchor, ContextAction, ContextView};
use super::super::keys::{Action, Screen};
use super::super::msg::Command;

/// The next tag for a context fetch.
fn next_generation(app: &mut App) -> u64 {
    app.logs.ctx_gen += 1;
    app.logs.ctx_gen
}

/// The context key on the logs screen: the lines around the selected one.
pub fn open(app: &mut App) -> Vec<Command> {
    let Some(anchor) = Anchor::of_selected(&app.logs) else {
        app.status.note = Some("no line selected: run a log query first".into());
        return Vec::new();
    };
    let generation = next_generation(app);
    let v = ContextView::new(anchor, &app.editor.query, generation);
    let queries = v.queries();
    app.nav.view = View::Context(Box::new(v));
    vec![Command::FetchContext {
        generation,
        queries,
    }]
}

/// Keys while the context view is open (`None`: another screen has them).
pub fn key(app: &mut App, k: KeyEvent) -> Option<Vec<Command>> {
    if app.nav.screen() != Screen::Context {
        return None;
    }
    Some(match app.keys.action_in(Screen::Context, &k) {
        Some(a) => perform(app, a),
        None => Vec::new(),
    })
}

/// Applies one action of the context view's key table.
pub fn perform(app: &mut App, action: Action) -> Vec<Command> {
    let generation = app.logs.ctx_gen + 1;
    let View::Context(v) = &mut app.nav.view else {
        return Vec::new();
    };
    match v.perform(action) {
        ContextAction::None => Vec::new(),
        ContextAction::Close => {
            // the results and their selection were never touched
            app.nav.view = View::Logs;
            Vec::new()
        }
        ContextAction::Fetch => {
            v.generation = generation;
            v.loading = true;
            let queries = v.queries();
            app.logs.ctx_gen = generation;
            vec![Command::FetchContext {
                generation,
                queries,
            }]
        }
        ContextAction::Note(n) => {
            app.status.note = Some(n.to_string());
            Vec::new()
        }
        ContextAction::Unhandled if action == Action::Help => {
            app.mode = Mode::Help;
            Vec::new()
        }
        ContextAction::Unhandled => Vec::new(),
    }
}

/// The two queries answered: to the view when it asked (same generation), else to the
/// details pane (which checks its own); stale answers are dropped.
pub fn finished(
    app: &mut App,
    generation: u64,
    result: Result<(Vec<LogEntry>, Vec<LogEntry>), String>,
) -> Vec<Command> {
    if let View::Context(v) = &mut app.nav.view
        && v.generation == generation
    {
        v.set(result);
        return Vec::new();
    }
    super::details::context_finished(app, generation, result)
}
