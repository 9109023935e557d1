//! Panels that are mostly text: stat values, a table of series, a short list of log lines.

use chrono::{DateTime, FixedOffset};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table, Widget};

use crate::dashboard::{NamedSeries, Reduce, Unit, format_unit, legend_stats, reduce};
use crate::model::LogEntry;
use crate::sanitize::inline;

use super::axes::{AXIS, fit};
use super::series_color;

/// The reduced value of each series, big and centred; several series share the rows.
pub fn draw_stat(
    buf: &mut Buffer,
    area: Rect,
    series: &[NamedSeries],
    how: Reduce,
    unit: &Unit,
    decimals: Option<u8>,
) {
    let vals: Vec<(&NamedSeries, String)> = series
        .iter()
        .filter_map(|s| reduce(&s.points, how).map(|v| (s, format_unit(v, unit, decimals))))
        .collect();
    if vals.is_empty() {
        return;
    }
    let rows = usize::from(area.height.max(1));
    let w = usize::from(area.width);
    if vals.len() == 1 {
        let (s, text) = &vals[0];
        let style = Style::new()
            .fg(series_color(s.color))
            .add_modifier(Modifier::BOLD);
        let line = Line::styled(fit(text, w), style).centered();
        let y = area.y + area.height.saturating_sub(1) / 2;
        line.render(Rect::new(area.x, y, area.width, 1), buf);
        return;
    }
    for (i, (s, text)) in vals.iter().take(rows).enumerate() {
        let style = Style::new()
            .fg(series_color(s.color))
            .add_modifier(Modifier::BOLD);
        let y = area.y + i as u16;
        let name_w = w.saturating_sub(text.chars().count() + 1);
        buf.set_string(area.x, y, fit(&s.name, name_w), Style::new());
        let x = (area.x + area.width).saturating_sub(text.chars().count() as u16);
        buf.set_string(x, y, text, style);
    }
}

/// Series as rows: the value (instant results) or last/min/max/avg (range results).
pub fn draw_table(
    buf: &mut Buffer,
    area: Rect,
    series: &[NamedSeries],
    unit: &Unit,
    decimals: Option<u8>,
) {
    let f = |v: f64| format_unit(v, unit, decimals);
    let instant = series.iter().all(|s| s.points.len() <= 1);
    let header: Vec<&str> = if instant {
        vec!["series", "value"]
    } else {
        vec!["series", "last", "min", "max", "avg"]
    };
    let rows: Vec<Row> = series
        .iter()
        .map(|s| {
            let name = Cell::from(s.name.clone()).style(Style::new().fg(series_color(s.color)));
            let nums: Vec<String> = match legend_stats(&s.points) {
                Some(st) if instant => vec![f(st.last)],
                Some(st) => vec![f(st.last), f(st.min), f(st.max), f(st.avg)],
                None => vec!["-".into()],
            };
            let mut cells = vec![name];
            cells.extend(
                nums.into_iter()
                    .map(|n| Cell::from(Line::from(n).right_aligned())),
            );
            Row::new(cells)
        })
        .collect();
    let num_w = if instant { 12 } else { 10 };
    let mut widths = vec![Constraint::Fill(1)];
    widths.extend(std::iter::repeat_n(
        Constraint::Length(num_w),
        header.len() - 1,
    ));
    let head = Row::new(
        header
            .into_iter()
            .map(|h| Cell::from(Line::from(h).right_aligned())),
    )
    .style(Style::new().add_modifier(Modifier::BOLD));
    Table::new(rows, widths).header(head).render(area, buf);
}

fn level_style(e: &LogEntry) -> Style {
    match e.labels.get("level").map(String::as_str) {
        Some("error" | "critical" | "fatal") => Style::new().fg(Color::Red),
        Some("warning" | "warn") => Style::new().fg(Color::Yellow),
        Some("debug") => AXIS,
        _ => Style::new(),
    }
}

/// The newest lines first: time, level, line (control bytes made visible).
pub fn draw_logs(buf: &mut Buffer, area: Rect, entries: &[LogEntry], zone: FixedOffset) {
    for (i, e) in entries.iter().take(usize::from(area.height)).enumerate() {
        let y = area.y + i as u16;
        let t = DateTime::from_timestamp_nanos(e.ts)
            .with_timezone(&zone)
            .format("%H:%M:%S")
            .to_string();
        buf.set_string(area.x, y, &t, AXIS);
        let lvl = e.labels.get("level").map_or("", String::as_str);
        let lvl = fit(&inline(lvl), 5);
        buf.set_string(area.x + 9, y, format!("{lvl:<5}"), level_style(e));
        let room = usize::from(area.width.saturating_sub(15));
        buf.set_string(area.x + 15, y, fit(&inline(&e.line), room), Style::new());
    }
}
