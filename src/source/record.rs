//! Multi-line records (issue 11.3): a Python traceback, a Java stack trace or a Go panic printed
//! after a log line belongs to that line, as lnav shows it and as Alloy's `multiline` stage
//! would have shipped it to Loki. The query engine sees the joined record as one line.
//!
//! The rule, line by line within one input (a `docker compose logs` prefix set aside):
//! - a **start** line always begins a record: a JSON object, a line with a timestamp of its own,
//!   or one that begins with a level word (`INFO:`, `[ERROR]`, `warning:`, all upper or all
//!   lower case); a line from another compose service than the record's also begins one;
//! - a **continuation** line joins the record before it: an indented line (traceback frames,
//!   Java's `\tat …`, Go's `\t/src/x.go:12`), `Traceback (most recent call last):`,
//!   `Caused by:`, Python's chained-exception headers, Go's `goroutine N [running]:`;
//! - any **other** line (`ValueError: bad`, `main.main()`) joins a record that began with a
//!   start line, or one whose previous line was indented (the end of a traceback); otherwise it
//!   is a record of its own. So a file without timestamps keeps one entry per line, and the
//!   first line of an input always begins a record.
//!
//! Blank lines inside a record are left out. A record keeps at most [`MAX_RECORD_LINES`] lines
//! and the line size cap ([`super::reader::max_line_bytes`]) of text; the lines past that stay
//! part of it but are left out of its text, and a marker says how many.

use std::borrow::Cow;

use super::line::{split_compose, strip_ansi};
use super::timestamp;
use crate::model::level;

/// The most lines one record holds (a deep Java trace has a few hundred).
pub const MAX_RECORD_LINES: usize = 1000;

/// What a line is to the record before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Always begins a record.
    Start,
    /// Always joins the record before it (when there is one).
    Cont,
    /// Joins a record begun by a start line or right after an indented line.
    Other,
}

/// Lines that continue an exception report though they are not indented.
const CONT_PREFIXES: [&str; 5] = [
    "Traceback (most recent call last):",
    "Caused by:",
    "During handling of the above exception",
    "The above exception was the direct cause",
    "Suppressed:",
];

/// The role of a line (without its `\r\n`), the compose service it came from, and whether
/// it is indented.
pub(crate) fn role(line: &str) -> (Role, Option<&str>, bool) {
    // JSONL fast path: a JSON object never continues anything.
    if line.starts_with('{') {
        return (Role::Start, None, false);
    }
    let (container, body_start) = split_compose(line);
    let body = &line[body_start..];
    let indented = matches!(body.as_bytes().first(), Some(b' ' | b'\t'));
    (body_role(body), container, indented)
}

fn body_role(body: &str) -> Role {
    let Some(&first) = body.as_bytes().first() else {
        return Role::Other;
    };
    if first == b'{' {
        return Role::Start;
    }
    // What `classify_fast` reads as JSON (so as timed) is a start, indented or not.
    let t = body.trim_start();
    if t.starts_with('{') && t.trim_end().ends_with('}') {
        return Role::Start;
    }
    if matches!(first, b' ' | b'\t') {
        return Role::Cont;
    }
    if CONT_PREFIXES.iter().any(|p| body.starts_with(p)) || is_goroutine(body) {
        return Role::Cont;
    }
    let plain = strip_ansi(body);
    if has_timestamp(&plain) || leading_level(&plain) {
        Role::Start
    } else {
        Role::Other
    }
}

/// Go's `goroutine 1 [running]:`.
fn is_goroutine(body: &str) -> bool {
    body.strip_prefix("goroutine ")
        .is_some_and(|r| r.as_bytes().first().is_some_and(u8::is_ascii_digit))
}

/// Whether `classify_fast` finds a timestamp in a text line (the same two forms): every line
/// with a timestamp of its own begins a record, so time is only ever read from a record's
/// first line.
fn has_timestamp(plain: &str) -> bool {
    if timestamp::parse_prefix(plain).is_some() {
        return true;
    }
    plain.strip_prefix('[').is_some_and(|inner| {
        timestamp::parse_prefix(inner).is_some_and(|(_, used)| inner[used..].starts_with(']'))
    })
}

/// A level word first on the line: `INFO:`, `[ERROR]`, `warning: …`, `PANIC …` (not
/// `ValueError:`, and not mixed case like `Error:`, which tracebacks end with).
fn leading_level(plain: &str) -> bool {
    let s = plain.strip_prefix('[').unwrap_or(plain);
    let n = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if n == 0 || n > 11 {
        return false;
    }
    let word = &s[..n];
    let ends = matches!(
        s.as_bytes().get(n),
        None | Some(b':' | b']' | b' ' | b'\t' | b'|')
    );
    let one_case = word.bytes().all(|c| c.is_ascii_uppercase())
        || word.bytes().all(|c| c.is_ascii_lowercase());
    ends && one_case && level::normalize(word) != "unknown"
}

/// Decides, line after line, whether a line joins the record begun so far.
struct Joiner {
    began_with_start: bool,
    container: Option<String>,
    prev_indented: bool,
}

impl Joiner {
    fn new(first: &str) -> Self {
        let (r, container, indented) = role(first);
        Self {
            began_with_start: r == Role::Start,
            container: container.map(str::to_string),
            prev_indented: indented,
        }
    }

    fn accepts(&mut self, line: &str) -> bool {
        let (r, container, indented) = role(line);
        if container != self.container.as_deref() {
            return false;
        }
        let joins = match r {
            Role::Start => false,
            Role::Cont => true,
            Role::Other => self.began_with_start || self.prev_indented,
        };
        if joins {
            self.prev_indented = indented;
        }
        joins
    }
}

/// The line of `block` starting at `at`: its end (before `\r\n`) and where the next begins.
pub(super) fn line_end(block: &[u8], at: usize) -> (usize, usize) {
    let nl = memchr::memchr(b'\n', &block[at..]).map_or(block.len(), |i| at + i);
    let mut e = nl;
    if e > at && block[e - 1] == b'\r' {
        e -= 1;
    }
    (e, nl + 1)
}

pub(super) fn blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

pub(super) fn text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// Where one record lies in a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Extent {
    /// The start of its first line.
    pub start: usize,
    /// The end of its first line (before `\r\n`).
    pub first_end: usize,
    /// The end of its last line (before `\r\n`).
    pub end: usize,
    /// Where the line after its last one begins (may be past the block's end).
    pub next: usize,
    /// How many lines (blank ones included) it spans.
    pub lines: usize,
    /// How many of them are not blank (the scan's line count).
    pub nonblank: usize,
}

/// The record whose first line is the first non-blank line at or after `at` (a line start);
/// `None` when only blank lines are left. Blank lines before it are counted in `skipped`.
pub(crate) fn extent(block: &[u8], at: usize) -> Option<(Extent, usize)> {
    let mut pos = at;
    let mut skipped = 0;
    let (start, first_end, mut next) = loop {
        if pos >= block.len() {
            return None;
        }
        let (e, n) = line_end(block, pos);
        if !blank(&block[pos..e]) {
            break (pos, e, n);
        }
        skipped += 1;
        pos = n;
    };
    // Made on the first line that might join (never for a JSON file).
    let mut joiner: Option<Joiner> = None;
    let mut end = first_end;
    let mut lines = 1;
    let mut nonblank = 1;
    let mut pending_blank = 0;
    while next < block.len() {
        let (e, n) = line_end(block, next);
        if blank(&block[next..e]) {
            pending_blank += 1;
        } else if block[next] != b'{'
            && joiner
                .get_or_insert_with(|| Joiner::new(&text(&block[start..first_end])))
                .accepts(&text(&block[next..e]))
        {
            end = e;
            lines += pending_blank + 1;
            nonblank += 1;
            pending_blank = 0;
        } else {
            break;
        }
        next = n;
    }
    // Trailing blank lines belong to no record: the next one starts after them.
    let next = if end < block.len() {
        line_end(block, end).1
    } else {
        block.len() + 1
    };
    Some((
        Extent {
            start,
            first_end,
            end,
            next,
            lines,
            nonblank,
        },
        skipped,
    ))
}

/// [`extent`] for the usual JSONL case, with one newline search instead of three: a line at
/// `at` starting with `{` and followed by another line starting with `{` is a one-line record
/// (a JSON object is a start line and never continues one). `None` when that does not hold.
#[inline]
pub(crate) fn json_line_extent(block: &[u8], at: usize) -> Option<Extent> {
    if block.get(at) != Some(&b'{') {
        return None;
    }
    let nl = at + memchr::memchr(b'\n', &block[at..])?;
    if block.get(nl + 1) != Some(&b'{') {
        return None;
    }
    let first_end = if block[nl - 1] == b'\r' { nl - 1 } else { nl };
    Some(Extent {
        start: at,
        first_end,
        end: first_end,
        next: nl + 1,
        lines: 1,
        nonblank: 1,
    })
}

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
    let mut t = Text::new(&text(&bytes[..first_end]), super::reader::max_line_bytes());
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
            Text::new(line, super::reader::max_line_bytes()),
        );
        self.open.replace(new).map(|(_, t)| t.finish())
    }

    /// The record in progress, ended.
    pub fn flush(&mut self) -> Option<(String, usize)> {
        self.open.take().map(|(_, t)| t.finish())
    }
}

/// One record of a block, ready for the query.
pub(crate) struct Record<'a> {
    pub ext: Extent,
    /// Position of its first line among the block's lines, blank ones included.
    pub index: usize,
    /// Its text (see [`join`]); the first line is `text[..first_len]`.
    pub text: Cow<'a, str>,
    pub first_len: usize,
}

impl Record<'_> {
    /// The first line: what its labels and timestamp come from.
    pub fn first(&self) -> &str {
        &self.text[..self.first_len]
    }
}

/// The records of a block, in order.
pub(crate) fn records(block: &[u8]) -> impl Iterator<Item = Record<'_>> {
    // Valid UTF-8 (the usual case) is checked once; a one-line record then borrows its text.
    let valid = std::str::from_utf8(block).ok();
    let mut pos = 0;
    let mut index = 0;
    std::iter::from_fn(move || {
        let (ext, skipped) = extent(block, pos)?;
        index += skipped;
        let i = index;
        index += ext.lines;
        pos = ext.next;
        let (text, first_len) = match valid {
            // Line ends are ASCII, so they are char boundaries.
            Some(v) if ext.end == ext.first_end => {
                let t = &v[ext.start..ext.end];
                (Cow::Borrowed(t), t.len())
            }
            _ => join(&block[ext.start..ext.end]),
        };
        Some(Record {
            ext,
            index: i,
            text,
            first_len,
        })
    })
}

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;
