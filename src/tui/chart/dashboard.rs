//! The dashboard screen: a header line, then every panel on the grid scaled to the terminal,
//! each in a frame that shows loading, no data, or the query's error in place.

use chrono::{DateTime, FixedOffset};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::dashboard::{
    Dashboard, DashboardView, GridPos, PanelKind, PanelState, PanelView, layout_cells,
};
use crate::sanitize::inline;

use super::ERROR_COLOR;
use super::axes::{AXIS, fit};
use super::bars::{draw_bargauge, draw_histogram};
use super::heatmap::draw_heatmap;
use super::line::{LineChart, render_line_chart};
use super::text::{draw_logs, draw_stat, draw_table};

fn time(ns: i64, zone: FixedOffset) -> String {
    DateTime::from_timestamp_nanos(ns)
        .with_timezone(&zone)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn header(view: &DashboardView, width: u16) -> Line<'static> {
    let mut spans = vec![
        Span::styled(
            inline(&view.title).into_owned(),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            format!(
                "  {} → {}",
                time(view.start_ns, view.zone),
                time(view.end_ns, view.zone)
            ),
            AXIS,
        ),
    ];
    if !view.skipped.is_empty() {
        let names: Vec<String> = view
            .skipped
            .iter()
            .map(|s| format!("{} ({})", inline(&s.title), inline(&s.reason)))
            .collect();
        let text = format!("  skipped {}: {}", view.skipped.len(), names.join("; "));
        spans.push(Span::styled(
            fit(&text, usize::from(width)),
            Style::new().fg(Color::Yellow),
        ));
    }
    Line::from(spans)
}

/// Draws the whole dashboard into `area`.
pub fn render_dashboard(frame: &mut Frame, area: Rect, view: &DashboardView) {
    let buf = frame.buffer_mut();
    if area.height < 2 || area.width < 10 {
        return;
    }
    header(view, area.width).render(Rect::new(area.x, area.y, area.width, 1), buf);
    let body = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    let grid: Vec<GridPos> = view.panels.iter().map(|p| p.panel.grid).collect();
    for (i, (p, cell)) in view
        .panels
        .iter()
        .zip(layout_cells(&grid, body.width, body.height))
        .enumerate()
    {
        let r = Rect::new(body.x + cell.x, body.y + cell.y, cell.w, cell.h);
        render_panel(buf, r, p, view, view.focus == Some(i));
    }
}

/// Draws one panel in its frame (also used by an explorer showing a single metric chart).
pub fn render_panel(
    buf: &mut Buffer,
    area: Rect,
    p: &PanelView,
    view: &DashboardView,
    focused: bool,
) {
    if area.width < 3 || area.height < 2 {
        return;
    }
    let failed = matches!(p.state, PanelState::Error(_));
    let border = if failed {
        Style::new().fg(ERROR_COLOR)
    } else if focused {
        Style::new().fg(Color::Cyan)
    } else {
        AXIS
    };
    let title = fit(
        &inline(&p.panel.title),
        usize::from(area.width.saturating_sub(4)),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(
            format!(" {title} "),
            border.add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let note = |buf: &mut Buffer, text: &str, style: Style| {
        Paragraph::new(text.to_string())
            .style(style)
            .wrap(Wrap { trim: true })
            .render(inner, buf);
    };
    let panel = &p.panel;
    let how = Dashboard::reduce_of(panel);
    match &p.state {
        PanelState::Loading => note(buf, "loading…", AXIS),
        PanelState::Error(e) => note(buf, &inline(e), Style::new().fg(ERROR_COLOR)),
        PanelState::Logs(entries) if entries.is_empty() => note(buf, "no lines in range", AXIS),
        PanelState::Logs(entries) => draw_logs(buf, inner, entries, view.zone),
        PanelState::Metric(series) if series.iter().all(|s| s.points.is_empty()) => {
            note(buf, "no data in range", AXIS)
        }
        PanelState::Metric(series) => match panel.kind {
            PanelKind::Timeseries | PanelKind::Logs => render_line_chart(
                buf,
                inner,
                &LineChart {
                    series,
                    unit: &panel.unit,
                    decimals: panel.decimals,
                    start_ns: view.start_ns,
                    end_ns: view.end_ns,
                    zone: view.zone,
                    cursor_ns: view.cursor_ns,
                    stacked: panel.stacked,
                    hidden: &[],
                    selected: None,
                },
            ),
            PanelKind::Stat => draw_stat(buf, inner, series, how, &panel.unit, panel.decimals),
            PanelKind::Bargauge => {
                draw_bargauge(buf, inner, series, how, &panel.unit, panel.decimals)
            }
            PanelKind::Table => draw_table(buf, inner, series, &panel.unit, panel.decimals),
            PanelKind::Histogram => draw_histogram(buf, inner, series, &panel.unit, panel.decimals),
            PanelKind::Heatmap => draw_heatmap(
                buf,
                inner,
                series,
                (view.start_ns, view.end_ns),
                &panel.unit,
                view.zone,
            ),
        },
    }
}
