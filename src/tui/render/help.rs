//! `?`: the key table of the screen in front, generated from the bindings in force (defaults
//! plus config overrides).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::super::app::App;

fn line(keys: &str, width: usize, text: &'static str) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            format!("{keys:>width$}  "),
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        ),
        Span::raw(text),
    ])
}

pub fn help(frame: &mut Frame, area: Rect, app: &App) {
    let rows = app.keys.help_rows(app.nav.screen());
    // two columns when one does not fit and the screen is wide enough
    let two = rows.len() as u16 + 2 > area.height && area.width >= 150;
    let per_col = if two {
        rows.len().div_ceil(2)
    } else {
        rows.len()
    };
    let w = area.width.min(if two { 172 } else { 86 });
    let h = area.height.min(per_col as u16 + 2);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" keys (change them in config.toml [keys]) · esc closes ");
    let inner = block.inner(r);
    frame.render_widget(block, r);
    // the keys column fits the longest keys (`enter space tab`), at least 14 wide
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        .max(14);
    let lines: Vec<Line> = rows.iter().map(|(k, t)| line(k, width, t)).collect();
    if two {
        let half = inner.width / 2;
        let (a, b) = lines.split_at(per_col);
        frame.render_widget(
            Paragraph::new(a.to_vec()),
            Rect::new(inner.x, inner.y, half, inner.height),
        );
        frame.render_widget(
            Paragraph::new(b.to_vec()),
            Rect::new(inner.x + half, inner.y, inner.width - half, inner.height),
        );
    } else {
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
