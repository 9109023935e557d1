//! What a line is to the record before it, and the rule that joins lines into records (see
//! the parent module).

use super::super::line::{split_compose, strip_ansi};
use super::super::timestamp;
use crate::model::level;

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
pub(super) struct Joiner {
    began_with_start: bool,
    container: Option<String>,
    prev_indented: bool,
}

impl Joiner {
    pub(super) fn new(first: &str) -> Self {
        let (r, container, indented) = role(first);
        Self {
            began_with_start: r == Role::Start,
            container: container.map(str::to_string),
            prev_indented: indented,
        }
    }

    pub(super) fn accepts(&mut self, line: &str) -> bool {
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
