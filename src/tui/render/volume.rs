//! The log-volume histogram: one column per time slice, stacked by level, with the span of
//! the lines on screen marked underneath.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};

use super::super::app::App;
use super::super::layout::page_rows;
use super::super::store::Level;
use super::super::update::{plural, volume_loading};
use super::{DIM, level_style};

fn level_color(l: Level) -> Color {
    level_style(l).fg.unwrap_or(Color::Gray)
}

pub fn volume(frame: &mut Frame, r: Rect, app: &App) {
    let Some(v) = &app.volume.histogram else {
        // Every state ends in words: loading only while the volume query runs.
        let title = if volume_loading(app) {
            " volume: loading… ".to_string()
        } else if let Some(e) = &app.volume.error {
            format!(" volume unavailable: {} ", crate::sanitize::inline(e))
        } else if app.logs.results.metric.is_some() {
            " no volume for a metric query ".to_string()
        } else {
            " no volume ".to_string()
        };
        let b = Block::default()
            .borders(Borders::TOP)
            .title(Span::styled(title, DIM));
        frame.render_widget(b, r);
        return;
    };
    let local = match (&app.volume.error, v.local) {
        (Some(e), true) => format!(
            " (counted from loaded lines; the volume query failed: {})",
            crate::sanitize::inline(e)
        ),
        (None, true) => " (counted from loaded lines)".to_string(),
        _ => String::new(),
    };
    // the server's buckets are step-aligned and stick out of the range: an estimate
    let about = if v.local { "" } else { "about " };
    let title = format!(
        " volume · {about}{}{local} · red error · yellow warning · green info · blue debug ",
        plural(v.total() as usize, "line", "lines"),
    );
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(title, DIM));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    if inner.height < 2 || inner.width == 0 || v.counts.is_empty() {
        return;
    }
    let bars_h = inner.height - 1;
    let w = usize::from(inner.width);
    let n = v.counts.len();
    // per column: counts per level summed over its buckets
    let cols: Vec<[u64; 5]> = (0..w)
        .map(|x| {
            let (a, b) = (x * n / w, ((x + 1) * n / w).max(x * n / w + 1).min(n));
            let mut c = [0u64; 5];
            for bucket in &v.counts[a..b] {
                for (k, val) in bucket.iter().enumerate() {
                    c[k] += val;
                }
            }
            c
        })
        .collect();
    let max = cols
        .iter()
        .map(|c| c.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let buf = frame.buffer_mut();
    for (x, c) in cols.iter().enumerate() {
        let total: u64 = c.iter().sum();
        if total == 0 {
            continue;
        }
        // stack from the bottom: error, warning, info, debug, unknown
        let mut cum = 0u64;
        let mut bounds = [0u16; 5];
        for (k, val) in c.iter().enumerate() {
            cum += val;
            bounds[k] = ((cum * u64::from(bars_h)).div_ceil(max)) as u16;
        }
        for y in 0..bars_h {
            let Some(k) = bounds.iter().position(|b| y < *b) else {
                break;
            };
            let pos = (inner.x + x as u16, inner.y + bars_h - 1 - y);
            if let Some(cell) = buf.cell_mut(pos) {
                cell.set_symbol("█")
                    .set_style(Style::new().fg(level_color(Level::ALL[k])));
            }
        }
    }
    // the time span of the rows on screen
    let page = page_rows(app);
    let (a, b) = (
        app.logs.scroll,
        (app.logs.scroll + page).min(app.logs.len()),
    );
    let ts: Vec<i64> = [a, b.saturating_sub(1)]
        .iter()
        .filter_map(|d| {
            app.logs
                .results
                .store
                .get(app.logs.store_index(*d))
                .map(|r| r.ts())
        })
        .collect();
    if ts.len() == 2 && v.end_ns > v.start_ns {
        let (lo, hi) = (ts[0].min(ts[1]), ts[0].max(ts[1]));
        let span = (v.end_ns - v.start_ns) as f64;
        let col = |t: i64| {
            (((t - v.start_ns) as f64 / span) * w as f64).clamp(0.0, (w - 1) as f64) as u16
        };
        let (c0, c1) = (col(lo), col(hi));
        for x in c0..=c1 {
            if let Some(cell) = buf.cell_mut((inner.x + x, inner.y + bars_h)) {
                cell.set_symbol("▲")
                    .set_style(Style::new().fg(Color::Magenta));
            }
        }
    }
}
