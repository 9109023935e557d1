//! `?`: the key table of the screen in front, generated from the bindings in force (defaults
//! plus config overrides); scrolls and filters (`update::help`) so every key can be reached
//! on a terminal from 80x24 up.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::super::app::App;
use super::super::layout::help_box;
use super::super::update::plural;
use super::DIM;

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
    let rows = app.help.rows(&app.keys, app.key_screen());
    let hb = help_box(area, rows.len(), app.help.filter_shown());
    let r = hb.area;
    let last = rows.len().saturating_sub(hb.list_height);
    let scroll = app.help.scroll.min(last);
    frame.render_widget(Clear, r);
    let position = if hb.two_columns || rows.len() <= hb.list_height {
        format!(" {} ", plural(rows.len(), "key", "keys"))
    } else {
        format!(
            " {}–{} of {} · j/k scroll ",
            scroll + 1,
            (scroll + hb.list_height).min(rows.len()),
            rows.len()
        )
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" keys (config.toml [keys]) · / search · esc closes ")
        .title_bottom(Line::from(position).right_aligned());
    let mut inner = block.inner(r);
    frame.render_widget(block, r);
    if app.help.filter_shown() && inner.height > 0 {
        let caret = if app.help.typing { "▏" } else { "" };
        let text = crate::sanitize::inline(&app.help.filter.text).into_owned();
        let mut spans = vec![
            Span::styled("/", Style::new().fg(Color::Yellow)),
            Span::raw(format!("{text}{caret}")),
        ];
        if rows.is_empty() {
            spans.push(Span::styled("  no key matches", DIM));
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)),
            Rect::new(inner.x, inner.y, inner.width, 1),
        );
        inner.y += 1;
        inner.height -= 1;
    }
    // the keys column fits the longest keys (`enter space tab`), at least 14 wide
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        .max(14);
    let lines: Vec<Line> = rows.iter().map(|(k, t)| line(k, width, t)).collect();
    if hb.two_columns {
        let half = inner.width / 2;
        let (a, b) = lines.split_at(rows.len().div_ceil(2));
        frame.render_widget(
            Paragraph::new(a.to_vec()),
            Rect::new(inner.x, inner.y, half, inner.height),
        );
        frame.render_widget(
            Paragraph::new(b.to_vec()),
            Rect::new(inner.x + half, inner.y, inner.width - half, inner.height),
        );
    } else {
        let shown: Vec<Line> = lines.into_iter().skip(scroll).collect();
        frame.render_widget(Paragraph::new(shown), inner);
    }
}
