//! Keys in the text inputs: query editor (history, completion, live validation), search,
//! prompts (scene parameters, custom range, export path) and the scene list.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent};

use crate::logql;

use super::super::app::{App, Mode, PromptKind, QueryError, RangeSpec};
use super::super::input::Edit;
use super::super::msg::{Command, ExportFormat};
use super::{prompt, query, run_query};

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
            app.editor.input.set(q.unwrap_or_else(|| app.editor.query.clone()));
            return Vec::new();
        }
        _ => {}
    }
    match app.editor.input.handle(&k) {
        Edit::Submit => {
            app.mode = Mode::Normal;
            app.editor.completion = None;
            let q = app.editor.input.text.clone();
            run_query(app, q)
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

pub fn search_key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    match app.logs.search.handle(&k) {
        Edit::Submit => {
            app.mode = Mode::Normal;
            let t = app.logs.search.text.clone();
            if t.is_empty() {
                app.logs.search_active = None;
                return Vec::new();
            }
            app.logs.search_active = Some(t);
            super::nav::find(app, true, true)
        }
        Edit::Cancel => {
            app.mode = Mode::Normal;
            Vec::new()
        }
        _ => Vec::new(),
    }
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

pub fn prompt_key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    let Mode::Prompt(p) = &mut app.mode else {
        return Vec::new();
    };
    match p.input.handle(&k) {
        Edit::Submit => {
            let text = p.input.text.trim().to_string();
            let Mode::Prompt(p) = std::mem::take(&mut app.mode) else {
                return Vec::new();
            };
            submit_prompt(app, p.kind, text)
        }
        Edit::Cancel => {
            app.mode = Mode::Normal;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn submit_prompt(app: &mut App, kind: PromptKind, text: String) -> Vec<Command> {
    match kind {
        PromptKind::SceneParam {
            scene,
            mut values,
            mut remaining,
        } => {
            if remaining.is_empty() {
                return Vec::new();
            }
            let param = remaining.remove(0);
            let value = if text.is_empty() {
                param.default.clone().unwrap_or_default()
            } else {
                text
            };
            if value.is_empty() {
                app.status.error = Some(format!("scene needs a value for {}", param.name));
                return Vec::new();
            }
            values.insert(param.name.clone(), value);
            next_param(app, scene, values, remaining)
        }
        PromptKind::Range => match parse_range(&text, app.now_ns) {
            Ok(r) => {
                app.editor.range = r;
                let q = app.editor.input.text.clone();
                run_query(app, q)
            }
            Err(e) => {
                app.status.error = Some(e);
                Vec::new()
            }
        },
        PromptKind::Export => {
            if text.is_empty() {
                return Vec::new();
            }
            let format = if text.ends_with(".jsonl") || text.ends_with(".json") {
                ExportFormat::Jsonl
            } else {
                ExportFormat::Raw
            };
            app.status.note = Some(format!("exporting {} lines…", app.logs.len()));
            vec![Command::Export {
                path: PathBuf::from(text),
                format,
                chunks: app.logs.results.store.snapshot(),
            }]
        }
    }
}

/// `90m` (the last 90 minutes) or `FROM .. TO` / `FROM to TO` / `FROM` (until now), with the
/// CLI's time syntax.
pub fn parse_range(text: &str, now_ns: i64) -> Result<RangeSpec, String> {
    if let Some(ns) = query::parse_since(text) {
        return Ok(RangeSpec::last(text, ns));
    }
    let (from, to) = match text.split_once("..").or_else(|| text.split_once(" to ")) {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (text.trim(), "now"),
    };
    let t = |s: &str| -> Result<i64, String> {
        if s == "now" {
            return Ok(now_ns);
        }
        crate::timespec::parse_time(s, now_ns, false).map_err(|e| e.to_string())
    };
    let start_ns = t(from)?;
    let end_ns = t(to)?;
    if start_ns >= end_ns {
        return Err(format!(
            "the range {from} .. {to} is empty: the start must come first"
        ));
    }
    Ok(RangeSpec::Absolute {
        start_ns,
        end_ns,
        label: format!("{from} .. {to}"),
    })
}

fn next_param(
    app: &mut App,
    scene: usize,
    values: BTreeMap<String, String>,
    remaining: Vec<crate::scenes::SceneParam>,
) -> Vec<Command> {
    match remaining.first() {
        Some(p) => {
            let label = format!("{} ({})", p.name, p.description);
            let default = p.default.clone().unwrap_or_default();
            prompt(
                app,
                PromptKind::SceneParam {
                    scene,
                    values,
                    remaining,
                },
                &label,
                &default,
            );
            Vec::new()
        }
        None => apply_scene(app, scene, &values),
    }
}

/// Chooses a scene: asks for its parameters, then fills the query and range and runs it.
pub fn choose_scene(app: &mut App, i: usize) -> Vec<Command> {
    let Some(scene) = app.scenes.list.get(i) else {
        return Vec::new();
    };
    app.mode = Mode::Normal;
    let params = scene.params.clone();
    next_param(app, i, BTreeMap::new(), params)
}

fn apply_scene(app: &mut App, i: usize, values: &BTreeMap<String, String>) -> Vec<Command> {
    let Some(scene) = app.scenes.list.get(i) else {
        return Vec::new();
    };
    match scene.render(&app.app_label, values) {
        Ok(q) => {
            if let Some(ns) = query::parse_since(&scene.since) {
                app.editor.range = RangeSpec::last(&scene.since, ns);
            }
            app.editor.input.set(q.clone());
            run_query(app, q)
        }
        Err(e) => {
            app.status.error = Some(format!("scene {}: {e}", scene.name));
            Vec::new()
        }
    }
}

pub fn scenes_key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    let n = app.scenes.list.len();
    match k.code {
        KeyCode::Char('j') | KeyCode::Down if n > 0 => {
            app.scenes.cursor = (app.scenes.cursor + 1).min(n - 1);
        }
        KeyCode::Char('k') | KeyCode::Up => app.scenes.cursor = app.scenes.cursor.saturating_sub(1),
        KeyCode::Enter => return choose_scene(app, app.scenes.cursor),
        KeyCode::Esc | KeyCode::Char('s') | KeyCode::Char('q') => app.mode = Mode::Normal,
        KeyCode::Char('c')
            if k.modifiers
                .contains(crossterm::event::KeyModifiers::CONTROL) =>
        {
            app.mode = Mode::Normal
        }
        _ => {}
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let now = 100 * 3_600_000_000_000;
        assert_eq!(
            parse_range("90m", now),
            Ok(RangeSpec::last("90m", 90 * 60_000_000_000))
        );
        assert!(parse_range("garbage", now).is_err());
    }
}
