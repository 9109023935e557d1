//! Keys in the query editor (history, completion, live validation) and pasted text.

use crossterm::event::{KeyCode, KeyEvent};

use crate::logql;

use super::super::app::{App, Mode, QueryError};
use super::super::input::Edit;
use super::super::msg::Command;
use super::run_query;

/// Shows a parse error at its position while typing (nothing is sent).
fn validate_live(app: &mut App) {
    app.editor.query_error = match logql::kind_of(app.editor.input.text.trim()) {
        Err(e) if e.col.is_some() => Some(QueryError {
            message: e.message,
            col: e.col,
        }),
        _ => None,
    };
}

pub fn editor_key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    match k.code {
        KeyCode::Tab => return super::complete::complete(app),
        KeyCode::Up => {
            if let Some(q) = app.editor.history.older() {
                let q = q.to_string();
                app.editor.input.set(q);
            }
            return Vec::new();
        }
        KeyCode::Down => {
            let q = app.editor.history.newer().map(str::to_string);
            app.editor
                .input
                .set(q.unwrap_or_else(|| app.editor.query.clone()));
            return Vec::new();
        }
        _ => {}
    }
    match app.editor.input.handle(&k) {
        Edit::Submit => {
            app.editor.completion = None;
            let q = app.editor.input.text.clone();
            let cmds = run_query(app, q);
            if cmds.is_empty()
                && let Some(e) = &app.editor.query_error
            {
                // Not run: stay in the editor, caret on the error, so the next keys still edit.
                let col = e.col;
                if let Some(col) = col {
                    app.editor.input.cursor = caret_at(&app.editor.input.text, col);
                }
                app.status.error = Some(match col {
                    Some(c) => format!("query not run: it does not parse (column {c})"),
                    None => "query not run".to_string(),
                });
                return cmds;
            }
            app.mode = Mode::Normal;
            cmds
        }
        Edit::Cancel => {
            app.mode = Mode::Normal;
            app.editor.completion = None;
            app.editor.query_error = None;
            Vec::new()
        }
        Edit::Changed => {
            app.editor.completion = None;
            validate_live(app);
            Vec::new()
        }
        Edit::Moved | Edit::Other => Vec::new(),
    }
}

/// Byte offset in `text` of the 1-based column `col` of its trimmed form (the parser sees the
/// query trimmed); the end when past it.
fn caret_at(text: &str, col: usize) -> usize {
    let lead = text.len() - text.trim_start().len();
    text[lead..]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(text.len(), |(i, _)| lead + i)
}

pub fn paste(app: &mut App, s: &str) -> Vec<Command> {
    let one_line = s.replace(['\r', '\n'], " ");
    match &mut app.mode {
        Mode::EditQuery => {
            app.editor.input.insert_str(&one_line);
            validate_live(app);
        }
        Mode::Search => app.logs.search.insert_str(&one_line),
        Mode::Prompt(p) => p.input.insert_str(&one_line),
        _ => {}
    }
    Vec::new()
}
