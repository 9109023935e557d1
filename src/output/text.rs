//! `text` output: one aligned line per entry — time, level, module, event, then `key=value`
//! fields — with the labels every entry shares printed once as a header. Everything taken from
//! a log goes through `sanitize::inline`, so no escape sequence reaches the terminal.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::model::{Labels, Level, LogEntry, Structlog, Val};
use crate::sanitize::inline;
use crate::timespec::DisplayClock;

use super::text_keys::{derived, derived_from, line_keys};

const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const GREEN: &str = "\x1b[32m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Labels shown in their own columns (or useless repeated), never in the per-line suffix.
const COLUMN_LABELS: &[&str] = &["level", "module", "detected_level", "service_name"];
/// Upper bound on the event column, so one long event name does not push every line right.
const MAX_EVENT_WIDTH: usize = 28;

/// Where the `# labels…` header (the labels every entry shares, omitted from each line) goes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum TextHeader {
    /// On the output, before the entries (a renderer's default, e.g. into a file).
    #[default]
    Inline,
    /// On stderr, so stdout holds only the entries (the CLI: data stays pipe-clean).
    Stderr,
    /// Not printed (`-q`); the shared labels are still left out of each line.
    Hidden,
    /// No header: every entry shows its own labels (following, where later entries can come
    /// from other streams, so nothing is known to be common).
    Off,
}

/// State kept across batches: the header (printed once) and the column widths seen so far.
#[derive(Debug, Default)]
pub(super) struct TextState {
    pub(super) header_to: TextHeader,
    header: Option<Labels>,
    module_width: usize,
    event_width: usize,
    /// Times of one second share their conversion (see [`DisplayClock`]).
    clock: Option<DisplayClock>,
}

/// The per-entry pieces, all already sanitised.
struct Row {
    /// The entry's time (written by the state's [`DisplayClock`]).
    ts: i64,
    level: String,
    module: String,
    event: String,
    rest: String,
    extra_labels: String,
    /// Lines shown indented under the record: the rest of a multi-line entry, and string
    /// fields holding newlines (a traceback in `exception`), each line sanitised.
    below: Vec<String>,
}

/// How far lines under a record are indented.
const BELOW_INDENT: &str = "    ";

/// A multi-line text as lines to show under a record, each sanitised.
fn below_lines(text: &str, out: &mut Vec<String>) {
    for l in text.split('\n') {
        let l = l.strip_suffix('\r').unwrap_or(l);
        out.push(format!("{BELOW_INDENT}{}", inline(l)));
    }
}

fn level_color(level: &str) -> &'static str {
    match Level::parse(level) {
        Level::Error => RED,
        Level::Warning => YELLOW,
        Level::Info => GREEN,
        Level::Debug => DIM,
        Level::Unknown => "",
    }
}

/// A `key=value` value, quoted when it holds spaces, quotes or `=` (or is empty).
pub(super) fn quote_value(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    push_quoted(&mut s, v);
    s
}

/// [`quote_value`] appended to `out` (no temporary strings on the per-line path).
fn push_quoted(out: &mut String, v: &str) {
    let needs = v.is_empty() || v.chars().any(|c| c.is_whitespace() || c == '"' || c == '=');
    if !needs {
        out.push_str(&inline(v));
        return;
    }
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for c in v.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            c => s.push(c),
        }
    }
    s.push('"');
    out.push_str(&inline(&s));
}

/// The `key=value` fields; string values holding newlines are not inlined as `\n`s but named
/// (`exception=↓`) and shown as indented lines under the record (into `below`).
fn fields_text(s: &Structlog<'_>, below: &mut Vec<String>) -> String {
    let mut out = String::new();
    for (k, v) in s.fields() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&inline(k));
        out.push('=');
        match v {
            Val::Str(text) if text.trim_end().contains('\n') => {
                out.push('↓');
                below.push(format!("{BELOW_INDENT}{}:", inline(k)));
                let mut lines = Vec::new();
                below_lines(text.trim_end(), &mut lines);
                below.extend(lines.into_iter().map(|l| format!("{BELOW_INDENT}{l}")));
            }
            _ => push_quoted(&mut out, &v.display()),
        }
    }
    out
}

fn extra_labels(e: &LogEntry, header: &Labels, json: Option<&Structlog<'_>>) -> String {
    let mut out = String::new();
    for (k, v) in e.labels.iter().chain(e.metadata.iter()) {
        if COLUMN_LABELS.contains(&k.as_str()) || header.get(k) == Some(v) {
            continue;
        }
        if derived_from(e, json, k) {
            continue;
        }
        out.push_str(if out.is_empty() { "{" } else { ", " });
        out.push_str(&inline(k));
        out.push('=');
        push_quoted(&mut out, v);
    }
    if !out.is_empty() {
        out.push('}');
    }
    out
}

fn row(e: &LogEntry, header: &Labels) -> Row {
    let label = |n: &str| e.label(n).map(str::to_string);
    // A JSON line with a traceback joined under it (a multi-line record of a local file):
    // the JSON is its first line, the rest goes under the record.
    let (json, more) = match Structlog::parse(&e.line) {
        Some(s) => (Some(s), ""),
        None => match e.line.split_once('\n') {
            Some((first, more)) => match Structlog::parse(first) {
                Some(s) => (Some(s), more),
                None => (None, ""),
            },
            None => (None, ""),
        },
    };
    let extra_labels = extra_labels(e, header, json.as_ref());
    let mut below = Vec::new();
    match json {
        Some(s) => Row {
            ts: e.ts,
            level: inline(
                &s.level()
                    .map(Cow::into_owned)
                    .or_else(|| label("level"))
                    .unwrap_or_default()
                    .to_lowercase(),
            )
            .into_owned(),
            module: inline(
                &s.module()
                    .map(str::to_string)
                    .or_else(|| label("module"))
                    .unwrap_or_default(),
            )
            .into_owned(),
            event: inline(&s.event().unwrap_or_default()).into_owned(),
            rest: {
                let rest = fields_text(&s, &mut below);
                let more = more.trim_end_matches(['\n', '\r']);
                if !more.is_empty() {
                    below_lines(more, &mut below);
                }
                rest
            },
            extra_labels,
            below,
        },
        None => Row {
            ts: e.ts,
            level: inline(
                &label("level")
                    .or_else(|| label("detected_level"))
                    .unwrap_or_default()
                    .to_lowercase(),
            )
            .into_owned(),
            module: inline(&label("module").unwrap_or_default()).into_owned(),
            event: String::new(),
            rest: {
                // A multi-line entry (a Loki entry with embedded newlines): its first line on
                // the record, the others indented under it.
                let text = e.line.trim_end_matches(['\n', '\r']);
                let (first, more) = text.split_once('\n').unwrap_or((text, ""));
                if !more.is_empty() {
                    below_lines(more, &mut below);
                }
                inline(first.strip_suffix('\r').unwrap_or(first)).into_owned()
            },
            extra_labels,
            below,
        },
    }
}

/// Labels (stream and metadata) that every entry has with the same value.
fn common_labels(entries: &[LogEntry]) -> Labels {
    let Some(first) = entries.first() else {
        return Labels::new();
    };
    let mut common: Labels = first
        .labels
        .iter()
        .chain(first.metadata.iter())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for e in &entries[1..] {
        common.retain(|k, v| e.labels.get(k).or_else(|| e.metadata.get(k)) == Some(v));
    }
    let from_line = line_keys(Structlog::parse(&first.line).as_ref());
    common.retain(|k, _| !derived(first, &from_line, k) && k != "detected_level");
    common
}

fn width(s: &str) -> usize {
    s.chars().count()
}

impl TextState {
    pub(super) fn write<W: Write>(
        &mut self,
        out: &mut W,
        entries: &[LogEntry],
        color: bool,
        utc: bool,
    ) -> io::Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        if self.header.is_none() {
            let header = match self.header_to {
                TextHeader::Off => Labels::new(),
                _ => common_labels(entries),
            };
            if !header.is_empty() {
                let text: Vec<String> = header
                    .iter()
                    .map(|(k, v)| format!("{}={}", inline(k), quote_value(v)))
                    .collect();
                match self.header_to {
                    TextHeader::Inline => {
                        let (on, off) = if color { (DIM, RESET) } else { ("", "") };
                        writeln!(out, "{on}# {}{off}", text.join(" "))?;
                    }
                    TextHeader::Stderr => eprintln!("# {}", text.join(" ")),
                    TextHeader::Hidden | TextHeader::Off => {}
                }
            }
            self.header = Some(header);
        }
        let empty = Labels::new();
        let header = self.header.as_ref().unwrap_or(&empty);
        let rows: Vec<Row> = entries.iter().map(|e| row(e, header)).collect();
        for r in &rows {
            self.module_width = self.module_width.max(width(&r.module));
            self.event_width = self.event_width.max(width(&r.event).min(MAX_EVENT_WIDTH));
        }
        // The whole batch goes out in one write: a line-buffered stdout would otherwise make
        // one system call per line.
        let mut buf = String::with_capacity(rows.len() * 160);
        let mut clock = match self.clock.take() {
            Some(c) if c.utc() == utc => c,
            _ => DisplayClock::new(utc),
        };
        for r in &rows {
            self.push_row(&mut buf, r, color, &mut clock);
        }
        self.clock = Some(clock);
        out.write_all(buf.as_bytes())
    }

    fn push_row(&self, out: &mut String, r: &Row, color: bool, clock: &mut DisplayClock) {
        let start = out.len();
        let pad = |out: &mut String, s: &str, w: usize| {
            out.push_str(s);
            for _ in width(s)..w {
                out.push(' ');
            }
        };
        if color {
            out.push_str(DIM);
            clock.push(out, r.ts);
            out.push_str(RESET);
            out.push(' ');
            out.push_str(level_color(&r.level));
            pad(out, &r.level, 7);
            out.push_str(RESET);
            out.push(' ');
            pad(out, &r.module, self.module_width);
            out.push(' ');
            out.push_str(BOLD);
            if !r.event.is_empty() {
                pad(out, &r.event, self.event_width);
            }
            out.push_str(RESET);
        } else {
            clock.push(out, r.ts);
            out.push(' ');
            pad(out, &r.level, 7);
            out.push(' ');
            pad(out, &r.module, self.module_width);
            out.push(' ');
            if !r.event.is_empty() {
                pad(out, &r.event, self.event_width);
            }
        }
        if !r.rest.is_empty() {
            if !r.event.is_empty() {
                out.push(' ');
            }
            out.push_str(&r.rest);
        }
        if !r.extra_labels.is_empty() {
            out.push(' ');
            if color {
                out.push_str(DIM);
                out.push_str(&r.extra_labels);
                out.push_str(RESET);
            } else {
                out.push_str(&r.extra_labels);
            }
        }
        // `trim_end` of the whole line, as before (never past the line's own start).
        let kept = out[start..].trim_end().len();
        out.truncate(start + kept);
        out.push('\n');
        for b in &r.below {
            out.push_str(b.trim_end());
            out.push('\n');
        }
    }
}
