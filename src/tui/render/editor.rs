//! The query editor row (with LogQL highlighting), its note row and the status line.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::logql::{self, TokenKind};
use crate::sanitize;

use super::super::app::{App, Mode, Running};
use super::super::update::plural;
use super::{DIM, ERROR_TEXT, SPINNER};

fn token_style(k: TokenKind) -> Style {
    match k {
        TokenKind::Label => Style::new().fg(Color::Cyan),
        TokenKind::Operator => Style::new().fg(Color::Magenta),
        TokenKind::String => Style::new().fg(Color::Green),
        TokenKind::Number | TokenKind::Duration => Style::new().fg(Color::Yellow),
        TokenKind::Keyword | TokenKind::Function => {
            Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD)
        }
        TokenKind::Punctuation => Style::new(),
        TokenKind::Error => Style::new()
            .fg(Color::Red)
            .add_modifier(Modifier::UNDERLINED),
    }
}

/// The query with highlighting; byte ranges from the tokenizer, gaps unstyled.
fn highlighted(q: &str) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut at = 0;
    for t in logql::highlight(q) {
        if t.start < at
            || t.end > q.len()
            || !q.is_char_boundary(t.start)
            || !q.is_char_boundary(t.end)
        {
            continue;
        }
        if t.start > at {
            spans.push(Span::raw(sanitize::inline(&q[at..t.start]).into_owned()));
        }
        spans.push(Span::styled(
            sanitize::inline(&q[t.start..t.end]).into_owned(),
            token_style(t.kind),
        ));
        at = t.end;
    }
    if at < q.len() {
        spans.push(Span::raw(sanitize::inline(&q[at..]).into_owned()));
    }
    spans
}

/// What the editor row shows: its prefix, text, cursor (when typing) and whether to highlight.
fn editor_parts(app: &App) -> (String, &str, Option<usize>, bool) {
    match &app.mode {
        Mode::Search => (
            "/ ".to_string(),
            &app.logs.search.text,
            Some(app.logs.search.cursor),
            false,
        ),
        Mode::Prompt(p) => (
            format!("{}: ", p.label),
            &p.input.text,
            Some(p.input.cursor),
            false,
        ),
        Mode::EditQuery => (
            "❯ ".to_string(),
            &app.editor.input.text,
            Some(app.editor.input.cursor),
            true,
        ),
        _ => ("❯ ".to_string(), &app.editor.input.text, None, true),
    }
}

/// Display width of the editor row up to the cursor (prefix included), when typing.
fn cursor_width(app: &App) -> Option<usize> {
    let (prefix, text, cursor, _) = editor_parts(app);
    let c = cursor?;
    let mut end = c.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Some(Line::from(format!("{prefix}{}", sanitize::inline(&text[..end]))).width())
}

/// Columns the editor row is scrolled left so the cursor stays on screen: a LogQL query is
/// often wider than an 80-column terminal.
fn scroll_offset(app: &App, width: u16) -> usize {
    match cursor_width(app) {
        Some(w) if w >= usize::from(width.max(1)) => w + 1 - usize::from(width.max(1)),
        _ => 0,
    }
}

pub fn editor(frame: &mut Frame, r: Rect, app: &App) {
    let (prefix, text, cursor, hl) = editor_parts(app);
    let prefix_style = if cursor.is_some() {
        Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
    } else {
        DIM
    };
    let mut spans = vec![Span::styled(prefix, prefix_style)];
    if hl {
        spans.extend(highlighted(text));
    } else {
        spans.push(Span::raw(sanitize::inline(text).into_owned()));
    }
    let offset = scroll_offset(app, r.width);
    let scroll = u16::try_from(offset).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(Line::from(spans)).scroll((0, scroll)), r);
    if let Some(w) = cursor_width(app) {
        let col = u16::try_from(w.saturating_sub(offset)).unwrap_or(u16::MAX);
        let x = r.x.saturating_add(col).min(r.right().saturating_sub(1));
        frame.set_cursor_position(Position::new(x, r.y));
    }
}

/// Under the editor: a parse error with a caret at its column, Loki's error verbatim, or
/// completion candidates.
pub fn note(frame: &mut Frame, r: Rect, app: &App) {
    if let Some(c) = &app.editor.completion {
        let mut spans = vec![Span::styled("tab: ", DIM)];
        if c.candidates.is_empty() {
            spans.push(Span::styled("loading…", DIM));
        }
        for (i, cand) in c.candidates.iter().enumerate().take(20) {
            let style = if i == c.index {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            };
            spans.push(Span::styled(sanitize::inline(cand).into_owned(), style));
            spans.push(Span::raw(" "));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
        return;
    }
    let Some(e) = &app.editor.query_error else {
        return;
    };
    let msg = sanitize::inline(&e.message).into_owned();
    let line = match e.col {
        Some(col) => {
            // The caret follows the editor row when it is scrolled to keep the cursor in view.
            let pad = (col.saturating_sub(1) + 2).saturating_sub(scroll_offset(app, r.width));
            Line::from(vec![
                Span::raw(" ".repeat(pad)),
                Span::styled(format!("^ {msg}"), ERROR_TEXT),
            ])
        }
        None => Line::from(Span::styled(msg, ERROR_TEXT)),
    };
    frame.render_widget(Paragraph::new(line), r);
}

fn human_bytes(b: u64) -> String {
    const U: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = b as f64;
    let mut i = 0;
    while v >= 1000.0 && i < U.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", U[i])
    }
}

pub fn status(frame: &mut Frame, r: Rect, app: &App) {
    let mut spans: Vec<Span> = Vec::new();
    let res = &app.logs.results;
    if let Some(run) = app.status.running {
        let what = match run {
            Running::Query => "querying",
            Running::Older => "loading older lines",
            Running::Newer => "loading newer lines",
            Running::Agent => "rebuilding agent runs",
        };
        spans.push(Span::styled(
            format!(
                "{} {what}… {}  ",
                SPINNER[app.status.spinner % SPINNER.len()],
                plural(res.progress, "line", "lines")
            ),
            Style::new().fg(Color::Yellow),
        ));
    }
    if let Some(n) = app.status.exporting {
        spans.push(Span::styled(
            format!("exporting the range… {}  ", plural(n, "line", "lines")),
            Style::new().fg(Color::Yellow),
        ));
    }
    if let Some(e) = &app.status.error {
        spans.push(Span::styled(
            format!("error: {}  ", sanitize::inline(e)),
            ERROR_TEXT.add_modifier(Modifier::BOLD),
        ));
    }
    let n = app.logs.len();
    // Everything in the range is loaded: the count is exact. Otherwise the server's volume
    // gives the total, from buckets that stick out of the range: labelled as approximate.
    let complete = res.loaded && res.older_done && res.newer_done;
    let mut info = if app.status.running == Some(Running::Query) && app.logs.is_empty() {
        String::new()
    } else if let Some(m) = &res.metric {
        format!("{} series", super::super::metric::named_series(m).len())
    } else {
        match &app.volume.histogram {
            Some(v) if !complete && !v.local && v.total() as usize > n => {
                format!(
                    "{n} of about {}",
                    plural(v.total() as usize, "line", "lines")
                )
            }
            _ => plural(n, "line", "lines"),
        }
    };
    if res.loaded && app.follow.is_none() {
        info.push_str(&format!(" · {} ms", res.elapsed_ms));
        if res.stats.bytes_processed > 0 {
            info.push_str(&format!(
                " · {} processed",
                human_bytes(res.stats.bytes_processed)
            ));
        }
        if !res.older_done || !res.newer_done {
            info.push_str(" · more in the range");
        }
    }
    info.push_str(if app.logs.newest_first {
        " · newest first"
    } else {
        " · oldest first"
    });
    if let Some(s) = &app.logs.search_active {
        info.push_str(&format!(" · /{}", sanitize::inline(s)));
    }
    spans.push(Span::raw(info));
    if let Some(f) = &app.follow {
        let mut s = String::from(if f.paused {
            " · ⏸ paused"
        } else {
            " · ● following"
        });
        if f.waiting > 0 {
            s.push_str(&format!(" · {} new", f.waiting));
        }
        if f.dropped > 0 {
            s.push_str(&format!(
                " · {} oldest dropped (buffer {})",
                f.dropped, f.capacity
            ));
        }
        if let Some(n) = &f.notice {
            s.push_str(&format!(" · {}", sanitize::inline(n)));
        }
        spans.push(Span::styled(s, Style::new().fg(Color::LightGreen)));
    }
    if let Some(n) = &app.status.note {
        spans.push(Span::styled(
            format!(" · {}", sanitize::inline(n)),
            Style::new().fg(Color::Cyan),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), r);
}
