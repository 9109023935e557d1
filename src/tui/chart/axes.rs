//! Axis labels drawn straight into the buffer at their true positions (ratatui's `Axis` spreads
//! labels evenly, which would put time ticks at the wrong place).

use chrono::FixedOffset;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use crate::dashboard::{Unit, format_unit, nice_ticks_at, time_ticks};

pub const AXIS: Style = Style::new().fg(Color::DarkGray);

/// The y range and its tick labels for values `lo..=hi` over `rows` rows.
pub struct YAxis {
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<(f64, String)>,
}

impl YAxis {
    /// Ticks whose labels all differ: the step is a multiple of what the unit can show (whole
    /// counts, fixed decimals), and grows (fewer ticks) while two labels still read the same.
    pub fn new(lo: f64, hi: f64, rows: u16, unit: &Unit, decimals: Option<u8>) -> YAxis {
        let lo = lo.min(0.0);
        let max_ticks = usize::from((rows / 2).clamp(1, 6));
        let mut resolution = label_resolution(unit, decimals);
        let mut ticks = Vec::new();
        // fewer ticks first; a coarser resolution when even two ticks read the same
        'search: for _ in 0..6 {
            for n in (1..=max_ticks).rev() {
                ticks = nice_ticks_at(lo, hi, n, resolution)
                    .into_iter()
                    .map(|t| (t, format_unit(t, unit, decimals)))
                    .collect::<Vec<_>>();
                if ticks.windows(2).all(|w| w[0].1 != w[1].1) {
                    break 'search;
                }
            }
            resolution = if resolution > 0.0 {
                resolution * 10.0
            } else {
                10f64.powf((hi - lo).abs().max(f64::MIN_POSITIVE).log10().floor() - 1.0)
            };
        }
        let first = ticks.first().map_or(0.0, |t| t.0);
        let last = ticks.last().map_or(1.0, |t| t.0);
        YAxis {
            lo: first,
            hi: if last > first { last } else { first + 1.0 },
            ticks,
        }
    }

    /// Width of the label gutter (labels plus one space).
    pub fn width(&self) -> u16 {
        self.ticks
            .iter()
            .map(|(_, l)| l.chars().count())
            .max()
            .unwrap_or(1) as u16
            + 1
    }

    /// Row (within `plot`) of a value.
    pub fn row(&self, v: f64, plot: Rect) -> u16 {
        let f = ((v - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0);
        plot.y + ((1.0 - f) * f64::from(plot.height.saturating_sub(1))).round() as u16
    }

    /// Right-aligned labels left of `plot`, skipping ones that would share a row.
    pub fn draw(&self, buf: &mut Buffer, plot: Rect) {
        let w = self.width();
        let mut used = Vec::new();
        for (v, label) in self.ticks.iter().rev() {
            let row = self.row(*v, plot);
            if used.contains(&row) {
                continue;
            }
            used.push(row);
            let x = plot.x.saturating_sub(w);
            let pad = usize::from(w - 1).saturating_sub(label.chars().count());
            buf.set_string(x + pad as u16, row, label, AXIS);
        }
    }
}

/// The smallest difference labels in `unit` show below its first scale step (0: no fixed
/// limit): whole counts, or the panel's decimals of the unit's base (%, ms…).
fn label_resolution(unit: &Unit, decimals: Option<u8>) -> f64 {
    let Some(d) = decimals else {
        return if *unit == Unit::Count { 1.0 } else { 0.0 };
    };
    // the value's own unit is 100× (percentunit) or 1000× (s shown as ms) the label's
    let shift = match unit {
        Unit::PercentUnit => 2,
        Unit::S => 3,
        _ => 0,
    };
    let r = 10f64.powi(-i32::from(d) - shift);
    if *unit == Unit::Count { r.max(1.0) } else { r }
}

/// Time labels under `plot` on row `y`, at their real columns, never overlapping.
pub fn draw_time_axis(
    buf: &mut Buffer,
    plot: Rect,
    y: u16,
    start_ns: i64,
    end_ns: i64,
    zone: FixedOffset,
) {
    let span = (end_ns - start_ns).max(1) as f64;
    let max_ticks = usize::from((plot.width / 9).max(1));
    let mut next_free = plot.x;
    for (t, label) in time_ticks(start_ns, end_ns, max_ticks, zone) {
        let col = plot.x
            + (((t - start_ns) as f64 / span) * f64::from(plot.width.saturating_sub(1))).round()
                as u16;
        let len = label.chars().count() as u16;
        let x = col.saturating_sub(len / 2).max(plot.x);
        if x < next_free || x + len > plot.x + plot.width {
            continue;
        }
        buf.set_string(x, y, &label, AXIS);
        next_free = x + len + 1;
    }
}

/// Column (within `plot`) of a time.
pub fn col_of(t_ns: i64, start_ns: i64, end_ns: i64, plot: Rect) -> u16 {
    let span = (end_ns - start_ns).max(1) as f64;
    let f = ((t_ns - start_ns) as f64 / span).clamp(0.0, 1.0);
    plot.x + (f * f64::from(plot.width.saturating_sub(1))).round() as u16
}

/// Truncates to `width` characters, with `…` when cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Truncates in the middle (`fetch_c…diff p95`), keeping both ends: series names often differ
/// only at the end.
pub fn fit_middle(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_string();
    }
    if width < 5 {
        return fit(s, width);
    }
    let tail = (width - 1) / 2;
    let head = width - 1 - tail;
    let mut out: String = s.chars().take(head).collect();
    out.push('…');
    out.extend(s.chars().skip(n - tail));
    out
}
