//! Charts for metric results and the dashboard screen: a braille line chart with axes, legend
//! and cursor; stacked bars; bar gauges; stat values; a table; a small log list; a histogram
//! and a heatmap; all inside a panel frame that shows a failed query's error in place.
//!
//! Pure drawing from a [`DashboardView`] (core data): no I/O, no state of its own.

mod axes;
mod bars;
mod dashboard;
mod heatmap;
mod line;
mod steps;
mod text;

use ratatui::style::Color;

pub use axes::draw_time_axis;
pub use dashboard::{render_dashboard, render_panel};
pub use line::{LEGEND_HIDDEN, LEGEND_SELECTED, LineChart, render_line_chart};
pub use steps::{clamp_scroll, draw_steps, step_rows_shown, step_times};
pub use text::draw_table;

/// Series colours, by palette slot (`NamedSeries::color`). Red is kept for errors.
pub const PALETTE: [Color; crate::dashboard::PALETTE_LEN] = [
    Color::Green,
    Color::Yellow,
    Color::Blue,
    Color::Magenta,
    Color::Cyan,
    Color::LightGreen,
    Color::LightYellow,
    Color::LightMagenta,
];

/// The colour of a palette slot.
pub fn series_color(slot: usize) -> Color {
    PALETTE[slot % PALETTE.len()]
}

/// The colour a failed panel is drawn in.
pub const ERROR_COLOR: Color = Color::Red;

#[cfg(test)]
mod tests;
