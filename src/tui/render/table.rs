//! The results table: only the rows on screen are derived and drawn, so the cost of a frame
//! does not depend on how many lines are loaded.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::metric::render_metric;
use crate::sanitize;

use super::super::app::{App, Running};
use super::super::row::RowView;
use super::{DIM, SELECTED, level_style, on_selected};

const TIME_W: usize = 18;
const LEVEL_W: usize = 5;
const MODULE_W: usize = 6;
const FIXED: usize = TIME_W + 1 + LEVEL_W + 1 + MODULE_W + 1;

fn level_tag(v: &RowView) -> &'static str {
    match v.level {
        super::Level::Error => "ERROR",
        super::Level::Warning => "WARN ",
        super::Level::Info => "INFO ",
        super::Level::Debug => "DEBUG",
        super::Level::Unknown => "  -  ",
    }
}

/// Text lines of a row's message column (one unless wrapping or pretty-printing).
fn message_lines(app: &App, v: &RowView, line: &str, width: usize) -> Vec<String> {
    if app.logs.pretty
        && v.is_json
        && let Some(val) = crate::model::json_object(line)
        && let Ok(p) = serde_json::to_string_pretty(&val)
    {
        return p
            .lines()
            .map(|l| sanitize::inline(l).into_owned())
            .collect();
    }
    let msg = v.message(&app.logs.hidden_fields);
    if !app.logs.wrap || width == 0 {
        return vec![msg];
    }
    let chars: Vec<char> = msg.chars().collect();
    chars
        .chunks(width)
        .map(|c| c.iter().collect())
        .collect::<Vec<String>>()
        .into_iter()
        .take(50)
        .collect()
}

/// Splits `text` into spans, highlighting matches of the active search.
fn with_matches(text: String, re: Option<&regex::Regex>, base: Style) -> Vec<Span<'static>> {
    let Some(re) = re else {
        return vec![Span::styled(text, base)];
    };
    let mut spans = Vec::new();
    let mut at = 0;
    for m in re.find_iter(&text) {
        if m.start() > at {
            spans.push(Span::styled(text[at..m.start()].to_string(), base));
        }
        spans.push(Span::styled(
            text[m.start()..m.end()].to_string(),
            base.bg(ratatui::style::Color::Yellow)
                .fg(ratatui::style::Color::Black),
        ));
        at = m.end();
    }
    if at < text.len() {
        spans.push(Span::styled(text[at..].to_string(), base));
    }
    spans
}

fn placeholder(frame: &mut Frame, r: Rect, text: &str, style: Style) {
    let y = r.y + r.height / 3;
    let y = y.min(r.bottom().saturating_sub(1));
    let area = Rect::new(r.x, y, r.width, 3.min(r.bottom() - y));
    frame.render_widget(
        Paragraph::new(text.to_string())
            .style(style)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// The column header (`time level module message`), bold and underlined.
pub fn header(frame: &mut Frame, r: Rect) {
    let head = format!(
        "{:<TIME_W$} {:<LEVEL_W$} {:<MODULE_W$} message",
        "time", "level", "module"
    );
    frame.render_widget(
        Paragraph::new(head)
            .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)),
        r,
    );
}

/// A row's fixed columns (time, level, module), on the selection's background when
/// `selected`; the message follows in [`message_style`].
pub fn columns(v: &RowView, selected: bool) -> Vec<Span<'static>> {
    let base = if selected { SELECTED } else { Style::new() };
    vec![
        Span::styled(
            format!("{:<TIME_W$} ", v.time),
            if selected { on_selected(DIM) } else { DIM },
        ),
        Span::styled(level_tag(v), level_style(v.level).patch(base)),
        Span::styled(" ", base),
        Span::styled(
            format!("{:<MODULE_W$.MODULE_W$} ", v.module),
            Style::new().fg(ratatui::style::Color::Cyan).patch(base),
        ),
    ]
}

/// The message column's style: error lines in light red, on `base`.
pub fn message_style(v: &RowView, base: Style) -> Style {
    if v.level == super::Level::Error {
        base.fg(ratatui::style::Color::LightRed)
    } else {
        base
    }
}

/// The range a metric result was asked over.
pub fn metric_range(app: &App) -> (i64, i64) {
    match &app.logs.results.req {
        Some(r) => (r.start_ns, r.end_ns),
        None => app.editor.range.resolve(app.now_ns),
    }
}

pub fn results(frame: &mut Frame, r: Rect, app: &App) {
    if r.height == 0 {
        return;
    }
    if let Some(m) = &app.logs.results.metric {
        // a chart (or its table) instead of the log header and rows
        let range = metric_range(app);
        render_metric(frame.buffer_mut(), r, m, range, &app.logs.chart);
        return;
    }
    let body = Rect::new(r.x, r.y + 1, r.width, r.height - 1);
    header(frame, Rect::new(r.x, r.y, r.width, 1));
    if app.logs.is_empty() {
        let (text, style) = if app.status.running == Some(Running::Query) {
            (
                "Loading…".to_string(),
                Style::new().fg(ratatui::style::Color::Yellow),
            )
        } else if app.follow.is_some() {
            ("Waiting for new lines…".to_string(), DIM)
        } else if app.logs.results.loaded {
            (
                // the CLI's words (`vs-logs query`), with this front end's keys
                format!(
                    "no lines matched in {}\nhint: {} (i)",
                    app.editor.range.label(),
                    crate::output::no_lines_hint("keys 1-7 or t")
                ),
                DIM,
            )
        } else if app.editor.query_error.is_some() && !app.editor.query.is_empty() {
            // the last query failed: say so rather than invite a first one
            (
                "The query failed (the error is above). r runs it again, i edits it.".to_string(),
                DIM,
            )
        } else {
            ("Choose a scene (s) or type a query (i).".to_string(), DIM)
        };
        placeholder(frame, body, &text, style);
        return;
    }
    let msg_w = usize::from(body.width).saturating_sub(FIXED);
    let re = app.logs.search_active.as_ref().and_then(|p| {
        regex::RegexBuilder::new(&regex::escape(&sanitize::inline(p)))
            .case_insensitive(!p.chars().any(char::is_uppercase))
            .build()
            .ok()
    });
    let rows_of = |d: usize| -> Option<(std::rc::Rc<RowView>, Vec<String>)> {
        let row = app.logs.results.store.get(app.logs.store_index(d))?;
        let v = app.logs.rows.get(&row);
        let lines = message_lines(app, &v, row.line(), msg_w);
        Some((v, lines))
    };
    let height = usize::from(body.height);
    let sel = app.logs.selected.min(app.logs.len() - 1);
    let mut top = app.logs.scroll.min(sel);
    let variable = app.logs.wrap || app.logs.pretty;
    if variable {
        // keep the selected row fully on screen: cost bounded by the screen height
        let mut hs: Vec<usize> = (top..=sel)
            .map(|d| rows_of(d).map_or(1, |(_, l)| l.len().max(1)))
            .collect();
        let mut sum: usize = hs.iter().sum();
        while sum > height && top < sel {
            sum -= hs.remove(0);
            top += 1;
        }
    } else if sel >= top + height {
        top = sel + 1 - height;
    }
    let mut y = 0usize;
    let mut d = top;
    while y < height && d < app.logs.len() {
        let Some((v, lines)) = rows_of(d) else {
            break;
        };
        let selected = d == sel;
        let base = if selected { SELECTED } else { Style::new() };
        for (i, text) in lines.into_iter().enumerate() {
            if y >= height {
                break;
            }
            let mut spans = if i == 0 {
                columns(&v, selected)
            } else {
                vec![Span::styled(" ".repeat(FIXED), base)]
            };
            spans.extend(with_matches(text, re.as_ref(), message_style(&v, base)));
            let area = Rect::new(body.x, body.y + y as u16, body.width, 1);
            frame.render_widget(Paragraph::new(Line::from(spans)).style(base), area);
            y += 1;
        }
        d += 1;
    }
}
