//! A metric result as a table of its steps: the step time (user's zone) in the first column,
//! one column per series headed by its name in its colour, numbers rounded as everywhere
//! (`1475.95`, counts whole); last/min/max/avg pinned under the rows; the rows scroll.

use chrono::{DateTime, FixedOffset};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use crate::dashboard::{NamedSeries, Unit, format_unit, legend_stats};

use super::axes::{AXIS, fit_middle};
use super::series_color;

/// Every step time of any series (ms), oldest first: the table's rows.
pub fn step_times(series: &[NamedSeries]) -> Vec<i64> {
    let mut t: Vec<i64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.t_ms))
        .collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// Rows of steps that fit in `height` rows of table (header, summary and status excluded).
pub fn step_rows_shown(height: u16) -> usize {
    usize::from(height.saturating_sub(if height >= 10 { 7 } else { 2 })).max(1)
}

/// The first row shown for a wanted `scroll`: never past the last page.
pub fn clamp_scroll(scroll: usize, rows: usize, height: u16) -> usize {
    scroll.min(rows.saturating_sub(step_rows_shown(height)))
}

fn time_label(t_ms: i64, zone: FixedOffset, with_date: bool) -> String {
    let fmt = if with_date {
        "%m-%d %H:%M:%S"
    } else {
        "%H:%M:%S"
    };
    DateTime::from_timestamp_millis(t_ms)
        .map(|d| d.with_timezone(&zone).format(fmt).to_string())
        .unwrap_or_else(|| "?".into())
}

/// Draws the table; `scroll` is the first step row shown (clamped here).
pub fn draw_steps(
    buf: &mut Buffer,
    area: Rect,
    series: &[NamedSeries],
    unit: &Unit,
    zone: FixedOffset,
    scroll: usize,
) {
    if area.width < 10 || area.height < 3 {
        return;
    }
    let times = step_times(series);
    let f = |v: f64| format_unit(v, unit, None);
    let with_date = match (times.first(), times.last()) {
        (Some(a), Some(b)) => b - a >= 86_400_000,
        _ => false,
    };
    let time_w = if with_date { 14 } else { 8 };
    // each column as wide as its numbers, the name cut in the middle beyond 24
    let cells: Vec<Vec<String>> = series
        .iter()
        .map(|s| {
            times
                .iter()
                .map(|t| {
                    s.points
                        .binary_search_by_key(t, |p| p.t_ms)
                        .map_or_else(|_| "-".to_string(), |i| f(s.points[i].v))
                })
                .collect()
        })
        .collect();
    let stats: Vec<[String; 4]> = series
        .iter()
        .map(|s| match legend_stats(&s.points) {
            Some(st) => [f(st.last), f(st.min), f(st.max), f(st.avg)],
            None => std::array::from_fn(|_| "-".to_string()),
        })
        .collect();
    let widths: Vec<usize> = series
        .iter()
        .zip(cells.iter().zip(&stats))
        .map(|(s, (col, st))| {
            let nums = col.iter().chain(st.iter()).map(|c| c.chars().count());
            nums.max()
                .unwrap_or(1)
                .max(s.name.chars().count().min(24))
                .max(6)
        })
        .collect();
    let right = area.x + area.width;
    let put = |buf: &mut Buffer, x: u16, y: u16, text: &str, w: usize, style: Style| {
        if x < right {
            let room = usize::from(right - x).min(w);
            let text = format!("{text:>w$}");
            buf.set_stringn(x, y, text, room, style);
        }
    };
    let summary = area.height >= 10;
    let body_h = step_rows_shown(area.height);
    let first = clamp_scroll(scroll, times.len(), area.height);
    // header: `time`, then each series' name in its colour
    let bold = Style::new().add_modifier(Modifier::BOLD);
    buf.set_stringn(area.x, area.y, "time", time_w, bold);
    let mut x = area.x + time_w as u16 + 2;
    for (s, w) in series.iter().zip(&widths) {
        let style = bold.fg(series_color(s.color));
        put(buf, x, area.y, &fit_middle(&s.name, *w), *w, style);
        x = x.saturating_add(*w as u16 + 2);
    }
    let row = |buf: &mut Buffer, y: u16, label: &str, col: &dyn Fn(usize) -> String| {
        buf.set_stringn(area.x, y, label, time_w, AXIS);
        let mut x = area.x + time_w as u16 + 2;
        for (i, w) in widths.iter().enumerate() {
            put(buf, x, y, &col(i), *w, Style::new());
            x = x.saturating_add(*w as u16 + 2);
        }
    };
    for (k, t) in times.iter().enumerate().skip(first).take(body_h) {
        let y = area.y + 1 + (k - first) as u16;
        row(buf, y, &time_label(*t, zone, with_date), &|i| {
            cells[i][k].clone()
        });
    }
    let status_y = area.y + area.height - 1;
    if summary {
        let top = status_y - 5;
        buf.set_stringn(
            area.x,
            top,
            "─".repeat(usize::from(area.width)),
            usize::from(area.width),
            AXIS,
        );
        for (j, name) in ["last", "min", "max", "avg"].iter().enumerate() {
            row(buf, top + 1 + j as u16, name, &|i| stats[i][j].clone());
        }
    }
    let shown_to = (first + body_h).min(times.len());
    let status = format!(
        "steps {}–{} of {} · j/k scroll · T chart",
        (first + 1).min(shown_to),
        shown_to,
        times.len()
    );
    buf.set_stringn(area.x, status_y, status, usize::from(area.width), AXIS);
}
