//! The details pane: field cursor, field actions (filter for/out, hide, copy, context) and
//! the pivot to an agent run.

use crate::model::{LogEntry, Structlog};

use crate::drill::Selector;

use super::super::app::{App, ContextLines, Details};
use super::super::drill::context::Anchor;
use super::super::fields::{Source, fields_of};
use super::super::keys::Action;
use super::super::msg::Command;
use super::run_query;
use crate::logql::rewrite;

pub fn toggle(app: &mut App) -> Vec<Command> {
    if app.logs.details.is_some() {
        app.logs.details = None;
    } else if !app.logs.is_empty() {
        app.logs.details = Some(Details::default());
    }
    super::logs::clamp(app);
    Vec::new()
}

pub fn move_cursor(app: &mut App, delta: isize) -> Vec<Command> {
    let n = app.logs.selected_row().map_or(0, |r| fields_of(&r).len());
    if let Some(d) = &mut app.logs.details {
        let max = n.saturating_sub(1) as isize;
        d.cursor = (d.cursor as isize + delta).clamp(0, max) as usize;
    }
    Vec::new()
}

pub fn click(app: &mut App, i: usize) -> Vec<Command> {
    if let Some(d) = &mut app.logs.details {
        d.cursor = i;
    }
    move_cursor(app, 0)
}

pub fn field_action(app: &mut App, action: Action) -> Vec<Command> {
    let Some(d) = &app.logs.details else {
        app.status.note = Some("open the details of a line first (enter)".into());
        return Vec::new();
    };
    if action == Action::ShowContext {
        return context(app);
    }
    let Some(field) = app
        .logs
        .selected_row()
        .and_then(|r| fields_of(&r).into_iter().nth(d.cursor))
    else {
        return Vec::new();
    };
    if action == Action::HideField {
        if !app.logs.hidden_fields.remove(&field.key) {
            app.logs.hidden_fields.insert(field.key.clone());
        }
        return Vec::new();
    }
    let Some(value) = field.value else {
        app.status.note = Some("choose a field with a value, not an object".into());
        return Vec::new();
    };
    match action {
        Action::CopyValue => {
            app.status.note = Some(format!("copied the value of {}", field.label));
            vec![Command::Copy(value)]
        }
        Action::FilterFor | Action::FilterOut => {
            let include = action == Action::FilterFor;
            let q = if field.source == Source::Metadata {
                let op = if include { "=" } else { "!=" };
                format!(
                    "{} | {}{op}{}",
                    app.editor.query.trim_end(),
                    field.key,
                    crate::logql::quote(&value)
                )
            } else {
                rewrite::filter(
                    &app.editor.query,
                    &field.key,
                    &value,
                    field.source == Source::Stream,
                    include,
                )
            };
            app.nav
                .back
                .push((app.editor.query.clone(), app.editor.range.clone()));
            app.logs.details = None;
            app.editor.input.set(q.clone());
            run_query(app, q)
        }
        _ => Vec::new(),
    }
}

pub fn copy_line(app: &mut App) -> Vec<Command> {
    match app.logs.selected_row() {
        Some(r) => {
            let line = r.line().to_string();
            app.status.note = Some("copied the line".into());
            vec![Command::Copy(line)]
        }
        None => Vec::new(),
    }
}

/// The details pane's context lines: ten either side of the selected line in its stream.
fn context(app: &mut App) -> Vec<Command> {
    let Some(anchor) = Anchor::of_selected(&app.logs) else {
        return Vec::new();
    };
    let queries = anchor.queries(
        &Selector::of_stream(&anchor.entry.labels),
        "",
        DETAILS_LINES,
    );
    app.logs.ctx_gen += 1;
    let generation = app.logs.ctx_gen;
    if let Some(d) = &mut app.logs.details {
        d.context = None;
        d.context_gen = generation;
        d.anchor = Some(anchor);
    }
    app.status.note = Some("loading context…".into());
    vec![Command::FetchContext {
        generation,
        queries,
    }]
}

/// Lines either side in the details pane (the context view, `L`, shows more).
const DETAILS_LINES: usize = 10;

pub fn context_finished(
    app: &mut App,
    generation: u64,
    result: Result<(Vec<LogEntry>, Vec<LogEntry>), String>,
) -> Vec<Command> {
    if let Some(d) = &mut app.logs.details
        && d.context_gen == generation
        && let Some(anchor) = &d.anchor
    {
        app.status.note = None;
        d.context = Some(result.map(|(before, after)| {
            let (before, _, after) = anchor.window(before, after, DETAILS_LINES);
            ContextLines { before, after }
        }));
    }
    Vec::new()
}

/// The selected line's `agent_id`, from its JSON body or its labels.
fn agent_id(app: &App) -> Option<String> {
    let row = app.logs.selected_row()?;
    if let Some(id) = row
        .extra()
        .and_then(|p| p.get("agent_id"))
        .or_else(|| row.labels().get("agent_id"))
    {
        return Some(id.clone());
    }
    Structlog::parse(row.line())?.field_text("agent_id")
}

pub fn pivot(app: &mut App) -> Vec<Command> {
    match agent_id(app) {
        Some(id) => {
            app.logs.details = None;
            super::agent::fetch(app, &id, None)
        }
        None => {
            app.status.note = Some("this line has no agent_id".into());
            Vec::new()
        }
    }
}

/// Opens an agent's lines as a query (when no run could be rebuilt); `back` returns.
pub fn open_agent(app: &mut App, agent_id: &str) -> Vec<Command> {
    app.nav
        .back
        .push((app.editor.query.clone(), app.editor.range.clone()));
    app.logs.details = None;
    let q = format!(
        "{{app={}}} | json | agent_id={}",
        crate::logql::quote(&app.app_label),
        crate::logql::quote(agent_id)
    );
    app.editor.input.set(q.clone());
    run_query(app, q)
}
