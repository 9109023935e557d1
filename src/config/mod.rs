//! The config file (`$XDG_CONFIG_HOME/vs-logs/config.toml`): named profiles of connection
//! settings, key bindings, TUI settings and price overrides.
//!
//! CONTRACT (used by TUI and agent views): `ConfigFile` keeps at least these fields.

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
#[serde(default)]
pub struct ConfigFile {
    /// Key overrides: action name → key (`quit = "ctrl-q"`).
    pub keys: BTreeMap<String, String>,
    pub tui: TuiConfig,
    /// Price overrides per model: `[pricing."claude-x"] input = 3.0, output = 15.0` (USD per
    /// million tokens).
    pub pricing: BTreeMap<String, toml::Value>,
}
