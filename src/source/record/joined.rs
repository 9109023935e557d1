//! A record's text: its lines joined, capped at [`MAX_RECORD_LINES`] lines and the line size
//! cap; and [`Assembler`], which joins lines arriving one at a time (a followed file).

use std::borrow::Cow;

use super::super::line::split_compose;
use super::{Joiner, blank, line_end, text};

/// The most lines one record holds (a deep Java trace has a few hundred).
pub const MAX_RECORD_LINES: usize = 1000;

/// A record's text as it is built: the first line whole, then the bodies of its further lines
/// (compose prefixes left out) while they fit the caps, then a marker for the rest.
struct Text {
    out: String,
    first_len: usize,
    kept: usize,
    left_out: usize,
    max: usize,
}

impl Text {
    fn new(first: &str, max: usize) -> Self {
        Self {
            out: first.to_string(),
            first_len: first.len(),
            kept: 1,
            left_out: 0,
            max,
        }
    }

    fn push(&mut self, line: &str) {
        let (_, body_start) = split_compose(line);
        let body = &line[body_start..];
        if self.left_out > 0
            || self.kept >= MAX_RECORD_LINES
            || self.out.len() + 1 + body.len() > self.max
        {
            self.left_out += 1;
            return;
        }
        self.out.push('\n');
        self.out.push_str(body);
        self.kept += 1;
    }

    fn finish(mut self) -> (String, usize) {
        if self.left_out > 0 {
            self.out.push_str(&format!(
                "\n…[vs-logs: {} more lines of this record left out]",
                self.left_out
            ));
        }
        (self.out, self.first_len)
    }
}

/// The text of a record from its bytes (lines joined with `\n`, blank ones and the compose
/// prefixes of continuation lines left out, capped), and the length of its first line in it.
pub(crate) fn join(bytes: &[u8]) -> (Cow<'_, str>, usize) {
    let (first_end, mut next) = line_end(bytes, 0);
    if next >= bytes.len() {
        let t = text(&bytes[..first_end]);
        let n = t.len();
        return (t, n);
    }
    let mut t = Text::new(
        &text(&bytes[..first_end]),
        crate::source::reader::max_line_bytes(),
    );
    while next < bytes.len() {
        let (e, n) = line_end(bytes, next);
        let line = &bytes[next..e];
        next = n;
        if !blank(line) {
            t.push(&text(line));
        }
    }
    let (out, first_len) = t.finish();
    (Cow::Owned(out), first_len)
}

/// Joins lines that arrive one at a time (a followed file) into records by the same rule: a
/// record is handed out when the line after it begins another, or when nothing more came
/// ([`Assembler::flush`]).
#[derive(Default)]
pub struct Assembler {
    open: Option<(Joiner, Text)>,
}

impl Assembler {
    /// Adds a line (without its newline); returns the record it ends, if any, as its text
    /// and the length of its first line.
    pub fn push(&mut self, line: &str) -> Option<(String, usize)> {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if blank(line.as_bytes()) {
            return None;
        }
        if let Some((joiner, text)) = &mut self.open
            && !line.starts_with('{')
            && joiner.accepts(line)
        {
            text.push(line);
            return None;
        }
        let new = (
            Joiner::new(line),
            Text::new(line, crate::source::reader::max_line_bytes()),
        );
        self.open.replace(new).map(|(_, t)| t.finish())
    }

    /// The record in progress, ended.
    pub fn flush(&mut self) -> Option<(String, usize)> {
        self.open.take().map(|(_, t)| t.finish())
    }
}
