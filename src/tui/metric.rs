//! A metric result in the explorer: a chart (braille lines, time axis in the user's zone, y
//! axis with units, legend with last/min/max/avg, a time cursor, series the user hides) or a
//! table of its steps (one column per series), instead of the log table's rows.

use chrono::FixedOffset;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::dashboard::{NamedSeries, PALETTE_LEN, Unit, assign_colors, series_name};
use crate::model::{MetricResult, Point};

use super::chart::{LineChart, draw_steps, draw_table, render_line_chart};

/// How the explorer shows a metric result (`update::metric`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricChart {
    pub zone: FixedOffset,
    /// The time whose values the legend shows (moves one step at a time).
    pub cursor_ns: Option<i64>,
    /// The table of the steps instead of the chart.
    pub table: bool,
    /// The legend row j/k selected (clamped to the series there are when used).
    pub selected: usize,
    /// Names of the series the user hid: not drawn, not scaled for, no column in the table.
    /// By name, so they stay hidden when the query runs again.
    pub hidden: Vec<String>,
    /// First step row of the table shown.
    pub scroll: usize,
}

impl Default for MetricChart {
    fn default() -> Self {
        MetricChart {
            zone: super::dash::zone(false),
            cursor_ns: None,
            table: false,
            selected: 0,
            hidden: Vec::new(),
            scroll: 0,
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

    /// Hides the selected one of `series`, or shows it again.
    pub fn toggle_selected(&mut self, series: &[NamedSeries]) {
        let Some(s) = series.get(self.selected.min(series.len().saturating_sub(1))) else {
            return;
        };
        match self.hidden.iter().position(|h| *h == s.name) {
            Some(i) => {
                self.hidden.remove(i);
            }
            None => self.hidden.push(s.name.clone()),
        }
    }

    pub fn is_hidden(&self, s: &NamedSeries) -> bool {
        self.hidden.contains(&s.name)
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
    if series.iter().all(|s| s.points.len() <= 1) {
        draw_table(buf, area, &series, &unit, None);
        return;
    }
    if view.table {
        let shown: Vec<NamedSeries> = series.into_iter().filter(|s| !view.is_hidden(s)).collect();
        draw_steps(buf, area, &shown, &unit, view.zone, view.scroll);
        return;
    }
    let hidden: Vec<bool> = series.iter().map(|s| view.is_hidden(s)).collect();
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
            hidden: &hidden,
            selected: Some(view.selected.min(series.len().saturating_sub(1))),
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::chart::{clamp_scroll, step_rows_shown};

    fn series(names: &[&str]) -> Vec<NamedSeries> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| NamedSeries {
                name: (*n).into(),
                points: Vec::new(),
                color: i,
            })
            .collect()
    }

    #[test]
    fn toggles_hide_and_show_the_selected_series_by_name() {
        let s = series(&["a", "b", "c"]);
        let mut c = MetricChart {
            selected: 1,
            ..MetricChart::default()
        };
        c.toggle_selected(&s);
        assert_eq!(c.hidden, ["b"]);
        assert!(c.is_hidden(&s[1]) && !c.is_hidden(&s[0]));
        // a selection past the end (fewer series after a re-run) toggles the last one
        c.selected = 9;
        c.toggle_selected(&s);
        assert_eq!(c.hidden, ["b", "c"]);
        c.selected = 1;
        c.toggle_selected(&s);
        assert_eq!(c.hidden, ["c"]);
        c.toggle_selected(&[]);
        assert_eq!(c.hidden, ["c"]);
    }

    #[test]
    fn the_table_scrolls_no_further_than_its_last_page() {
        // 30 rows of table: header, 23 steps, separator, 4 summary rows, status
        assert_eq!(step_rows_shown(30), 23);
        assert_eq!(clamp_scroll(5, 60, 30), 5);
        assert_eq!(clamp_scroll(100, 60, 30), 37);
        assert_eq!(clamp_scroll(3, 10, 30), 0);
        // too short for the summary: header and status only
        assert_eq!(step_rows_shown(6), 4);
    }
}
