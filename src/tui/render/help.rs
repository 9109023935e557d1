//! `?`: the key table, generated from the bindings in force (defaults plus config overrides).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::super::app::App;

pub fn help(frame: &mut Frame, area: Rect, app: &App) {
    let rows = app.keys.help_rows();
    let w = area.width.min(86);
    let h = area.height.min(rows.len() as u16 + 2);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, r);
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(keys, text)| {
            Line::from(vec![
                Span::styled(
                    format!("{keys:>14}  "),
                    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
                ),
                Span::raw(text),
            ])
        })
        .collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" keys (change them in config.toml [keys]) · esc closes ");
    frame.render_widget(Paragraph::new(lines).block(block), r);
}
