//! The dashboard screen: the title bar, the panels (`chart::render_dashboard`), and a status
//! line with progress, the auto-refresh period, the focused panel's query and the main keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::app::{App, Mode};
use super::super::chart::render_dashboard;
use super::super::dash::DashState;
use super::{DIM, ERROR_TEXT, title};
use crate::dashboard::format_duration_ms;
use crate::sanitize::inline;

pub fn screen(frame: &mut Frame, area: Rect, app: &App, d: &DashState) {
    if area.height < 3 {
        return;
    }
    title(frame, Rect::new(area.x, area.y, area.width, 1), app);
    let body = Rect::new(area.x, area.y + 1, area.width, area.height - 2);
    render_dashboard(frame, body, &d.view);
    let status = Rect::new(area.x, area.y + area.height - 1, area.width, 1);
    if matches!(app.mode, Mode::Prompt(_)) {
        // the custom range prompt, as the explorer draws it
        super::editor::editor(frame, status, app);
        return;
    }
    frame.render_widget(Paragraph::new(status_line(app, d)), status);
}

fn status_line(app: &App, d: &DashState) -> Line<'static> {
    let (done, total) = d.done();
    let mut spans = Vec::new();
    if let Some(e) = &app.status.error {
        spans.push(Span::styled(
            format!("error: {}  ", inline(e)),
            ERROR_TEXT.add_modifier(Modifier::BOLD),
        ));
    }
    let progress = if done < total {
        Style::new().fg(Color::Yellow)
    } else {
        DIM
    };
    spans.push(Span::styled(format!("panels {done}/{total}"), progress));
    if let Some(ms) = d.refresh_ms {
        spans.push(Span::styled(
            format!(" · refresh {}", format_duration_ms(ms as i64)),
            DIM,
        ));
    }
    if let Some(q) = d.focused_query() {
        spans.push(Span::styled(format!(" · {}", inline(&q.expr)), DIM));
    }
    let keys = "  ⏎ explore · tab panel · h/l cursor · 1-7 range · esc logs · ? help";
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let room = usize::from(app.size.width).saturating_sub(keys.chars().count());
    if used > room {
        // the query gives way to the keys
        let mut left = room;
        for s in &mut spans {
            let n = s.content.chars().count();
            if n > left {
                let cut: String = s.content.chars().take(left.saturating_sub(1)).collect();
                s.content = format!("{cut}…").into();
                left = 0;
            } else {
                left -= n;
            }
        }
        spans.retain(|s| !s.content.is_empty() && s.content != "…");
    }
    spans.push(Span::styled(keys, Style::new().fg(Color::Cyan)));
    Line::from(spans)
}
