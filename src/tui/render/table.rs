//! The results table: only the rows on screen are derived and drawn, so the cost of a frame
//! does not depend on how many lines are loaded.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::model::MetricResult;
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

fn metric(frame: &mut Frame, r: Rect, m: &MetricResult) {
    let fmt_labels = |l: &crate::model::Labels| {
        let inner: Vec<String> = l.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
        sanitize::inline(&format!("{{{}}}", inner.join(", "))).into_owned()
    };
    let lines: Vec<Line> = match m {
        MetricResult::Matrix(series) => series
            .iter()
            .map(|s| {
                let last = s.points.last().map_or(0.0, |p| p.v);
                let max = s.points.iter().map(|p| p.v).fold(f64::NAN, f64::max);
                Line::from(format!(
                    "{}  last={last}  max={max}  points={}",
                    fmt_labels(&s.metric),
                    s.points.len()
                ))
            })
            .collect(),
        MetricResult::Vector(v) => v
            .iter()
            .map(|s| Line::from(format!("{}  {}", fmt_labels(&s.metric), s.point.v)))
            .collect(),
        MetricResult::Scalar(p) => vec![Line::from(format!("scalar {}", p.v))],
    };
    let mut all = vec![Line::styled("metric result (series)", DIM)];
    all.extend(lines);
    frame.render_widget(Paragraph::new(all), r);
}

pub fn results(frame: &mut Frame, r: Rect, app: &App) {
    if r.height == 0 {
        return;
    }
    let header = Rect::new(r.x, r.y, r.width, 1);
    let body = Rect::new(r.x, r.y + 1, r.width, r.height - 1);
    let head = format!(
        "{:<TIME_W$} {:<LEVEL_W$} {:<MODULE_W$} message",
        "time", "level", "module"
    );
    frame.render_widget(
        Paragraph::new(head)
            .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)),
        header,
    );
    if let Some(m) = &app.logs.results.metric {
        metric(frame, body, m);
        return;
    }
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
                vec![
                    Span::styled(
                        format!("{:<TIME_W$} ", v.time),
                        if selected { on_selected(DIM) } else { DIM },
                    ),
                    Span::styled(level_tag(&v), level_style(v.level).patch(base)),
                    Span::styled(" ", base),
                    Span::styled(
                        format!("{:<MODULE_W$.MODULE_W$} ", v.module),
                        Style::new().fg(ratatui::style::Color::Cyan).patch(base),
                    ),
                ]
            } else {
                vec![Span::styled(" ".repeat(FIXED), base)]
            };
            let msg_style = if v.level == super::Level::Error {
                base.fg(ratatui::style::Color::LightRed)
            } else {
                base
            };
            spans.extend(with_matches(text, re.as_ref(), msg_style));
            let area = Rect::new(body.x, body.y + y as u16, body.width, 1);
            frame.render_widget(Paragraph::new(Line::from(spans)).style(base), area);
            y += 1;
        }
        d += 1;
    }
}
