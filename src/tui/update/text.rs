//! Keys in the text inputs: query editor (history, completion, live validation), search,
//! prompts (scene parameters, custom range, export path) and the scene list.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent};

use crate::logql;

use super::super::app::{App, Completion, Mode, PromptKind, QueryError, RangeSpec};
use super::super::input::{Edit, TextInput};
use super::super::msg::{Command, ExportFormat};
use super::super::rewrite::quote;
use super::{prompt, query, run_query};

/// Shows a parse error at its position while typing (nothing is sent).
fn validate_live(app: &mut App) {
    app.query_error = match logql::kind_of(app.editor.text.trim()) {
        Err(e) if e.col.is_some() => Some(QueryError {
            message: e.message,
            col: e.col,
        }),
        _ => None,
    };
}

pub fn editor_key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    match k.code {
        KeyCode::Tab => return complete(app),
        KeyCode::Up => {
            if let Some(q) = app.history.older() {
                let q = q.to_string();
                app.editor.set(q);
            }
            return Vec::new();
        }
        KeyCode::Down => {
            let q = app.history.newer().map(str::to_string);
            app.editor.set(q.unwrap_or_else(|| app.query.clone()));
            return Vec::new();
        }
        _ => {}
    }
    match app.editor.handle(&k) {
        Edit::Submit => {
            app.mode = Mode::Normal;
            app.completion = None;
            let q = app.editor.text.clone();
            run_query(app, q)
        }
        Edit::Cancel => {
            app.mode = Mode::Normal;
            app.completion = None;
            app.query_error = None;
            Vec::new()
        }
        Edit::Changed => {
            app.completion = None;
            validate_live(app);
            Vec::new()
        }
        Edit::Moved | Edit::Other => Vec::new(),
    }
}

pub fn search_key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    match app.search.handle(&k) {
        Edit::Submit => {
            app.mode = Mode::Normal;
            let t = app.search.text.clone();
            if t.is_empty() {
                app.search_active = None;
                return Vec::new();
            }
            app.search_active = Some(t);
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
            app.editor.insert_str(&one_line);
            validate_live(app);
        }
        Mode::Search => app.search.insert_str(&one_line),
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
                app.error = Some(format!("scene needs a value for {}", param.name));
                return Vec::new();
            }
            values.insert(param.name.clone(), value);
            next_param(app, scene, values, remaining)
        }
        PromptKind::Range => match parse_range(&text, app.now_ns) {
            Ok(r) => {
                app.range = r;
                let q = app.editor.text.clone();
                run_query(app, q)
            }
            Err(e) => {
                app.error = Some(e);
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
            app.note = Some(format!("exporting {} lines…", app.len()));
            vec![Command::Export {
                path: PathBuf::from(text),
                format,
                chunks: app.results.store.snapshot(),
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
    let Some(scene) = app.scenes.get(i) else {
        return Vec::new();
    };
    app.mode = Mode::Normal;
    let params = scene.params.clone();
    next_param(app, i, BTreeMap::new(), params)
}

fn apply_scene(app: &mut App, i: usize, values: &BTreeMap<String, String>) -> Vec<Command> {
    let Some(scene) = app.scenes.get(i) else {
        return Vec::new();
    };
    match scene.render(&app.app_label, values) {
        Ok(q) => {
            if let Some(ns) = query::parse_since(&scene.since) {
                app.range = RangeSpec::last(&scene.since, ns);
            }
            app.editor.set(q.clone());
            run_query(app, q)
        }
        Err(e) => {
            app.error = Some(format!("scene {}: {e}", scene.name));
            Vec::new()
        }
    }
}

pub fn scenes_key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    let n = app.scenes.len();
    match k.code {
        KeyCode::Char('j') | KeyCode::Down if n > 0 => {
            app.scene_cursor = (app.scene_cursor + 1).min(n - 1);
        }
        KeyCode::Char('k') | KeyCode::Up => app.scene_cursor = app.scene_cursor.saturating_sub(1),
        KeyCode::Enter => return choose_scene(app, app.scene_cursor),
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

/// What the word before the cursor is.
#[derive(Debug, PartialEq)]
enum Ctx {
    LabelName(String),
    LabelValue { name: String, prefix: String },
    Field(String),
}

fn context(head: &str) -> Ctx {
    let mut depth = 0i32;
    let mut in_str = false;
    let mut str_start = 0;
    let mut escaped = false;
    for (i, c) in head.char_indices() {
        if in_str {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                str_start = i + 1;
            }
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
    }
    let word = |s: &str| -> String {
        let start = s
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        s[start..].to_string()
    };
    if depth > 0 && in_str {
        let before = head[..str_start - 1].trim_end_matches(['=', '~', '!']);
        return Ctx::LabelValue {
            name: word(before.trim_end()),
            prefix: head[str_start..].to_string(),
        };
    }
    if depth > 0 {
        Ctx::LabelName(word(head))
    } else {
        Ctx::Field(word(head))
    }
}

/// Field names seen in loaded lines (the first screenful or so is parsed, not everything).
fn field_names(app: &App) -> Vec<String> {
    let mut names = std::collections::BTreeSet::new();
    for d in 0..app.len().min(200) {
        if let Some(row) = app.results.store.get(app.store_index(d)) {
            for f in super::super::fields::fields_of(&row) {
                if f.value.is_some() {
                    names.insert(f.key);
                }
            }
        }
    }
    names.into_iter().collect()
}

/// Tab: completes the word before the cursor, cycling through candidates.
pub fn complete(app: &mut App) -> Vec<Command> {
    if let Some(c) = &mut app.completion
        && !c.candidates.is_empty()
    {
        c.index = (c.index + 1) % c.candidates.len();
        let cand = c.candidates[c.index].clone();
        let start = c.start;
        replace_word(&mut app.editor, start, &cand);
        return Vec::new();
    }
    let head = app.editor.text[..app.editor.cursor].to_string();
    let (start_ns, end_ns) = app.range.resolve(app.now_ns);
    let (pool, prefix, escape) = match context(&head) {
        Ctx::LabelName(p) => match &app.label_names {
            Some(l) => (l.clone(), p, false),
            None => {
                app.completion = Some(Completion::default());
                return vec![Command::FetchLabels { start_ns, end_ns }];
            }
        },
        Ctx::LabelValue { name, prefix } => match app.label_values.get(&name) {
            Some(v) => (v.clone(), prefix, true),
            None => {
                app.completion = Some(Completion::default());
                return vec![Command::FetchLabelValues {
                    name,
                    start_ns,
                    end_ns,
                }];
            }
        },
        Ctx::Field(p) => {
            let mut f = field_names(app);
            f.extend(app.label_names.clone().unwrap_or_default());
            f.sort();
            f.dedup();
            (f, p, false)
        }
    };
    let candidates: Vec<String> = pool
        .into_iter()
        .filter(|c| c.starts_with(&prefix) && *c != prefix)
        .map(|c| {
            if escape {
                let q = quote(&c);
                q[1..q.len() - 1].to_string()
            } else {
                c
            }
        })
        .collect();
    let start = app.editor.cursor - prefix.len();
    if let Some(first) = candidates.first().cloned() {
        replace_word(&mut app.editor, start, &first);
    } else {
        app.note = Some("no completion".into());
    }
    app.completion = (!candidates.is_empty()).then_some(Completion {
        candidates,
        index: 0,
        start,
    });
    Vec::new()
}

fn replace_word(input: &mut TextInput, start: usize, with: &str) {
    input.text.replace_range(start..input.cursor, with);
    input.cursor = start + with.len();
}

/// Labels or values arrived: finish a completion that was waiting for them.
pub fn refresh_completion(app: &mut App) {
    if app.mode == Mode::EditQuery
        && app
            .completion
            .as_ref()
            .is_some_and(|c| c.candidates.is_empty())
    {
        app.completion = None;
        complete(app);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_context() {
        assert_eq!(context("{app=\"v\", mo"), Ctx::LabelName("mo".into()));
        assert_eq!(
            context("{app=\"v\", module=~\"ag"),
            Ctx::LabelValue {
                name: "module".into(),
                prefix: "ag".into()
            }
        );
        assert_eq!(
            context("{app=\"v\"} | json | agent_"),
            Ctx::Field("agent_".into())
        );
    }

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
