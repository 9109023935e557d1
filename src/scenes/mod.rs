//! Scenes: the saved questions (LogQL with a default range and parameters). Built-ins live in
//! `assets/scenes.toml`; users add or override them in their config directory (read by
//! `config::load_scenes`: this module only parses, merges and renders).
//!
//! Used by the CLI (`vs-logs scenes`, scene commands) and the TUI's scene picker.

mod render;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The built-in scenes, compiled in so the binary needs no files.
pub const BUILTIN: &str = include_str!("../../assets/scenes.toml");

/// A parameter a scene needs (`agent_id`, `event_id`, …).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct SceneParam {
    pub name: String,
    pub description: String,
    /// Value used when the user gives none; `None` means the user must give one.
    pub default: Option<String>,
}

/// One saved question.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Scene {
    /// Command-line name (`errors`, `rate-limits`, …).
    pub name: String,
    /// Short human title (`classifier errors, last 12 h`).
    pub title: String,
    pub description: String,
    /// LogQL with `{{app}}` and `{{param}}` placeholders.
    pub query: String,
    /// Default range (`12h`).
    pub since: String,
    #[serde(default)]
    pub params: Vec<SceneParam>,
    /// Default step of a metric scene (`5m`); `--step` overrides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// Oldest first (the story of one run or object reads forwards); else newest first.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forward: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SceneError {
    #[error("{0}")]
    Other(String),
    #[error("scenes file {path}, line {line}, column {column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("cannot read scenes file {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("unknown scene {name:?}; known scenes: {}", .known.join(", "))]
    UnknownScene { name: String, known: Vec<String> },
    #[error("scene {scene:?} needs {name} ({description}): add --set {name}=VALUE")]
    MissingParam {
        scene: String,
        name: String,
        description: String,
    },
    #[error("scene {scene:?} has no parameter {name:?}; {}", params_list(.known))]
    UnknownParam {
        scene: String,
        name: String,
        known: Vec<String>,
    },
    #[error("value {value:?} for {name} cannot go in this query: {why}")]
    BadValue {
        name: String,
        value: String,
        why: String,
    },
}

fn params_list(known: &[String]) -> String {
    if known.is_empty() {
        "it takes none".to_string()
    } else {
        format!("its parameters: {}", known.join(", "))
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenesFile {
    #[serde(default)]
    scene: Vec<Scene>,
}

/// The scenes of a scenes file's text; `path` names it in errors.
pub fn parse(text: &str, path: &Path) -> Result<Vec<Scene>, SceneError> {
    toml::from_str::<ScenesFile>(text)
        .map(|f| f.scene)
        .map_err(|e| {
            let start = e.span().map_or(0, |s| s.start).min(text.len());
            let before = &text[..text.floor_char_boundary(start)];
            SceneError::Invalid {
                path: path.to_path_buf(),
                line: before.matches('\n').count() + 1,
                column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                message: e.message().trim().to_string(),
            }
        })
}

/// Adds `extra` to `base`, replacing scenes of the same name in place.
pub fn merge(base: &mut Vec<Scene>, extra: Vec<Scene>) {
    for s in extra {
        match base.iter_mut().find(|b| b.name == s.name) {
            Some(b) => *b = s,
            None => base.push(s),
        }
    }
}

/// The built-in scenes.
pub fn builtin() -> Result<Vec<Scene>, SceneError> {
    parse(BUILTIN, Path::new("assets/scenes.toml"))
}

/// The scene called `name`, or an error listing the known ones.
pub fn find<'a>(scenes: &'a [Scene], name: &str) -> Result<&'a Scene, SceneError> {
    scenes
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| SceneError::UnknownScene {
            name: name.to_string(),
            known: scenes.iter().map(|s| s.name.clone()).collect(),
        })
}

impl Scene {
    /// The scene's LogQL with `app` and the parameters filled in (values escaped for LogQL).
    pub fn render(
        &self,
        app: &str,
        params: &BTreeMap<String, String>,
    ) -> Result<String, SceneError> {
        for name in params.keys() {
            if !self.params.iter().any(|p| &p.name == name) {
                return Err(SceneError::UnknownParam {
                    scene: self.name.clone(),
                    name: name.clone(),
                    known: self.params.iter().map(|p| p.name.clone()).collect(),
                });
            }
        }
        let mut values = BTreeMap::new();
        values.insert("app".to_string(), app.to_string());
        for p in &self.params {
            let value = params.get(&p.name).or(p.default.as_ref()).ok_or_else(|| {
                SceneError::MissingParam {
                    scene: self.name.clone(),
                    name: p.name.clone(),
                    description: p.description.clone(),
                }
            })?;
            values.insert(p.name.clone(), value.clone());
        }
        render::fill(&self.query, &values)
    }
}

#[cfg(test)]
mod tests;
