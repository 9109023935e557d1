//! The dashboard model: a title, template variables and panels on Grafana's 24-column grid.

use serde::Deserialize;

use super::units::Unit;

/// Why a dashboard file could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DashboardError {
    #[error("dashboard file: {0}")]
    Syntax(String),
    #[error("dashboard panel {panel:?}: {reason}")]
    Panel { panel: String, reason: String },
    #[error("unknown dashboard variable {0:?} (known: {1})")]
    UnknownVariable(String, String),
    #[error("expected name=value, got {0:?}")]
    BadOverride(String),
}

/// A dashboard: what `vs-logs dashboard` shows on one screen.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dashboard {
    pub title: String,
    /// Default range, back from now (`6h`), as for scenes.
    #[serde(default = "default_since")]
    pub since: String,
    #[serde(default, rename = "variable")]
    pub variables: Vec<Variable>,
    #[serde(default, rename = "panel")]
    pub panels: Vec<Panel>,
}

fn default_since() -> String {
    "6h".into()
}

/// A template variable (`$name`, `${name}`, `[[name]]` in expressions), overridable with
/// `--var name=value`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub name: String,
    #[serde(default)]
    pub default: String,
    #[serde(default)]
    pub description: String,
}

/// How a panel draws its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PanelKind {
    /// Lines over time (Grafana `timeseries`/`graph`).
    Timeseries,
    /// One big number per series, reduced from its points.
    Stat,
    /// One horizontal bar per series, reduced from its points.
    Bargauge,
    /// Series as rows with their legend stats.
    Table,
    /// A short list of log lines (a log query).
    Logs,
    /// Distribution of the values as vertical bars.
    Histogram,
    /// Series × time, coloured by value.
    Heatmap,
}

impl PanelKind {
    /// Whether the panel's queries are log queries rather than metric queries.
    pub fn is_logs(self) -> bool {
        self == PanelKind::Logs
    }
}

/// Reduction of a series to one number (Grafana's `reduceOptions.calcs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Reduce {
    Last,
    LastNotNull,
    First,
    Min,
    Max,
    Mean,
    Sum,
    Count,
}

impl Reduce {
    /// Grafana's calc name; `None` for calcs vs-logs does not implement.
    pub fn parse(s: &str) -> Option<Reduce> {
        Some(match s {
            "last" => Reduce::Last,
            "lastNotNull" => Reduce::LastNotNull,
            "first" | "firstNotNull" => Reduce::First,
            "min" => Reduce::Min,
            "max" => Reduce::Max,
            "mean" | "avg" => Reduce::Mean,
            "sum" | "total" => Reduce::Sum,
            "count" => Reduce::Count,
            _ => return None,
        })
    }
}

/// Position on Grafana's grid: 24 columns wide, `h` in grid rows (~30 px each in Grafana).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct GridPos {
    pub x: u16,
    pub y: u16,
    pub w: u16,
    pub h: u16,
}

/// One query of a panel.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub expr: String,
    /// Series name template (`{{tool}} p95`); none: the label set.
    #[serde(default)]
    pub legend: Option<String>,
    /// Grafana's `refId` (`A`, `B`…), kept for messages.
    #[serde(default)]
    pub ref_id: String,
    /// An instant query at the range end (stat panels over `$__range`).
    #[serde(default)]
    pub instant: bool,
}

/// A panel: a titled box of the grid drawing one or more queries.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Panel {
    pub title: String,
    pub kind: PanelKind,
    #[serde(default, rename = "target")]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub unit: Unit,
    /// Fixed decimals for values (Grafana `decimals`); none: sensible rounding.
    #[serde(default)]
    pub decimals: Option<u8>,
    pub grid: GridPos,
    /// Reduction for stat/bar gauge/table panels (default: last non-null).
    #[serde(default)]
    pub reduce: Option<Reduce>,
    /// Timeseries drawn as stacked bars instead of lines.
    #[serde(default)]
    pub stacked: bool,
}

impl Dashboard {
    /// Parses and checks a dashboard file (the `assets/dashboards/*.toml` format).
    pub fn parse(text: &str) -> Result<Dashboard, DashboardError> {
        let d: Dashboard =
            toml::from_str(text).map_err(|e| DashboardError::Syntax(e.to_string()))?;
        d.validate()?;
        Ok(d)
    }

    /// Checks what serde cannot: every panel has a query and fits the 24-column grid.
    pub fn validate(&self) -> Result<(), DashboardError> {
        for p in &self.panels {
            let bad = |reason: &str| DashboardError::Panel {
                panel: p.title.clone(),
                reason: reason.into(),
            };
            if p.targets.is_empty() {
                return Err(bad("no query (add a [[panel.target]] with an expr)"));
            }
            if p.targets.iter().any(|t| t.expr.trim().is_empty()) {
                return Err(bad("empty expr"));
            }
            if p.grid.w == 0 || p.grid.h == 0 || p.grid.x + p.grid.w > 24 {
                return Err(bad("grid must have w, h > 0 and x + w <= 24"));
            }
        }
        Ok(())
    }

    /// The reduction a panel uses when it shows one number per series.
    pub fn reduce_of(p: &Panel) -> Reduce {
        p.reduce.unwrap_or(Reduce::LastNotNull)
    }
}
