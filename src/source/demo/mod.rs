//! The bundled demo: a deterministic generator of realistic VulnSentinel logs (structlog JSON
//! lines plus the hostile lines real systems print), so vs-logs works on the first command with
//! no Loki. Same output every run; `--demo` shifts it so the newest line is "now".
//!
//! About 24 h of data: API traffic with 4xx/5xx, engine scans with GitHub rate limits, DB slow
//! queries, ~1,000 agent runs of three types (some failing with a traceback, a few retried under
//! the same id), the real run `ag-456` on `evt-789`, and non-JSON, ANSI, Chinese and ~20 KB lines.

mod ag456;
mod agents;
mod planted;
mod rng;
mod traffic;

use rng::Rng;

/// When [`demo_lines`] ends: 2026-11-25T06:00:00Z, which puts `ag-456` exactly where the real
/// capture has it.
pub const DEMO_END_NS: i64 = 1_795_586_400_000_000_000;

/// How far back the demo goes.
pub const DEMO_SPAN_NS: i64 = 24 * 3_600_000_000_000;

const SEED: u64 = 0x005e_ed0f_7a6e_4b1d;

/// The demo lines ending at [`DEMO_END_NS`], oldest first.
pub fn demo_lines() -> Vec<String> {
    demo_lines_ending(DEMO_END_NS)
}

/// The demo lines with the newest at `end_ns` (rounded down to a whole µs), oldest first.
pub fn demo_lines_ending(end_ns: i64) -> Vec<String> {
    let mut out = Out::new(end_ns - end_ns.rem_euclid(1000));
    let mut rng = Rng::new(SEED);
    traffic::app_lifecycle(&mut out);
    traffic::api(&mut out, &mut rng);
    traffic::engine(&mut out, &mut rng);
    traffic::db(&mut out, &mut rng);
    agents::runs(&mut out, &mut rng);
    planted::all(&mut out, &mut rng);
    out.finish()
}

/// The demo as one newline-terminated buffer ending at `end_ns`: what `--demo` reads.
pub fn demo_bytes(end_ns: i64) -> Vec<u8> {
    let lines = demo_lines_ending(end_ns);
    let mut buf = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in lines {
        buf.extend_from_slice(l.as_bytes());
        buf.push(b'\n');
    }
    buf
}

/// Collects groups of lines (a stamped line and the untimed lines printed right after it),
/// each at an offset before the end, and orders them by time.
pub(crate) struct Out {
    end_ns: i64,
    groups: Vec<(i64, u32, Vec<String>)>,
}

impl Out {
    fn new(end_ns: i64) -> Self {
        Self {
            end_ns,
            groups: Vec::with_capacity(50_000),
        }
    }

    /// The absolute time of an offset in µs before the end (offsets are ≤ 0).
    fn at(&self, off_us: i64) -> i64 {
        self.end_ns + off_us.min(0) * 1000
    }

    /// RFC 3339 UTC with microseconds, as structlog prints.
    pub fn ts(&self, off_us: i64) -> String {
        format_us(self.at(off_us), true)
    }

    /// RFC 3339 UTC to the second (console and gunicorn lines).
    pub fn ts_secs(&self, off_us: i64) -> String {
        format_us(self.at(off_us), false)
    }

    pub fn push(&mut self, off_us: i64, line: String) {
        let seq = self.groups.len() as u32;
        self.groups.push((off_us.min(0), seq, vec![line]));
    }

    pub fn push_group(&mut self, off_us: i64, lines: Vec<String>) {
        let seq = self.groups.len() as u32;
        self.groups.push((off_us.min(0), seq, lines));
    }

    /// A structlog JSON line: `{"event":…,<fields>,"timestamp":…,"level":…,"logger":…}`.
    /// `fields` is pre-serialised `"k":v` pairs joined by commas (may be empty).
    pub fn json(&mut self, off_us: i64, event: &str, fields: &str, level: &str, module: &str) {
        let sep = if fields.is_empty() { "" } else { "," };
        let line = format!(
            r#"{{"event":"{event}"{sep}{fields},"timestamp":"{}","level":"{level}","logger":"vulnsentinel.{module}"}}"#,
            self.ts(off_us)
        );
        self.push(off_us, line);
    }

    fn finish(mut self) -> Vec<String> {
        self.groups.sort_by_key(|g| (g.0, g.1));
        self.groups.into_iter().flat_map(|g| g.2).collect()
    }
}

/// A JSON string literal (quoted, escaped).
pub(crate) fn js(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

fn format_us(ns: i64, micros: bool) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let us = ns.rem_euclid(1_000_000_000) / 1000;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (rem / 3600, rem % 3600 / 60, rem % 60);
    if micros {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{us:06}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
    }
}

/// (year, month, day) of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
