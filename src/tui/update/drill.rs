//! The Patterns view: opening it (mining the loaded results off the UI thread), its result,
//! its keys, and include/exclude, which rewrite the query with a pattern filter
//! (`logql::rewrite::with_pattern_filter`) and run it, `back` returning to the query before.

use crossterm::event::KeyEvent;

use super::super::app::{App, Mode, View};
use super::super::drill::patterns::{Mined, PatternAction, PatternsView};
use super::super::keys::{Action, Screen};
use super::super::msg::Command;
use super::run_query;
use crate::logql::rewrite::with_pattern_filter;

/// `P` on the logs screen: the patterns of the loaded results.
pub fn open(app: &mut App) -> Vec<Command> {
    if app.logs.results.store.is_empty() {
        app.status.note = Some("no lines loaded: run a log query first".into());
        return Vec::new();
    }
    app.status.generation += 1;
    let generation = app.status.generation;
    let query = app.editor.query.clone();
    let (start_ns, end_ns) = match &app.logs.results.req {
        Some(r) => (r.start_ns, r.end_ns),
        None => (
            app.logs.results.store.first_ts().unwrap_or(0),
            app.logs.results.store.last_ts().map_or(1, |t| t + 1),
        ),
    };
    app.logs.details = None;
    app.nav.view = View::Patterns(Box::new(PatternsView::new(query.clone(), generation)));
    vec![Command::MinePatterns {
        generation,
        query,
        chunks: app.logs.results.store.snapshot(),
        start_ns,
        end_ns,
    }]
}

/// Mining ended; results for a view closed or reopened since are dropped.
pub fn finished(app: &mut App, generation: u64, result: Result<Box<Mined>, String>) -> Vec<Command> {
    if let View::Patterns(v) = &mut app.nav.view
        && v.generation == generation
    {
        match result {
            Ok(m) => v.mined = Some(*m),
            Err(e) => v.error = Some(e),
        }
    }
    Vec::new()
}

/// Keys while the Patterns view is open (`None`: another screen has them).
pub fn key(app: &mut App, k: KeyEvent) -> Option<Vec<Command>> {
    if app.nav.screen() != Screen::Patterns {
        return None;
    }
    Some(match app.keys.action_in(Screen::Patterns, &k) {
        Some(a) => perform(app, a),
        None => Vec::new(),
    })
}

/// Applies one action of the Patterns view's key table.
pub fn perform(app: &mut App, action: Action) -> Vec<Command> {
    let View::Patterns(v) = &mut app.nav.view else {
        return Vec::new();
    };
    match v.perform(action) {
        PatternAction::None => Vec::new(),
        PatternAction::Close => {
            app.nav.view = View::Logs;
            Vec::new()
        }
        PatternAction::NoFilter => {
            app.status.note =
                Some("this pattern has no exact filter (it would match other lines)".into());
            Vec::new()
        }
        PatternAction::Filter { pattern, include } => {
            let q = with_pattern_filter(&v.query, &pattern, include);
            app.nav
                .back
                .push((app.editor.query.clone(), app.editor.range.clone()));
            app.nav.view = View::Logs;
            app.editor.input.set(q.clone());
            run_query(app, q)
        }
        PatternAction::Unhandled if action == Action::Help => {
            app.mode = Mode::Help;
            Vec::new()
        }
        PatternAction::Unhandled => Vec::new(),
    }
}
