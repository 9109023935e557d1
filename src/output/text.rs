//! `text` output: one aligned line per entry — time, level, module, event, then `key=value`
//! fields — with the labels every entry shares printed once as a header. Everything taken from
//! a log goes through `sanitize::inline`, so no escape sequence reaches the terminal.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{self, Write};

use serde_json::Value;

use crate::model::{Labels, Level, LogEntry, Structlog, Val};
use crate::sanitize::inline;

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

/// State kept across batches: the header (printed once) and the column widths seen so far.
#[derive(Debug, Default)]
pub(super) struct TextState {
    header: Option<Labels>,
    module_width: usize,
    event_width: usize,
}

/// The per-entry pieces, all already sanitised.
struct Row {
    time: String,
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
    let needs = v.is_empty() || v.chars().any(|c| c.is_whitespace() || c == '"' || c == '=');
    if !needs {
        return inline(v).into_owned();
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
    inline(&s).into_owned()
}

/// The `key=value` fields; string values holding newlines are not inlined as `\n`s but named
/// (`exception=↓`) and shown as indented lines under the record (into `below`).
fn fields_text(s: &Structlog<'_>, below: &mut Vec<String>) -> String {
    let mut parts = Vec::new();
    for (k, v) in s.fields() {
        match v {
            Val::Str(text) if text.trim_end().contains('\n') => {
                parts.push(format!("{}=↓", inline(k)));
                below.push(format!("{BELOW_INDENT}{}:", inline(k)));
                let mut lines = Vec::new();
                below_lines(text.trim_end(), &mut lines);
                below.extend(lines.into_iter().map(|l| format!("{BELOW_INDENT}{l}")));
            }
            _ => parts.push(format!("{}={}", inline(k), quote_value(&v.display()))),
        }
    }
    parts.join(" ")
}

/// Label names `| json` derives from a line (flattened with `_`), which Loki may merge into the
/// stream labels: already shown as fields, so not repeated.
fn json_label_names(prefix: &str, v: &Value, out: &mut HashSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}_{k}")
                };
                json_label_names(&name, v, out);
            }
        }
        _ => {
            out.insert(prefix.to_string());
        }
    }
}

/// Whether label `k` only repeats something the line itself says (a parsed field).
fn derived(e: &LogEntry, from_line: &HashSet<String>, k: &str) -> bool {
    let base = k.strip_suffix("_extracted").unwrap_or(k);
    e.parsed.contains_key(k) || from_line.contains(k) || from_line.contains(base)
}

fn line_keys(json: Option<&Structlog<'_>>) -> HashSet<String> {
    let mut from_line = HashSet::new();
    for (k, v) in json.map_or(&[][..], Structlog::entries) {
        match v {
            Val::Json(j) => json_label_names(k, j, &mut from_line),
            _ => {
                from_line.insert(k.to_string());
            }
        }
    }
    from_line
}

fn extra_labels(e: &LogEntry, header: &Labels, json: Option<&Structlog<'_>>) -> String {
    let from_line = line_keys(json);
    let mut parts = Vec::new();
    for (k, v) in e.labels.iter().chain(e.metadata.iter()) {
        if COLUMN_LABELS.contains(&k.as_str())
            || header.get(k) == Some(v)
            || derived(e, &from_line, k)
        {
            continue;
        }
        parts.push(format!("{}={}", inline(k), quote_value(v)));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", parts.join(", "))
    }
}

fn row(e: &LogEntry, header: &Labels, utc: bool) -> Row {
    let time = crate::timespec::format_display(e.ts, utc);
    let label = |n: &str| e.label(n).map(str::to_string);
    let json = Structlog::parse(&e.line);
    let extra_labels = extra_labels(e, header, json.as_ref());
    let mut below = Vec::new();
    match json {
        Some(s) => Row {
            time,
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
            rest: fields_text(&s, &mut below),
            extra_labels,
            below,
        },
        None => Row {
            time,
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
            let header = common_labels(entries);
            if !header.is_empty() {
                let text: Vec<String> = header
                    .iter()
                    .map(|(k, v)| format!("{}={}", inline(k), quote_value(v)))
                    .collect();
                let (on, off) = if color { (DIM, RESET) } else { ("", "") };
                writeln!(out, "{on}# {}{off}", text.join(" "))?;
            }
            self.header = Some(header);
        }
        let header = self.header.clone().unwrap_or_default();
        let rows: Vec<Row> = entries.iter().map(|e| row(e, &header, utc)).collect();
        for r in &rows {
            self.module_width = self.module_width.max(width(&r.module));
            self.event_width = self.event_width.max(width(&r.event).min(MAX_EVENT_WIDTH));
        }
        for r in &rows {
            self.write_row(out, r, color)?;
        }
        Ok(())
    }

    fn write_row<W: Write>(&self, out: &mut W, r: &Row, color: bool) -> io::Result<()> {
        let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(width(s))));
        let level = pad(&r.level, 7);
        let module = pad(&r.module, self.module_width);
        let event = if r.event.is_empty() {
            String::new()
        } else {
            pad(&r.event, self.event_width)
        };
        let mut line = String::with_capacity(128);
        if color {
            let lc = level_color(&r.level);
            line.push_str(&format!(
                "{DIM}{}{RESET} {lc}{level}{RESET} {module} {BOLD}{event}{RESET}",
                r.time
            ));
        } else {
            line.push_str(&format!("{} {level} {module} {event}", r.time));
        }
        if !r.rest.is_empty() {
            if !r.event.is_empty() {
                line.push(' ');
            }
            line.push_str(&r.rest);
        }
        if !r.extra_labels.is_empty() {
            line.push(' ');
            if color {
                line.push_str(&format!("{DIM}{}{RESET}", r.extra_labels));
            } else {
                line.push_str(&r.extra_labels);
            }
        }
        writeln!(out, "{}", line.trim_end())?;
        for b in &r.below {
            writeln!(out, "{}", b.trim_end())?;
        }
        Ok(())
    }
}
