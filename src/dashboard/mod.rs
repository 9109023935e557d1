//! Dashboards: panels of LogQL queries defined in data (built-in TOML, user TOML, or imported
//! Grafana JSON), plus the pure helpers every front end needs to draw them (step per panel
//! width, units, axis ticks, legend stats, series colours, grid layout). No I/O, no async, no
//! terminal: the CLI and TUI run the queries and feed results back in as a [`DashboardView`].

mod axis;
mod grafana;
mod layout;
mod model;
mod stats;
mod step;
mod units;
mod vars;
mod view;

pub use axis::{nice_ticks, nice_ticks_at, time_ticks};
pub use grafana::{Import, Skipped, import_grafana};
pub use layout::{CellRect, GRID_COLUMNS, layout_cells};
pub use model::{Dashboard, DashboardError, GridPos, Panel, PanelKind, Reduce, Target, Variable};
pub use stats::{LegendStats, assign_colors, legend_stats, reduce, series_name};
pub use step::{MAX_POINTS, nice_step_ns, step_for_width};
pub use units::{Unit, format_number, format_unit};
pub use vars::{TimeCtx, format_duration_ms, interpolate, parse_override, resolve_vars};
pub use view::{
    DashboardView, NamedSeries, PALETTE_LEN, PanelQuery, PanelState, PanelView, plan_queries,
};

/// The built-in VulnSentinel overview (`assets/dashboards/overview.toml`).
pub fn overview() -> Result<Dashboard, DashboardError> {
    Dashboard::parse(include_str!("../../assets/dashboards/overview.toml"))
}

#[cfg(test)]
mod tests;
