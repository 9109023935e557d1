//! The raw log line of a timeline row, readable: newlines inside a JSON line's strings (a
//! traceback in `exception`, a diff in `content`) are shown as line breaks, not as `\n`; the
//! popup scrolls with the movement keys.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::sanitize::multiline;

/// A JSON line with the `\n` escapes inside its strings turned into real line breaks (a
/// traceback reads as one); anything else as it is.
fn unescape_newlines(raw: &str) -> String {
    if serde_json::from_str::<serde_json::Value>(raw).is_err() {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let (mut in_str, mut chars) = (false, raw.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_str = !in_str;
                out.push(c);
            }
            '\\' if in_str => match chars.next() {
                Some('n') => out.push('\n'),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    out
}

/// The raw line as display lines of at most `width` characters (sanitised).
pub fn raw_lines(raw: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut out = Vec::new();
    for line in multiline(&unescape_newlines(raw)).lines() {
        let chars: Vec<char> = line.chars().collect();
        if chars.is_empty() {
            out.push(String::new());
        }
        out.extend(chars.chunks(width).map(|c| c.iter().collect::<String>()));
    }
    out
}

/// Draws the popup over `r`, scrolled to `scroll` (clamped here to the lines there are).
pub fn render(frame: &mut Frame, r: Rect, raw: &str, scroll: &Cell<usize>) {
    let inner_w = usize::from(r.width.saturating_sub(2));
    let inner_h = usize::from(r.height.saturating_sub(2)).max(1);
    let lines = raw_lines(raw, inner_w);
    let last = lines.len().saturating_sub(inner_h);
    let s = scroll.get().min(last);
    scroll.set(s);
    let pos = if lines.len() > inner_h {
        format!(
            " {}–{} of {} · j/k scroll ",
            s + 1,
            (s + inner_h).min(lines.len()),
            lines.len()
        )
    } else {
        String::new()
    };
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(s)
        .take(inner_h)
        .map(Line::raw)
        .collect();
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(shown).block(
            Block::bordered()
                .title(" raw log line (q/esc to close) ")
                .title_bottom(Line::from(pos).right_aligned())
                .border_style(Style::default().fg(Color::Cyan)),
        ),
        r,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_in_json_strings_break_lines_and_other_escapes_stay() {
        let raw = r#"{"event":"agent.error","exception":"Traceback:\n  File \"a.py\"\nKeyError"}"#;
        assert_eq!(
            raw_lines(raw, 80),
            [
                r#"{"event":"agent.error","exception":"Traceback:"#,
                r#"  File \"a.py\""#,
                r#"KeyError"}"#,
            ]
        );
        // not JSON: left as it is; control bytes made visible
        assert_eq!(raw_lines("a\\nb \u{1b}[2J", 80), ["a\\nb ^[[2J"]);
    }
}
