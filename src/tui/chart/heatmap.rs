//! Series × time, each cell coloured by its value relative to the panel's maximum.

use chrono::FixedOffset;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use crate::dashboard::{NamedSeries, Unit, format_unit};

use super::axes::{AXIS, draw_time_axis, fit, fit_middle};
use super::line::{data_step_ms, value_within};

/// Cold to hot.
pub const RAMP: [Color; 5] = [
    Color::Blue,
    Color::Cyan,
    Color::Green,
    Color::Yellow,
    Color::LightRed,
];

/// Ramp slot of a value (0 ≤ v ≤ max).
pub fn ramp_slot(v: f64, max: f64) -> usize {
    if max <= 0.0 {
        return 0;
    }
    (((v / max).clamp(0.0, 1.0) * (RAMP.len() as f64 - 1.0)).round()) as usize
}

pub fn draw_heatmap(
    buf: &mut Buffer,
    area: Rect,
    series: &[NamedSeries],
    (start_ns, end_ns): (i64, i64),
    unit: &Unit,
    zone: FixedOffset,
) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    let max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.v))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let label_w = series
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0)
        .min(usize::from(area.width / 3)) as u16;
    let rows = area.height - 2;
    let plot = Rect::new(area.x + label_w + 1, area.y, area.width - label_w - 1, rows);
    let span = (end_ns - start_ns).max(1) as f64;
    let step = data_step_ms(series);
    for (r, s) in series.iter().take(usize::from(rows)).enumerate() {
        let y = area.y + r as u16;
        buf.set_string(
            area.x,
            y,
            fit_middle(&s.name, usize::from(label_w)),
            Style::new(),
        );
        for c in 0..plot.width {
            let t = start_ns + ((f64::from(c) + 0.5) / f64::from(plot.width) * span) as i64;
            let cell = &mut buf[(plot.x + c, y)];
            match value_within(&s.points, t, step).filter(|v| v.is_finite()) {
                Some(v) => cell
                    .set_symbol("█")
                    .set_style(Style::new().fg(RAMP[ramp_slot(v, max)])),
                None => cell.set_symbol("·").set_style(AXIS),
            };
        }
    }
    draw_time_axis(buf, plot, area.y + rows, start_ns, end_ns, zone);
    // Scale: the ramp and its maximum.
    let y = area.y + rows + 1;
    for (i, c) in RAMP.iter().enumerate() {
        buf[(area.x + i as u16, y)]
            .set_symbol("█")
            .set_style(Style::new().fg(*c));
    }
    let text = format!(" 0 … {}", format_unit(max, unit, None));
    buf.set_string(
        area.x + RAMP.len() as u16,
        y,
        fit(&text, usize::from(area.width) - RAMP.len()),
        AXIS,
    );
}
