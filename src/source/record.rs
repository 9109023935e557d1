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

mod joined;
mod role;

pub use joined::*;
pub(crate) use role::*;

use std::borrow::Cow;

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
    // Where the line after the record's last one begins.
    let mut end_next = next;
    let mut lines = 1;
    let mut nonblank = 1;
    let mut pending_blank = 0;
    // A line starting with `{` is not blank and never joins: the record ends before it (its
    // end is not searched for).
    while next < block.len() && block[next] != b'{' {
        let (e, n) = line_end(block, next);
        if blank(&block[next..e]) {
            pending_blank += 1;
        } else if joiner
            .get_or_insert_with(|| Joiner::new(&text(&block[start..first_end])))
            .accepts(&text(&block[next..e]))
        {
            end = e;
            end_next = n;
            lines += pending_blank + 1;
            nonblank += 1;
            pending_blank = 0;
        } else {
            break;
        }
        next = n;
    }
    // Trailing blank lines belong to no record: the next one starts after them.
    let next = end_next;
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
