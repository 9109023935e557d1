//! Drilldown screens over the current query: the Patterns view (`patterns`), the Fields
//! view (`fields`) and the log context of one line (`context`). State and rendering live
//! here; `update::drill` and `update::context` change them, the event loop works off the UI
//! thread.

pub mod context;
pub mod fields;
pub mod patterns;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::render::DIM;
use crate::sanitize::inline;

/// The frame both views share: a titled list area over one line of key hints; returns the
/// list's inner area.
fn view_frame(frame: &mut Frame, area: Rect, title: String, keys: &str) -> Rect {
    let [list, foot] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let block = Block::default().borders(Borders::BOTTOM).title(title);
    let inner = block.inner(list);
    frame.render_widget(block, list);
    frame.render_widget(Paragraph::new(Line::styled(keys, DIM)), foot);
    inner
}

/// Which side computed a view's rows, short enough for its title.
fn source(origin: &crate::drill::Origin) -> String {
    use crate::drill::Origin;
    let path = |e: &str| e.rsplit('/').next().unwrap_or(e).to_string();
    match origin {
        Origin::Loki { endpoint } => format!("from Loki /{}", path(endpoint)),
        Origin::Local { .. } => "computed locally".into(),
        Origin::Mixed { endpoint, .. } => format!("from Loki /{} + local sample", path(endpoint)),
    }
}

/// What a view shows before its background work answers: the failure (`failed: error`) in
/// red, else what it is waiting for.
fn pending(frame: &mut Frame, inner: Rect, error: Option<&str>, failed: &str, waiting: &str) {
    let text = match error {
        Some(e) => Line::styled(
            format!("{failed}: {}", inline(e)),
            Style::new().fg(Color::Red),
        ),
        None => Line::styled(waiting.to_string(), DIM),
    };
    frame.render_widget(Paragraph::new(text), inner);
}
