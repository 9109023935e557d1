//! A metric result in the explorer: a chart (braille lines, time axis in the user's zone, y
//! axis with units, legend with last/min/max/avg, a time cursor) or a table of the same
//! series, instead of the log table's rows.

use chrono::FixedOffset;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::dashboard::{NamedSeries, PALETTE_LEN, Unit, assign_colors, series_name};
use crate::model::{MetricResult, Point};

use super::chart::{LineChart, draw_table, render_line_chart};

/// How the explorer shows a metric result (`update::metric_key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricChart {
    pub zone: FixedOffset,
    /// The time whose values the legend shows (moves one step at a time).
    pub cursor_ns: Option<i64>,
    /// The table of the series instead of the chart.
    pub table: bool,
}

impl Default for MetricChart {
    fn default() -> Self {
        MetricChart {
            zone: super::dash::zone(false),
            cursor_ns: None,
            table: false,
        }
    }
}

impl MetricChart {
    /// Moves the cursor by `by` sixtieths of `[start_ns, end_ns]` (appears at an end first).
    pub fn move_cursor(&mut self, by: i64, start_ns: i64, end_ns: i64) {
        if end_ns <= start_ns {
            return;
        }
        let step = ((end_ns - start_ns) / 60).max(1);
        let next = match self.cursor_ns {
            None if by < 0 => end_ns - step,
            None => start_ns + step,
            Some(c) => c + by * step,
        };
        self.cursor_ns = Some(next.clamp(start_ns, end_ns));
    }
}

/// Names and colours the series of a result (labels as Loki prints them).
pub fn named_series(m: &MetricResult) -> Vec<NamedSeries> {
    let raw: Vec<(String, Vec<Point>)> = match m {
        MetricResult::Matrix(ss) => ss
            .iter()
            .map(|s| (series_name(&s.metric, None, "value"), s.points.clone()))
            .collect(),
        MetricResult::Vector(v) => v
            .iter()
            .map(|s| (series_name(&s.metric, None, "value"), vec![s.point]))
            .collect(),
        MetricResult::Scalar(p) => vec![("scalar".to_string(), vec![*p])],
    };
    let names: Vec<String> = raw.iter().map(|(n, _)| n.clone()).collect();
    raw.into_iter()
        .zip(assign_colors(&names, PALETTE_LEN))
        .map(|((name, points), color)| NamedSeries {
            name,
            points,
            color,
        })
        .collect()
}

/// Draws `m` over `[start_ns, end_ns]` into `area`.
pub fn render_metric(
    buf: &mut Buffer,
    area: Rect,
    m: &MetricResult,
    range: (i64, i64),
    view: &MetricChart,
) {
    let series = named_series(m);
    let unit = Unit::default();
    if view.table || series.iter().all(|s| s.points.len() <= 1) {
        draw_table(buf, area, &series, &unit, None);
        return;
    }
    render_line_chart(
        buf,
        area,
        &LineChart {
            series: &series,
            unit: &unit,
            decimals: None,
            start_ns: range.0,
            end_ns: range.1,
            zone: view.zone,
            cursor_ns: view.cursor_ns,
            stacked: false,
        },
    );
}
