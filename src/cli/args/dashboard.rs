//! The arguments of `vs-logs dashboard`.

use std::path::PathBuf;

use super::RangeArgs;

/// Arguments of `vs-logs dashboard`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DashboardArgs {
    /// A dashboard by name: `<config dir>/dashboards/NAME.toml`, or the built-in `overview`.
    #[arg(long)]
    pub name: Option<String>,
    /// Show a Grafana dashboard JSON's Loki panels (others are listed as skipped).
    #[arg(long, value_name = "FILE.json", conflicts_with = "name")]
    pub grafana: Option<PathBuf>,
    /// Set a template variable (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Run every panel again this often (30s, 5m); off by default.
    #[arg(long, value_name = "PERIOD")]
    pub refresh: Option<String>,
    #[command(flatten)]
    pub range: RangeArgs,
}
