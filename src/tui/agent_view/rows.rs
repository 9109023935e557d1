//! The timeline as a flat list of one-line rows, rebuilt when a turn is folded or a message
//! expanded, so rendering touches only the rows on screen.

use std::collections::HashSet;

use crate::agent::model::{AgentRun, Step};
use crate::sanitize::multiline;

/// What one row of the timeline shows.
#[derive(Debug, Clone, PartialEq)]
pub enum RowKind {
    /// A turn's header line (index into `run.turns`).
    Turn(usize),
    /// A step of a turn.
    Step(usize, usize),
    /// One line of an expanded message or traceback (already sanitised).
    Text(usize, usize, String),
    /// An error logged outside any turn (index into `run.errors`).
    LooseError(usize),
}

/// Whether a row stands for an error (for `e`/`E` and the red style).
pub fn is_error(run: &AgentRun, kind: &RowKind) -> bool {
    match kind {
        RowKind::Step(t, s) => run.turns[*t].steps[*s].is_error(),
        RowKind::LooseError(_) => true,
        _ => false,
    }
}

/// The full text a step expands to, if any: a message's content or an error's traceback.
pub fn expandable_text(step: &Step) -> Option<String> {
    match step {
        Step::Message(m) => Some(m.content.clone()),
        Step::Error(e) => e.traceback.clone(),
        Step::ToolCall(t) => t
            .error
            .as_ref()
            .map(|e| format!("error: {e}\nargs: {}", t.args)),
        Step::LlmResponse(_) => None,
    }
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

/// Flattens the run into rows: folded turns show their header only; expanded steps show their
/// full text, wrapped at `width`.
pub fn build_rows(
    run: &AgentRun,
    folded: &HashSet<usize>,
    expanded: &HashSet<(usize, usize)>,
    width: usize,
) -> Vec<RowKind> {
    let mut rows = Vec::new();
    for (ti, turn) in run.turns.iter().enumerate() {
        rows.push(RowKind::Turn(ti));
        if folded.contains(&ti) {
            continue;
        }
        for (si, step) in turn.steps.iter().enumerate() {
            rows.push(RowKind::Step(ti, si));
            if expanded.contains(&(ti, si))
                && let Some(text) = expandable_text(step)
            {
                rows.extend(
                    chunks(&text, width)
                        .into_iter()
                        .map(|l| RowKind::Text(ti, si, l)),
                );
            }
        }
    }
    for (ei, e) in run.errors.iter().enumerate() {
        if e.turn.is_none() {
            rows.push(RowKind::LooseError(ei));
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
