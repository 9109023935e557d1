//! The timeline as a flat list of one-line rows, rebuilt when a turn is folded or a message
//! expanded, so rendering touches only the rows on screen.

use std::collections::HashSet;

use crate::agent::model::{AgentRun, Step};
use crate::agent::render::fmt::wrap_json;
use crate::sanitize::{inline, multiline};

/// What one row of the timeline shows.
#[derive(Debug, Clone, PartialEq)]
pub enum RowKind {
    /// A turn's header line (index into `run.turns`).
    Turn(usize),
    /// A step of a turn.
    Step(usize, usize),
    /// One line of an expanded message or traceback (already sanitised).
    Text(usize, usize, String),
    /// A collapsed tool call's first args line (made at the width of the frame drawn).
    Args(usize, usize),
    /// An error logged outside any turn (index into `run.errors`).
    LooseError(usize),
    /// One line of an expanded loose error's traceback.
    LooseText(usize, String),
}

/// Key in `expanded` of the loose error `ei` (turn indices never reach it).
pub fn loose_key(ei: usize) -> (usize, usize) {
    (usize::MAX, ei)
}

/// Whether a row stands for an error (for `e`/`E` and the red style).
pub fn is_error(run: &AgentRun, kind: &RowKind) -> bool {
    match kind {
        RowKind::Step(t, s) => run.turns[*t].steps[*s].is_error(),
        RowKind::LooseError(_) => true,
        _ => false,
    }
}

/// Columns before a step's text: `  ` + the time right-aligned in 9 (`+999.999s`) + ` `, so
/// the column does not shift once a run passes 10 s.
pub const WHEN_W: usize = 12;
/// Columns before an expanded line's text (`WHEN_W` then `│ `).
pub const TEXT_INDENT: usize = WHEN_W + 2;

/// The room a message's first line has on its row in a list `list_width` wide.
pub fn message_room(list_width: usize) -> usize {
    list_width.saturating_sub(30)
}

/// Width expanded text wraps at in a list `list_width` wide.
pub fn text_width(list_width: usize) -> usize {
    list_width.saturating_sub(TEXT_INDENT).max(20)
}

/// A tool call's args as lines wrapped at JSON value boundaries (`args {…}`), empty for none.
pub fn args_lines(args: &serde_json::Value, width: usize) -> Vec<String> {
    if args.is_null() {
        return Vec::new();
    }
    wrap_json(&format!("args {}", inline(&args.to_string())), width)
}

/// Whether a message is shown whole on its row (expanding it would only repeat it).
fn fits(content: &str, list_width: usize) -> bool {
    !content.contains('\n') && content.chars().count() <= message_room(list_width)
}

/// The lines a step expands to, if it has more than its row shows: a message's content, an
/// error's traceback, a tool call's args (every line) and error.
pub fn expanded_lines(step: &Step, list_width: usize) -> Option<Vec<String>> {
    let width = text_width(list_width);
    match step {
        Step::Message(m) if fits(&m.content, list_width) => None,
        Step::Message(m) => Some(chunks(&m.content, width)),
        Step::Error(e) => e.traceback.as_deref().map(|t| chunks(t, width)),
        Step::ToolCall(t) => {
            let mut lines = args_lines(&t.args, width);
            if let Some(e) = &t.error {
                lines.extend(chunks(&format!("error: {e}"), width));
            }
            // one args line and no error: the collapsed row shows it all already
            (lines.len() > 1).then_some(lines)
        }
        Step::LlmResponse(_) => None,
    }
}

/// A collapsed tool call's first args line at `list_width`, with ` …` when there is more.
pub fn args_summary(args: &serde_json::Value, list_width: usize) -> String {
    let lines = args_lines(args, text_width(list_width));
    let more = if lines.len() > 1 { " …" } else { "" };
    format!("{}{more}", lines.first().map_or("", String::as_str))
}

/// Whether Enter on this step shows more.
pub fn expandable(step: &Step, list_width: usize) -> bool {
    expanded_lines(step, list_width).is_some()
}

/// Splits text into display lines of at most `width` characters.
fn chunks(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let clean = multiline(text);
    let mut out = Vec::new();
    for line in clean.split('\n') {
        let chars: Vec<char> = line.chars().collect();
        if chars.is_empty() {
            out.push(String::new());
        }
        for c in chars.chunks(width) {
            out.push(c.iter().collect());
        }
    }
    out
}

/// Flattens the run into rows for a list `list_width` wide: folded turns show their header
/// only; a tool call shows its first args line (as the text replay does); expanded steps show
/// their full text.
pub fn build_rows(
    run: &AgentRun,
    folded: &HashSet<usize>,
    expanded: &HashSet<(usize, usize)>,
    list_width: usize,
) -> Vec<RowKind> {
    let mut rows = Vec::new();
    for (ti, turn) in run.turns.iter().enumerate() {
        rows.push(RowKind::Turn(ti));
        if folded.contains(&ti) {
            continue;
        }
        for (si, step) in turn.steps.iter().enumerate() {
            rows.push(RowKind::Step(ti, si));
            let more = if expanded.contains(&(ti, si)) {
                expanded_lines(step, list_width)
            } else {
                None
            };
            match (more, step) {
                (Some(lines), _) => {
                    rows.extend(lines.into_iter().map(|l| RowKind::Text(ti, si, l)));
                }
                (None, Step::ToolCall(t)) if !t.args.is_null() => {
                    rows.push(RowKind::Args(ti, si));
                }
                _ => {}
            }
        }
    }
    for (ei, e) in run.errors.iter().enumerate() {
        if e.turn.is_none() {
            rows.push(RowKind::LooseError(ei));
            if expanded.contains(&loose_key(ei))
                && let Some(tb) = &e.traceback
            {
                let lines = chunks(tb, text_width(list_width));
                rows.extend(lines.into_iter().map(|l| RowKind::LooseText(ei, l)));
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_keep_lines_and_make_escapes_visible() {
        assert_eq!(chunks("ab\ncd\u{1b}", 10), ["ab", "cd^["]);
        assert_eq!(chunks(&"x".repeat(25), 10).len(), 3);
    }
}
