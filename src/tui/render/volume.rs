//! The log-volume histogram: one column per time slice, stacked by level, a count scale on the
//! left, a time axis in the user's zone underneath, and a marker row: the span of the lines on
//! screen (`▲`), or the span being chosen to zoom into (`━`, its columns highlighted).

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use crate::dashboard::{Unit, format_duration_ms, format_unit};

use super::super::app::App;
use super::super::chart::draw_time_axis;
use super::super::layout::page_rows;
use super::super::store::Level;
use super::super::update::{plural, volume_loading};
use super::super::volume::{Span as Buckets, Volume, span_label};
use super::{DIM, level_style};

/// A cell filled from the bottom by 1..=8 eighths.
const EIGHTHS: [&str; 8] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/// The marker of the lines on screen.
pub const ON_SCREEN: Style = Style::new().fg(Color::Magenta);
/// The span being chosen to zoom into: its marker, and the background of its columns.
pub const CHOSEN: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
pub const CHOSEN_BG: Color = Color::DarkGray;

fn level_color(l: Level) -> Color {
    level_style(l).fg.unwrap_or(Color::Gray)
}

/// Where each column's buckets come from: column `x` sums buckets `a..b`.
fn column_buckets(x: usize, w: usize, n: usize) -> (usize, usize) {
    let a = x * n / w;
    (a, ((x + 1) * n / w).max(a + 1).min(n))
}

fn title(app: &App, v: &Volume) -> Line<'static> {
    if let Some(s) = app.volume.select {
        let (a, b) = v.span_range(s);
        let text = format!(
            " zoom into {} · h/l move · H/L narrow/widen · enter zoom · esc cancel ",
            span_label(a, b, app.logs.chart.zone)
        );
        return Line::from(Span::styled(text, CHOSEN));
    }
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
    let mut spans = vec![Span::styled(
        format!(
            " volume · {about}{}{local} · per {} · ",
            plural(v.total() as usize, "line", "lines"),
            format_duration_ms(v.step_ns / 1_000_000)
        ),
        DIM,
    )];
    // the legend in the colours it explains
    for (l, name) in [
        (Level::Error, "error"),
        (Level::Warning, "warn"),
        (Level::Info, "info"),
        (Level::Debug, "debug"),
    ] {
        spans.push(Span::styled(name, Style::new().fg(level_color(l))));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled("· ", DIM));
    spans.push(Span::styled("▲", ON_SCREEN));
    spans.push(Span::styled(" on screen · z zoom ", DIM));
    if !app.volume.zooms.is_empty() {
        spans.push(Span::styled("· Z out ", DIM));
    }
    Line::from(spans)
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
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(DIM)
        .title(title(app, v));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    if inner.height < 3 || inner.width < 8 || v.counts.is_empty() {
        return;
    }
    let bars_h = inner.height - 2;
    let n = v.counts.len();
    // per column: lines per step (the mean of its buckets), so a column that happens to
    // cover two buckets is not twice as tall
    let cols_total = |w: usize| -> Vec<[f64; 5]> {
        (0..w)
            .map(|x| {
                let (a, b) = column_buckets(x, w, n);
                let mut c = [0f64; 5];
                for bucket in &v.counts[a..b] {
                    for (k, val) in bucket.iter().enumerate() {
                        c[k] += *val as f64;
                    }
                }
                c.map(|s| s / (b - a) as f64)
            })
            .collect()
    };
    // the scale's label decides the gutter and the gutter the columns (and so the maximum):
    // settle in a pass or two
    let max_of = |cols: &[[f64; 5]]| {
        cols.iter()
            .map(|c| c.iter().sum::<f64>())
            .fold(0.0, f64::max)
    };
    let label_w = |max: f64| scale_label(max).chars().count() as u16;
    let mut gutter = 2;
    let (mut cols, mut max) = (Vec::new(), 0.0);
    for _ in 0..3 {
        cols = cols_total(usize::from(inner.width - gutter));
        max = max_of(&cols);
        let want = (label_w(max) + 1).min(inner.width / 4);
        if want <= gutter {
            break;
        }
        gutter = want;
    }
    let plot = Rect::new(
        inner.x + gutter,
        inner.y,
        inner.width - gutter,
        inner.height,
    );
    if cols.len() != usize::from(plot.width) {
        cols = cols_total(usize::from(plot.width));
        max = max_of(&cols);
    }
    let buf = frame.buffer_mut();
    draw_scale(buf, inner, gutter, bars_h, max);
    draw_bars(buf, plot, bars_h, &cols, max);
    // the bars cover whole buckets: the axis spans them, not just the query's range
    let bars_end = v.start_ns + n as i64 * v.step_ns;
    draw_time_axis(
        buf,
        Rect::new(plot.x, plot.y, plot.width, bars_h),
        plot.y + bars_h + 1,
        v.start_ns,
        bars_end,
        app.logs.chart.zone,
    );
    let marker_y = plot.y + bars_h;
    match app.volume.select {
        Some(s) => draw_chosen(buf, plot, bars_h, n, s),
        None => draw_on_screen(buf, plot, marker_y, app, v, bars_end),
    }
}

/// A count for the scale: whole lines, `1.2 K` beyond a thousand.
fn scale_label(v: f64) -> String {
    format_unit(v.round(), &Unit::Short, None)
}

/// The count of the tallest column at its top, 0 at the bottom: the bars' scale.
fn draw_scale(buf: &mut Buffer, inner: Rect, gutter: u16, bars_h: u16, max: f64) {
    let w = usize::from(gutter.saturating_sub(1));
    let top = scale_label(max);
    if top.chars().count() <= w {
        buf.set_string(inner.x, inner.y, format!("{top:>w$}"), DIM);
    }
    if bars_h > 1 {
        buf.set_string(inner.x, inner.y + bars_h - 1, format!("{:>w$}", "0"), DIM);
    }
}

fn draw_bars(buf: &mut Buffer, plot: Rect, bars_h: u16, cols: &[[f64; 5]], max: f64) {
    if max <= 0.0 {
        return;
    }
    let eighths = f64::from(bars_h) * 8.0;
    for (x, c) in cols.iter().enumerate() {
        if c.iter().sum::<f64>() <= 0.0 {
            continue;
        }
        // stack from the bottom: error, warning, info, debug, unknown; heights in eighths of
        // a row, rounded (not up), so a level with a sliver of the lines gets a sliver
        let mut cum = 0.0;
        let mut bounds = [0u64; 5];
        for (k, val) in c.iter().enumerate() {
            cum += val;
            bounds[k] = (cum / max * eighths).round() as u64;
        }
        let top = bounds[4].max(1);
        for y in 0..u64::from(bars_h) {
            let (lo, hi) = (y * 8, y * 8 + 8);
            if lo >= top {
                break;
            }
            // the level filling most of this cell
            let k = (0..5)
                .max_by_key(|&k| {
                    let from = if k == 0 { 0 } else { bounds[k - 1] };
                    bounds[k].min(hi).saturating_sub(from.max(lo))
                })
                .unwrap_or(0);
            let fill = (top.min(hi) - lo) as usize;
            let pos = (plot.x + x as u16, plot.y + bars_h - 1 - y as u16);
            if let Some(cell) = buf.cell_mut(pos) {
                cell.set_symbol(EIGHTHS[fill.clamp(1, 8) - 1])
                    .set_fg(level_color(Level::ALL[k]));
            }
        }
    }
}

/// The span being chosen: its columns on a highlighted background, `━` under them.
fn draw_chosen(buf: &mut Buffer, plot: Rect, bars_h: u16, n: usize, s: Buckets) {
    let w = usize::from(plot.width);
    for x in 0..w {
        let (a, b) = column_buckets(x, w, n);
        if b <= s.lo || a > s.hi {
            continue;
        }
        let col = plot.x + x as u16;
        for y in plot.y..plot.y + bars_h {
            if let Some(cell) = buf.cell_mut((col, y)) {
                cell.set_bg(CHOSEN_BG);
            }
        }
        if let Some(cell) = buf.cell_mut((col, plot.y + bars_h)) {
            cell.set_symbol("━").set_style(CHOSEN);
        }
    }
}

/// `▲` under the time span of the rows on screen.
fn draw_on_screen(buf: &mut Buffer, plot: Rect, y: u16, app: &App, v: &Volume, bars_end: i64) {
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
    if ts.len() != 2 || bars_end <= v.start_ns {
        return;
    }
    let w = usize::from(plot.width);
    let (lo, hi) = (ts[0].min(ts[1]), ts[0].max(ts[1]));
    let span = (bars_end - v.start_ns) as f64;
    let col =
        |t: i64| (((t - v.start_ns) as f64 / span) * w as f64).clamp(0.0, (w - 1) as f64) as u16;
    for x in col(lo)..=col(hi) {
        if let Some(cell) = buf.cell_mut((plot.x + x, y)) {
            cell.set_symbol("▲").set_style(ON_SCREEN);
        }
    }
}
