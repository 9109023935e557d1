//! The Patterns and Fields views: opening them (Loki's answers or the loaded results, off the
//! UI thread), their results, their keys, and include/exclude, which rewrite the query with a
//! pattern filter (`logql::rewrite::with_pattern_filter`) or a field filter and run it, `back`
//! returning to the query before.

use crossterm::event::KeyEvent;

use super::super::app::{App, Mode, View};
use super::super::drill::fields::{FieldAction, FieldsView, Sampled};
use super::super::drill::patterns::{Mined, PatternAction, PatternsView};
use super::super::keys::{Action, Screen};
use super::super::msg::Command;
use super::run_query;
use crate::logql::rewrite::{self, with_pattern_filter};

/// `P` on the logs screen: the patterns of the loaded results.
pub fn open(app: &mut App) -> Vec<Command> {
    if app.logs.results.store.is_empty() {
        app.status.note = Some("no lines loaded: run a log query first".into());
        return Vec::new();
    }
    app.status.generation += 1;
    let generation = app.status.generation;
    let query = app.editor.query.clone();
    let (start_ns, end_ns) = loaded_range(app);
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

/// The range the loaded results were asked over (else the span of the lines).
fn loaded_range(app: &App) -> (i64, i64) {
    match &app.logs.results.req {
        Some(r) => (r.start_ns, r.end_ns),
        None => (
            app.logs.results.store.first_ts().unwrap_or(0),
            app.logs.results.store.last_ts().map_or(1, |t| t + 1),
        ),
    }
}

/// Mining ended; results for a view closed or reopened since are dropped.
pub fn finished(
    app: &mut App,
    generation: u64,
    result: Result<Box<Mined>, String>,
) -> Vec<Command> {
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

/// `f` on the logs screen: the field statistics of the loaded results.
pub fn open_fields(app: &mut App) -> Vec<Command> {
    if app.logs.results.store.is_empty() {
        app.status.note = Some("no lines loaded: run a log query first".into());
        return Vec::new();
    }
    app.status.generation += 1;
    let generation = app.status.generation;
    app.logs.details = None;
    let query = app.editor.query.clone();
    let (start_ns, end_ns) = loaded_range(app);
    app.nav.view = View::Fields(Box::new(FieldsView::new(query.clone(), generation)));
    vec![Command::SampleFields {
        generation,
        query,
        chunks: app.logs.results.store.snapshot(),
        start_ns,
        end_ns,
    }]
}

/// Sampling ended; stale results are dropped.
pub fn fields_finished(
    app: &mut App,
    generation: u64,
    result: Result<Box<Sampled>, String>,
) -> Vec<Command> {
    if let View::Fields(v) = &mut app.nav.view
        && v.generation == generation
    {
        match result {
            Ok(s) => v.set(*s),
            Err(e) => v.error = Some(e),
        }
    }
    Vec::new()
}

/// Keys while a drill view is open (`None`: another screen has them).
pub fn key(app: &mut App, k: KeyEvent) -> Option<Vec<Command>> {
    let screen = app.nav.screen();
    if !matches!(screen, Screen::Patterns | Screen::Fields) {
        return None;
    }
    Some(match app.keys.action_in(screen, &k) {
        Some(a) if screen == Screen::Fields => perform_fields(app, a),
        Some(a) => perform(app, a),
        None => Vec::new(),
    })
}

/// Runs `q` (a rewrite of the current query), `back` returning to the current one.
fn run_rewritten(app: &mut App, q: String) -> Vec<Command> {
    app.nav
        .back
        .push((app.editor.query.clone(), app.editor.range.clone()));
    app.nav.view = View::Logs;
    app.editor.input.set(q.clone());
    run_query(app, q)
}

/// Applies one action of the Fields view's key table; filters rewrite the query as the
/// details pane does.
pub fn perform_fields(app: &mut App, action: Action) -> Vec<Command> {
    let View::Fields(v) = &mut app.nav.view else {
        return Vec::new();
    };
    match v.perform(action) {
        FieldAction::None => Vec::new(),
        FieldAction::Close => {
            app.nav.view = View::Logs;
            Vec::new()
        }
        FieldAction::NoValue => {
            app.status.note = Some("select a value to filter on".into());
            Vec::new()
        }
        FieldAction::Filter {
            name,
            source,
            value,
            include,
        } => {
            let q = if source == "metadata" {
                let op = if include { "=" } else { "!=" };
                format!(
                    "{} | {name}{op}{}",
                    v.query.trim_end(),
                    crate::logql::quote(&value)
                )
            } else {
                rewrite::filter(&v.query, &name, &value, source == "label", include)
            };
            run_rewritten(app, q)
        }
        FieldAction::Unhandled if action == Action::Help => {
            app.mode = Mode::Help;
            Vec::new()
        }
        FieldAction::Unhandled => Vec::new(),
    }
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
            run_rewritten(app, q)
        }
        PatternAction::Unhandled if action == Action::Help => {
            app.mode = Mode::Help;
            Vec::new()
        }
        PatternAction::Unhandled => Vec::new(),
    }
}
