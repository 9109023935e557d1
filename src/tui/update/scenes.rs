//! The scene list: choosing a scene, asking for its parameters, running it.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent};

use super::super::app::{App, Mode, PromptKind, RangeSpec};
use super::super::msg::Command;
use super::{prompt, query, run_query};

pub fn next_param(
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
