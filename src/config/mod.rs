//! The config file (`$XDG_CONFIG_HOME/vs-logs/config.toml`): named profiles of connection
//! settings, key bindings, TUI settings and price overrides; and the user's `scenes.toml`.
//!
//! Read once by the front ends; every field has a default, so a missing file or table is fine.

mod load;
mod profile;
mod scenes;

pub use load::{ConfigError, default_config_dir, load_file, parse_str};
pub use profile::Profile;
pub use scenes::load_scenes;

use std::collections::BTreeMap;

/// TUI settings from the `[tui]` table.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, Default)]
#[serde(default)]
pub struct TuiConfig {
    /// Lines kept in follow mode before the oldest are dropped (default 100,000).
    pub buffer_lines: Option<usize>,
}

/// The parsed config file.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ConfigFile {
    /// Profile used when `--profile` is not given.
    pub default_profile: Option<String>,
    /// Named connection settings (`[profiles.local]`, `[profiles.cloud]`).
    pub profiles: BTreeMap<String, Profile>,
    /// Key overrides: action name → key (`quit = "ctrl-q"`).
    pub keys: BTreeMap<String, String>,
    pub tui: TuiConfig,
    /// Price overrides per model: `[pricing."claude-x"] input = 3.0, output = 15.0` (USD per
    /// million tokens).
    pub pricing: BTreeMap<String, toml::Value>,
}

impl ConfigFile {
    /// The profile to use: the one named, else `default_profile`, else none. An unknown name is
    /// an error listing the known ones.
    pub fn profile(&self, name: Option<&str>) -> Result<Option<&Profile>, ConfigError> {
        let Some(name) = name.or(self.default_profile.as_deref()) else {
            return Ok(None);
        };
        match self.profiles.get(name) {
            Some(p) => Ok(Some(p)),
            None => Err(ConfigError::UnknownProfile {
                name: name.to_string(),
                known: self.profiles.keys().cloned().collect(),
            }),
        }
    }
}
