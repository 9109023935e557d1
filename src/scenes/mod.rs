//! Scenes: the saved questions (LogQL with a default range and parameters). Built-ins live in
//! `assets/scenes.toml`; users add or override them in their config directory.
//!
//! CONTRACT (used by CLI and TUI): `Scene`, `SceneParam`, `load`, `Scene::render` stay.

use std::collections::BTreeMap;
use std::path::Path;

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
}

#[derive(Debug, thiserror::Error)]
pub enum SceneError {
    #[error("{0}")]
    Other(String),
}

/// Built-in scenes, overridden and extended by `<config_dir>/scenes.toml` when present.
pub fn load(config_dir: Option<&Path>) -> Result<Vec<Scene>, SceneError> {
    let _ = config_dir;
    Ok(Vec::new())
}

impl Scene {
    /// The scene's LogQL with `app` and the parameters filled in (values escaped for LogQL).
    pub fn render(
        &self,
        app: &str,
        params: &BTreeMap<String, String>,
    ) -> Result<String, SceneError> {
        let _ = (app, params);
        Err(SceneError::Other("scenes not built yet".into()))
    }
}
