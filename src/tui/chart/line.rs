//! The time-series chart: braille lines (or stacked bars), y axis with unit labels, time axis in
//! the user's zone, a legend with last/min/max/avg, and a cursor showing values at one step.

use chrono::FixedOffset;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Widget};

use crate::dashboard::{NamedSeries, Unit, format_number, format_unit, legend_stats};
use crate::model::Point;

use super::axes::{AXIS, YAxis, col_of, draw_time_axis, fit};
use super::bars::draw_stacked;
use super::series_color;

/// What to draw; borrowed from the view.
pub struct LineChart<'a> {
    pub series: &'a [NamedSeries],
    pub unit: &'a Unit,
    pub decimals: Option<u8>,
    pub start_ns: i64,
    pub end_ns: i64,
    pub zone: FixedOffset,
    /// Shared crosshair time: a vertical line, and the legend shows values at that step.
    pub cursor_ns: Option<i64>,
    /// Stacked bars instead of lines.
    pub stacked: bool,
    /// Series the user hid (by index; shorter than `series` means the rest are shown): not
    /// drawn and not in the y scale, kept dimmed in the legend so they can be shown again.
    pub hidden: &'a [bool],
    /// The legend row the user selected (the explorer's series toggles).
    pub selected: Option<usize>,
}

impl LineChart<'_> {
    fn is_hidden(&self, i: usize) -> bool {
        self.hidden.get(i).copied().unwrap_or(false)
    }
}

/// The legend row of the selected series: reversed, so it reads as a cursor.
pub const LEGEND_SELECTED: Modifier = Modifier::REVERSED;
/// A hidden series' legend row.
pub const LEGEND_HIDDEN: Style = AXIS;

/// The value of a series at time `t_ns`: the last point at or before it.
pub fn value_at(points: &[Point], t_ns: i64) -> Option<f64> {
    let t_ms = t_ns.div_euclid(1_000_000);
    let i = points.partition_point(|p| p.t_ms <= t_ms);
    i.checked_sub(1).map(|i| points[i].v)
}

/// Chart coordinates of one unbroken run of points (seconds from the start, value).
type Segment = Vec<(f64, f64)>;

/// Splits a series where points are missing (Loki omits steps without samples), so a line does
/// not bridge a gap.
fn segments(points: &[Point], start_ms: i64) -> Vec<Segment> {
    let min_gap = points
        .windows(2)
        .map(|w| w[1].t_ms - w[0].t_ms)
        .filter(|d| *d > 0)
        .min()
        .unwrap_or(i64::MAX);
    let mut out: Vec<Segment> = Vec::new();
    let mut prev: Option<i64> = None;
    for p in points.iter().filter(|p| p.v.is_finite()) {
        let new = match prev {
            None => true,
            Some(t) => p.t_ms - t > min_gap.saturating_mul(3) / 2,
        };
        if new {
            out.push(Vec::new());
        }
        if let Some(seg) = out.last_mut() {
            seg.push(((p.t_ms - start_ms) as f64 / 1000.0, p.v));
        }
        prev = Some(p.t_ms);
    }
    out
}

/// Names only, coloured, as many as fit on `area`'s rows, then `+N`.
fn compact_legend(buf: &mut Buffer, area: Rect, c: &LineChart) {
    let series = c.series;
    let (mut x, mut y) = (area.x, area.y);
    let right = area.x + area.width;
    for (i, s) in series.iter().enumerate() {
        let name = fit(&s.name, usize::from(area.width / 2).max(4));
        let w = name.chars().count() as u16 + 3;
        let rest = format!("+{}", series.len() - i);
        if x + w + rest.len() as u16 > right && i + 1 < series.len() || x + w > right {
            if y + 1 < area.y + area.height {
                y += 1;
                x = area.x;
            } else {
                buf.set_string(x, y, rest, AXIS);
                return;
            }
        }
        let (mark, text) = legend_styles(c, i, s);
        buf.set_string(x, y, "━ ", mark);
        buf.set_string(x + 2, y, &name, text);
        x += w;
    }
}

/// The styles of a legend row's colour mark and text: dimmed when hidden, reversed when
/// selected.
fn legend_styles(c: &LineChart, i: usize, s: &NamedSeries) -> (Style, Style) {
    let (mut mark, mut text) = if c.is_hidden(i) {
        (LEGEND_HIDDEN, LEGEND_HIDDEN)
    } else {
        (
            Style::new()
                .fg(series_color(s.color))
                .add_modifier(Modifier::BOLD),
            Style::new(),
        )
    };
    if c.selected == Some(i) {
        mark = mark.add_modifier(LEGEND_SELECTED);
        text = text.add_modifier(LEGEND_SELECTED);
    }
    (mark, text)
}

fn legend_line(c: &LineChart, s: &NamedSeries, width: usize) -> String {
    let f = |v: f64| format_unit(v, c.unit, c.decimals);
    let stats = legend_stats(&s.points);
    let now = match (c.cursor_ns, stats) {
        (Some(t), _) => {
            value_at(&s.points, t).map_or("-".into(), |v| format!("at cursor {}", f(v)))
        }
        (None, Some(st)) => format!("last {}", f(st.last)),
        (None, None) => "no data".into(),
    };
    // An average of counts is not a count: keep its decimals.
    let avg = |v: f64| match c.unit {
        Unit::Count => format_number(v),
        _ => f(v),
    };
    let rest = stats.map_or(String::new(), |st| {
        format!(
            "  min {}  max {}  avg {}",
            f(st.min),
            f(st.max),
            avg(st.avg)
        )
    });
    let numbers = format!("{now}{rest}");
    let name_w = width
        .saturating_sub(numbers.chars().count() + 4)
        .clamp(6, 40);
    fit(
        &format!("{}  {numbers}", fit(&s.name, name_w)),
        width.saturating_sub(2),
    )
}

/// Draws the chart into `area` (the panel's inside).
pub fn render_line_chart(buf: &mut Buffer, area: Rect, c: &LineChart) {
    if area.width < 8 || area.height < 3 {
        return;
    }
    let legend_rows = (c.series.len() as u16).min((area.height / 4).max(1));
    let plot_h = area.height.saturating_sub(legend_rows + 1).max(1);
    // the hidden series are neither drawn nor scaled for
    let visible: Vec<NamedSeries> = c
        .series
        .iter()
        .enumerate()
        .filter(|(i, _)| !c.is_hidden(*i))
        .map(|(_, s)| s.clone())
        .collect();
    let values = || {
        visible
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.v))
            .filter(|v| v.is_finite())
    };
    let lo = values().fold(f64::INFINITY, f64::min);
    let hi = if c.stacked {
        super::bars::stacked_max(&visible)
    } else {
        values().fold(f64::NEG_INFINITY, f64::max)
    };
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let y = YAxis::new(lo, hi, plot_h, c.unit, c.decimals);
    let gutter = y.width().min(area.width / 3);
    let plot = Rect::new(area.x + gutter, area.y, area.width - gutter, plot_h);
    y.draw(buf, plot);
    draw_time_axis(buf, plot, area.y + plot_h, c.start_ns, c.end_ns, c.zone);

    let start_ms = c.start_ns.div_euclid(1_000_000);
    let span_s = ((c.end_ns - c.start_ns) as f64 / 1e9).max(1e-3);
    if c.stacked {
        draw_stacked(buf, plot, &visible, &y, c.start_ns, c.end_ns);
    } else {
        let segs: Vec<(usize, Vec<Segment>)> = visible
            .iter()
            .map(|s| (s.color, segments(&s.points, start_ms)))
            .collect();
        let mut sets = Vec::new();
        for (color, ss) in &segs {
            for seg in ss {
                let kind = if seg.len() == 1 {
                    GraphType::Scatter
                } else {
                    GraphType::Line
                };
                sets.push(
                    Dataset::default()
                        .marker(Marker::Braille)
                        .graph_type(kind)
                        .style(Style::new().fg(series_color(*color)))
                        .data(seg),
                );
            }
        }
        Chart::new(sets)
            .x_axis(Axis::default().bounds([0.0, span_s]))
            .y_axis(Axis::default().bounds([y.lo, y.hi]))
            .render(plot, buf);
    }
    if let Some(t) = c.cursor_ns.filter(|t| (c.start_ns..=c.end_ns).contains(t)) {
        let x = col_of(t, c.start_ns, c.end_ns, plot);
        for row in plot.y..plot.y + plot.height {
            let cell = &mut buf[(x, row)];
            if cell.symbol() == " " || cell.symbol() == "\u{2800}" {
                cell.set_symbol("│").set_style(AXIS);
            }
        }
    }
    let legend_y = area.y + plot_h + 1;
    if c.series.len() > usize::from(legend_rows) {
        compact_legend(buf, Rect::new(area.x, legend_y, area.width, legend_rows), c);
        return;
    }
    for (i, s) in c.series.iter().enumerate() {
        let row = legend_y + i as u16;
        let (mark, style) = legend_styles(c, i, s);
        buf.set_string(area.x, row, "━ ", mark);
        let text = if c.is_hidden(i) {
            fit(
                &format!("{}  hidden", s.name),
                usize::from(area.width).saturating_sub(2),
            )
        } else {
            legend_line(c, s, usize::from(area.width))
        };
        buf.set_string(area.x + 2, row, text, style);
    }
}

/// The value at `t_ns` if a point lies at most `max_age_ms` before it (a gap stays a gap).
pub fn value_within(points: &[Point], t_ns: i64, max_age_ms: i64) -> Option<f64> {
    let t_ms = t_ns.div_euclid(1_000_000);
    let i = points.partition_point(|p| p.t_ms <= t_ms);
    let p = points.get(i.checked_sub(1)?)?;
    (t_ms - p.t_ms <= max_age_ms).then_some(p.v)
}

/// The data's step: the smallest distance between two points of any series (Loki's grid).
pub fn data_step_ms(series: &[NamedSeries]) -> i64 {
    series
        .iter()
        .flat_map(|s| s.points.windows(2).map(|w| w[1].t_ms - w[0].t_ms))
        .filter(|d| *d > 0)
        .min()
        .unwrap_or(i64::MAX / 4)
}
