//! The details pane: every label, metadata and parsed field, the JSON as a tree, context.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::sanitize;

use super::super::app::App;
use super::super::fields::{Source, fields_of};
use super::super::row::format_ts;
use super::{DIM, ERROR_TEXT, SELECTED, level_style, on_selected};

fn tag(s: Source) -> (&'static str, Style) {
    match s {
        Source::Stream => ("label ", Style::new().fg(Color::Cyan)),
        Source::Metadata => ("meta  ", Style::new().fg(Color::Magenta)),
        Source::Parsed => ("parsed", Style::new().fg(Color::Yellow)),
        Source::Json => ("json  ", DIM),
    }
}

pub fn details(frame: &mut Frame, r: Rect, app: &App) {
    frame.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" details · +/- filter · y copy · h hide · c context · a agent · esc close ");
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let Some(row) = app.logs.selected_row() else {
        return;
    };
    let Some(d) = &app.logs.details else {
        return;
    };
    let fields = fields_of(&row);
    let mut lines: Vec<Line> = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let (t, ts) = tag(f.source);
        let selected = i == d.cursor;
        let base = if selected { SELECTED } else { Style::new() };
        let on = |s: Style| if selected { on_selected(s) } else { s };
        let mut spans = vec![
            Span::styled(format!("{t} "), on(ts)),
            Span::styled(
                format!("{}{}", "  ".repeat(f.depth), f.label),
                Style::new().add_modifier(Modifier::BOLD).patch(base),
            ),
        ];
        match &f.value {
            Some(v) => {
                let style = if f.key == "level" {
                    level_style(super::Level::parse(v))
                } else {
                    Style::new()
                };
                spans.push(Span::styled(" = ", base));
                spans.push(Span::styled(
                    sanitize::inline(v).into_owned(),
                    style.patch(base),
                ));
            }
            None => spans.push(Span::styled(" {", base)),
        }
        if app.logs.hidden_fields.contains(&f.key) {
            spans.push(Span::styled(" (hidden)", on(DIM)));
        }
        lines.push(Line::from(spans));
    }
    let is_json = fields.iter().any(|f| f.source == Source::Json);
    if !is_json {
        lines.push(Line::styled("line", DIM));
        for l in sanitize::multiline(row.line()).lines() {
            lines.push(Line::from(l.to_string()));
        }
    }
    match &d.context {
        None => {}
        Some(Err(e)) => lines.push(Line::styled(
            format!("context: {}", sanitize::inline(e)),
            ERROR_TEXT,
        )),
        Some(Ok(c)) => {
            lines.push(Line::styled("── context (same stream) ──", DIM));
            let fmt = |e: &crate::model::LogEntry| {
                format!("{} {}", format_ts(e.ts), sanitize::inline(&e.line))
            };
            for e in &c.before {
                lines.push(Line::styled(fmt(e), DIM));
            }
            lines.push(Line::styled(
                format!("{} {}", format_ts(row.ts()), sanitize::inline(row.line())),
                Style::new().add_modifier(Modifier::BOLD),
            ));
            for e in &c.after {
                lines.push(Line::styled(fmt(e), DIM));
            }
        }
    }
    let h = usize::from(inner.height);
    let offset = d.cursor.saturating_sub(h.saturating_sub(1)) as u16;
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((offset, 0)),
        inner,
    );
}
