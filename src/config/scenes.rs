//! The user's `scenes.toml`: the built-in scenes, overridden and extended by the file in the
//! config directory. Reading the file lives here, in the I/O layer; `scenes` parses and merges.

use std::path::Path;

use crate::scenes::{self, Scene, SceneError};

/// Built-in scenes, overridden and extended by `<config_dir>/scenes.toml` when present.
pub fn load_scenes(config_dir: Option<&Path>) -> Result<Vec<Scene>, SceneError> {
    let mut all = scenes::builtin()?;
    if let Some(dir) = config_dir {
        let path = dir.join("scenes.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => scenes::merge(&mut all, scenes::parse(&text, &path)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(SceneError::Unreadable {
                    path,
                    reason: e.to_string(),
                });
            }
        }
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenes::find;

    fn builtin() -> Vec<Scene> {
        scenes::builtin().unwrap()
    }

    fn load(dir: Option<&Path>) -> Result<Vec<Scene>, SceneError> {
        load_scenes(dir)
    }

    #[test]
    fn user_scenes_override_and_extend() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("scenes.toml"),
            r#"
    [[scene]]
    name = "errors"
    title = "My errors"
    description = "mine"
    query = '{app="{{app}}", level="error"}'
    since = "1h"

    [[scene]]
    name = "db-slow"
    title = "Slow queries"
    description = "db"
    query = '{app="{{app}}", module="db"} | json | event="db.slow_query"'
    since = "24h"
    "#,
        )
        .unwrap();
        let scenes = load(Some(dir.path())).unwrap();
        assert_eq!(scenes.len(), builtin().len() + 1);
        assert_eq!(find(&scenes, "errors").unwrap().title, "My errors");
        assert_eq!(scenes[0].name, "errors");
        assert!(find(&scenes, "db-slow").is_ok());
    }

    #[test]
    fn broken_user_scenes_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("scenes.toml"), "[[scene]]\nname = \"x\"\n").unwrap();
        let err = load(Some(dir.path())).unwrap_err().to_string();
        assert!(err.contains("scenes.toml, line 1"), "{err}");
        assert!(err.contains("missing field"), "{err}");
    }
}
