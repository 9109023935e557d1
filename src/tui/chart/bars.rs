//! Bars: stacked bars over time, horizontal bar gauges (one per series), and a histogram of the
//! values. Heights are proportional to the value with eighth-cell precision, so a small value
//! is a small bar.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use crate::dashboard::{NamedSeries, Reduce, Unit, format_unit, reduce};

use super::axes::{AXIS, YAxis, fit_middle};
use super::line::{data_step_ms, value_within};
use super::series_color;

const EIGHTHS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/// The time a plot column stands for (its middle).
fn col_time(c: u16, plot: Rect, start_ns: i64, end_ns: i64) -> i64 {
    let span = (end_ns - start_ns) as f64;
    start_ns + ((f64::from(c) + 0.5) / f64::from(plot.width.max(1)) * span) as i64
}

fn column_values(series: &[NamedSeries], t: i64, step_ms: i64) -> Vec<f64> {
    series
        .iter()
        .map(|s| {
            value_within(&s.points, t, step_ms)
                .filter(|v| v.is_finite() && *v > 0.0)
                .unwrap_or(0.0)
        })
        .collect()
}

/// The largest stacked total at any step (the stacked chart's y maximum).
pub fn stacked_max(series: &[NamedSeries]) -> f64 {
    let mut times: Vec<i64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.t_ms))
        .collect();
    times.sort_unstable();
    times.dedup();
    let step = data_step_ms(series);
    times
        .iter()
        .map(|t| {
            column_values(series, t * 1_000_000, step)
                .iter()
                .sum::<f64>()
        })
        .fold(0.0, f64::max)
}

/// Stacked bars: each column's series stacked in order, bottom up.
pub fn draw_stacked(
    buf: &mut Buffer,
    plot: Rect,
    series: &[NamedSeries],
    y: &YAxis,
    start_ns: i64,
    end_ns: i64,
) {
    let rows = f64::from(plot.height);
    let to_eighths =
        |v: f64| (((v - y.lo) / (y.hi - y.lo)).clamp(0.0, 1.0) * rows * 8.0).round() as u32;
    let step = data_step_ms(series);
    for c in 0..plot.width {
        let vals = column_values(series, col_time(c, plot, start_ns, end_ns), step);
        let mut cum = 0.0;
        let mut bottom = 0u32;
        for (s, v) in series.iter().zip(vals) {
            if v <= 0.0 {
                continue;
            }
            cum += v;
            let top = to_eighths(cum);
            let style = Style::new().fg(series_color(s.color));
            // Whole cells from `bottom` (rounded up to a cell boundary) to `top`.
            let mut e = bottom.div_ceil(8) * 8;
            while e + 8 <= top {
                let row = plot.y + plot.height - 1 - (e / 8) as u16;
                buf[(plot.x + c, row)].set_symbol("█").set_style(style);
                e += 8;
            }
            if top > e && top % 8 != 0 && e / 8 < u32::from(plot.height) {
                let row = plot.y + plot.height - 1 - (e / 8) as u16;
                buf[(plot.x + c, row)]
                    .set_symbol(EIGHTHS[(top % 8) as usize])
                    .set_style(style);
            }
            bottom = top;
        }
    }
}

/// One horizontal bar per series, scaled to the largest, with its reduced value.
pub fn draw_bargauge(
    buf: &mut Buffer,
    area: Rect,
    series: &[NamedSeries],
    how: Reduce,
    unit: &Unit,
    decimals: Option<u8>,
) {
    let vals: Vec<(usize, f64)> = series
        .iter()
        .enumerate()
        .filter_map(|(i, s)| reduce(&s.points, how).map(|v| (i, v)))
        .collect();
    let max = vals
        .iter()
        .map(|(_, v)| *v)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let texts: Vec<String> = vals
        .iter()
        .map(|(_, v)| format_unit(*v, unit, decimals))
        .collect();
    let val_w = texts.iter().map(|t| t.chars().count()).max().unwrap_or(0) as u16;
    let name_w = series
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0)
        .min(usize::from(area.width / 3)) as u16;
    let bar_w = area.width.saturating_sub(name_w + val_w + 2);
    let rows = usize::from(area.height);
    for (row, ((i, v), text)) in vals.iter().zip(&texts).enumerate().take(rows) {
        let y = area.y + row as u16;
        if row + 1 == rows && vals.len() > rows {
            buf.set_string(area.x, y, format!("+{} more", vals.len() - rows + 1), AXIS);
            break;
        }
        let s = &series[*i];
        let style = Style::new().fg(series_color(s.color));
        buf.set_string(
            area.x,
            y,
            fit_middle(&s.name, usize::from(name_w)),
            Style::new(),
        );
        let frac = if max > 0.0 {
            (v / max).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let eighths = (frac * f64::from(bar_w) * 8.0).round() as u16;
        let bx = area.x + name_w + 1;
        for k in 0..bar_w {
            let fill = eighths.saturating_sub(k * 8).min(8);
            let (sym, st) = match fill {
                0 => ("·", AXIS),
                8 => ("█", style),
                f => (
                    ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][usize::from(f)],
                    style,
                ),
            };
            buf[(bx + k, y)].set_symbol(sym).set_style(st);
        }
        let pad = val_w.saturating_sub(text.chars().count() as u16);
        buf.set_string(bx + bar_w + 1 + pad, y, text, style);
    }
}

/// A histogram of every value of every series: counts per value bucket as vertical bars, the
/// value range under them.
pub fn draw_histogram(
    buf: &mut Buffer,
    area: Rect,
    series: &[NamedSeries],
    unit: &Unit,
    decimals: Option<u8>,
) {
    let vals: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.v))
        .filter(|v| v.is_finite())
        .collect();
    if vals.is_empty() || area.height < 3 || area.width < 6 {
        return;
    }
    let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let bins = usize::from((area.width / 2).clamp(1, 30));
    let width = if hi > lo {
        (hi - lo) / bins as f64
    } else {
        1.0
    };
    let mut counts = vec![0u32; bins];
    for v in &vals {
        let b = (((v - lo) / width) as usize).min(bins - 1);
        counts[b] += 1;
    }
    let max = f64::from(counts.iter().copied().max().unwrap_or(1).max(1));
    let plot_h = area.height - 1;
    let col_w = (area.width / bins as u16).max(1);
    let color = Style::new().fg(series
        .first()
        .map_or(Color::Green, |s| series_color(s.color)));
    for (b, n) in counts.iter().enumerate() {
        let eighths = (f64::from(*n) / max * f64::from(plot_h) * 8.0).round() as u16;
        for r in 0..plot_h {
            let fill = eighths.saturating_sub(r * 8).min(8);
            if fill == 0 {
                break;
            }
            let y = area.y + plot_h - 1 - r;
            for k in 0..col_w.saturating_sub(1).max(1) {
                let x = area.x + b as u16 * col_w + k;
                if x < area.x + area.width {
                    buf[(x, y)]
                        .set_symbol(EIGHTHS[usize::from(fill)])
                        .set_style(color);
                }
            }
        }
    }
    let left = format_unit(lo, unit, decimals);
    let right = format_unit(hi, unit, decimals);
    let y = area.y + plot_h;
    buf.set_string(area.x, y, &left, AXIS);
    let rx = (area.x + area.width).saturating_sub(right.chars().count() as u16);
    if rx > area.x + left.chars().count() as u16 {
        buf.set_string(rx, y, &right, AXIS);
    }
}
