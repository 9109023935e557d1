//! Classifying one log line and deriving its stream labels as Grafana Alloy (and Loki) would,
//! so the seed's LogQL works unchanged on a file.
//!
//! Kinds of line understood:
//! - a structlog JSON object (`{"event":…,"level":…,"logger":"vulnsentinel.api","timestamp":…}`);
//! - the dev console format (`2026-02-25T10:30:01Z [info] request.start  method=POST …`),
//!   possibly ANSI-coloured;
//! - either of them behind a `docker compose logs` prefix (`vulnsentinel  | …`);
//! - anything else (a gunicorn `[ERROR]` line, a traceback): module `app`, level detected from
//!   the text.
//!
//! The JSON fields are found without a full parse (the scanner calls this for every line), by
//! the core's [`sniff_str`], which agrees with the structlog view.

use std::borrow::Cow;

use super::timestamp;
use crate::model::Labels;
use crate::model::level;
use crate::model::structlog::{LEVEL_KEY, LOGGER_KEY, TIMESTAMP_KEY, module_of_logger, sniff_str};

/// What kind of line it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A JSON object (structlog).
    Json,
    /// The dev console format: timestamp, `[level]`, event, `key=value` pairs.
    Console,
    /// Anything else.
    Text,
}

/// What [`classify_line`] found out about a line: its own timestamp, where its body starts
/// (after a compose prefix), and the labels Loki would hold for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInfo {
    pub kind: LineKind,
    /// The line's own timestamp, ns; `None` when it prints none (the caller then gives it the
    /// previous line's timestamp, so it keeps its place in file order).
    pub ts_ns: Option<i64>,
    /// Byte offset where the line proper starts: past a `docker compose logs` prefix, else 0.
    pub body_start: usize,
    /// Stream labels: `app`, `container`, `level`, `module`, `service_name`.
    pub labels: Labels,
    /// Loki's `detected_level` structured metadata (`warn`, not `warning`; `unknown`).
    pub detected_level: String,
}

impl LineInfo {
    /// The line without its compose prefix: what gets stored and queried.
    pub fn body<'a>(&self, line: &'a str) -> &'a str {
        line.get(self.body_start..).unwrap_or(line)
    }

    /// The structured metadata Loki attaches (`detected_level`).
    pub fn metadata(&self) -> Labels {
        let mut m = Labels::new();
        m.insert("detected_level".into(), self.detected_level.clone());
        m
    }
}

/// Classifies a line and derives its labels the way Alloy + Loki would for app `app`:
/// `app`, `module` (second `logger` segment if one of api/agent/engine/db, else `app`), `level`
/// (JSON `level`, console `[level]`, or detected from the text), `container` (the compose
/// service, else the app), `service_name` (= app); `detected_level` as metadata.
/// Used by the local scanner and by `push`, so both label lines identically.
pub fn classify_line(line: &str, app: &str) -> LineInfo {
    let f = classify_fast(line);
    let mut labels = Labels::new();
    labels.insert("app".into(), app.to_string());
    labels.insert("container".into(), f.container.unwrap_or(app).to_string());
    labels.insert("level".into(), f.level.into_owned());
    labels.insert("module".into(), f.module.to_string());
    labels.insert("service_name".into(), app.to_string());
    LineInfo {
        kind: f.kind,
        ts_ns: f.ts_ns,
        body_start: f.body_start,
        labels,
        detected_level: f.detected.to_string(),
    }
}

/// The allocation-free core of [`classify_line`], used by the scanner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fast<'a> {
    pub kind: LineKind,
    pub ts_ns: Option<i64>,
    pub body_start: usize,
    pub container: Option<&'a str>,
    pub module: &'static str,
    pub level: Cow<'a, str>,
    pub detected: &'static str,
}

/// Splits a `docker compose logs` prefix off: the service, and where the body starts.
pub(crate) fn split_compose(line: &str) -> (Option<&str>, usize) {
    if line.starts_with('{') {
        return (None, 0);
    }
    match compose_prefix(line) {
        Some((name, start)) => (Some(name), start),
        None => (None, 0),
    }
}

pub(crate) fn classify_fast(line: &str) -> Fast<'_> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let (container, body_start) = split_compose(line);
    let body = &line[body_start..];
    let trimmed = body.trim_start();
    if trimmed.starts_with('{') && trimmed.trim_end().ends_with('}') {
        return classify_json(trimmed, container, body_start);
    }
    let plain = strip_ansi(body);
    let mut f = classify_text(&plain);
    f.container = container;
    f.body_start = body_start;
    f
}

/// The timestamp [`classify_fast`] finds in a line, without its other labels: for a JSON line
/// one key search instead of three (the probe for an input's newest time reads a whole MB of
/// lines before every query).
pub(crate) fn timestamp_fast(line: &str) -> Option<i64> {
    let trimmed_line = line.strip_suffix('\r').unwrap_or(line);
    let (_, body_start) = split_compose(trimmed_line);
    let trimmed = trimmed_line[body_start..].trim_start();
    if trimmed.starts_with('{') && trimmed.trim_end().ends_with('}') {
        return sniff_str(trimmed, &TIMESTAMP_KEY).and_then(|t| timestamp::parse_full(&t));
    }
    classify_fast(line).ts_ns
}

fn classify_json<'a>(obj: &'a str, container: Option<&'a str>, body_start: usize) -> Fast<'a> {
    let level = sniff_str(obj, &LEVEL_KEY);
    let module = sniff_str(obj, &LOGGER_KEY).map_or("app", |l| module_of_logger(&l));
    let ts_ns = sniff_str(obj, &TIMESTAMP_KEY).and_then(|t| timestamp::parse_full(&t));
    let detected = level.as_deref().map_or("unknown", level::normalize);
    Fast {
        kind: LineKind::Json,
        ts_ns,
        body_start,
        container,
        module,
        level: level.unwrap_or(Cow::Borrowed("unknown")),
        detected,
    }
}

fn classify_text(plain: &str) -> Fast<'static> {
    // Console: `TS [level] event …`; gunicorn: `[TS] [pid] [LEVEL] …`.
    let (ts_ns, rest, console) = if let Some((ts, used)) = timestamp::parse_prefix(plain) {
        (Some(ts), &plain[used..], true)
    } else if let Some(inner) = plain.strip_prefix('[') {
        match timestamp::parse_prefix(inner) {
            Some((ts, used)) if inner[used..].starts_with(']') => {
                (Some(ts), &inner[used + 1..], false)
            }
            _ => (None, plain, false),
        }
    } else {
        (None, plain, false)
    };
    let bracket = rest
        .trim_start()
        .strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .map(|(w, _)| w)
        .filter(|w| level::normalize(w) != "unknown");
    let (kind, level, detected) = match (console, bracket) {
        (true, Some(w)) => {
            let detected = level::normalize(w);
            let lower = w.to_ascii_lowercase();
            (LineKind::Console, Cow::Owned(lower), detected)
        }
        _ => {
            let app_level = level::detect(plain);
            let detected = level::normalize(app_level);
            (LineKind::Text, Cow::Borrowed(app_level), detected)
        }
    };
    Fast {
        kind,
        ts_ns,
        body_start: 0,
        container: None,
        module: "app",
        level,
        detected,
    }
}

/// A `docker compose logs` prefix: `service  | ` (name, then spaces, `|`, a space), possibly
/// coloured. Returns the service name and where the body starts.
fn compose_prefix(line: &str) -> Option<(&str, usize)> {
    let bar = memchr::memchr(b'|', line.as_bytes().get(..128.min(line.len()))?)?;
    let head = &line[..bar];
    let name = strip_leading_sgr(head.trim_end());
    let name = name.strip_suffix("\x1b[0m").unwrap_or(name).trim_end();
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'));
    if !ok || !(head.ends_with(' ') || head.ends_with('m')) {
        return None;
    }
    let mut start = bar + 1;
    if line.as_bytes().get(start) == Some(&b' ') {
        start += 1;
    }
    // Compose may colour the bar too: skip a reset right after it.
    if line[start..].starts_with("\x1b[0m") {
        start += 4;
    }
    Some((name, start))
}

fn strip_leading_sgr(s: &str) -> &str {
    let mut s = s;
    while s.starts_with("\x1b[") {
        match s.find('m') {
            Some(i) => s = &s[i + 1..],
            None => break,
        }
    }
    s
}

/// Removes ANSI escape sequences (CSI like SGR colours, OSC like window titles, and two-byte
/// escapes) so the text can be parsed; borrows when there are none.
pub fn strip_ansi(s: &str) -> Cow<'_, str> {
    if memchr::memchr(0x1b, s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for n in chars.by_ref() {
                    if ('\x40'..='\x7e').contains(&n) {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(n) = chars.next() {
                    if n == '\x07' {
                        break;
                    }
                    if n == '\x1b' {
                        chars.next_if_eq(&'\\');
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
#[path = "line_tests.rs"]
mod tests;
