//! The bundled demo: a deterministic generator of realistic VulnSentinel logs (structlog JSON
//! lines plus the hostile lines real systems print), so vs-logs works on the first command with
//! no Loki. Same output every run; `--demo` shifts it so the newest line is at the start of the
//! current hour ([`anchor_ns`]).
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

/// What `--demo` holds, for `--help` (wired by the CLI's help text).
pub const DEMO_HELP: &str = "Use the bundled demo data instead of Loki: 24 h of VulnSentinel \
     logs (API, engine, DB, ~1,000 agent runs incl. ag-456 on evt-789, hostile lines), ending at \
     the start of the current hour (UTC), so times stay the same across runs within the hour";

/// Where `--demo` ends for a run at `now_ns`: now floored to the hour, so a time copied from one
/// run finds the same line in the next (within the hour, and the lines themselves never move
/// relative to the anchor).
pub fn anchor_ns(now_ns: i64) -> i64 {
    const HOUR_NS: i64 = 3_600_000_000_000;
    now_ns - now_ns.rem_euclid(HOUR_NS)
}

/// How far back the demo goes.
pub const DEMO_SPAN_NS: i64 = 24 * 3_600_000_000_000;

const SEED: u64 = 0x005e_ed0f_7a6e_4b1d;

/// The demo lines ending at [`DEMO_END_NS`], oldest first.
pub fn demo_lines() -> Vec<String> {
    demo_lines_ending(DEMO_END_NS)
}

/// The demo lines with the newest at `end_ns` (rounded down to a whole µs), oldest first.
pub fn demo_lines_ending(end_ns: i64) -> Vec<String> {
    // No demo line holds a newline: the buffer splits back into exactly the lines generated.
    let bytes = demo_bytes(end_ns);
    let text = String::from_utf8_lossy(&bytes);
    text.split_terminator('\n').map(str::to_string).collect()
}

/// The demo as one newline-terminated buffer ending at `end_ns` (rounded down to a whole µs):
/// what `--demo` reads. Generated on every `--demo` start, so it is written straight into two
/// flat buffers (no allocation per line) and assembled in time order with one copy.
pub fn demo_bytes(end_ns: i64) -> Vec<u8> {
    let end = end_ns - end_ns.rem_euclid(1000);
    // Two independent halves (own PRNG each) generated and sorted on both cores. Buffers sized
    // for ~3.2 MB / 15,500 lines and ~6.7 MB / 25,800 lines: neither grows.
    let (a, b) = rayon::join(
        || {
            let mut out = Out::new(end, 0, 7 << 19, 16_000);
            let mut rng = Rng::new(SEED);
            traffic::app_lifecycle(&mut out);
            traffic::api(&mut out, &mut rng);
            traffic::engine(&mut out, &mut rng);
            traffic::db(&mut out, &mut rng);
            planted::all(&mut out, &mut rng);
            out.sorted()
        },
        || {
            let mut out = Out::new(end, 1, 7 << 20, 27_000);
            agents::runs(&mut out, &mut Rng::new(SEED ^ 0xa6e7));
            out.sorted()
        },
    );
    Out::assemble([a, b])
}

/// Collects groups of lines (a stamped line and the untimed lines printed right after it),
/// each at an offset before the end, and orders them by time.
pub(crate) struct Out {
    end_ns: i64,
    /// Which generator: orders lines of equal time from different generators.
    part: u8,
    /// Every group's lines, each followed by `\n`, in the order generated (UTF-8: only
    /// `&str`s and ASCII are written).
    text: Vec<u8>,
    groups: Vec<Group>,
    clock: crate::timespec::Rfc3339Cache,
}

/// Where a group's lines are in its generator's text, and its place in time.
#[derive(Clone, Copy)]
struct Group {
    /// (offset µs − `i64::MIN`) << 64 | generator << 32 | sequence: sorting by it orders
    /// groups by time, then generator, then generation order.
    key: u128,
    start: u32,
    end: u32,
}

impl Out {
    /// `bytes` and `groups`: the expected size, so the buffers grow (and are copied) rarely.
    fn new(end_ns: i64, part: u8, bytes: usize, groups: usize) -> Self {
        Self {
            end_ns,
            part,
            text: Vec::with_capacity(bytes),
            groups: Vec::with_capacity(groups),
            clock: crate::timespec::Rfc3339Cache::new(),
        }
    }

    /// The absolute time of an offset in µs before the end (offsets are ≤ 0).
    fn at(&self, off_us: i64) -> i64 {
        self.end_ns + off_us.min(0) * 1000
    }

    /// RFC 3339 UTC with microseconds, as structlog prints.
    pub fn ts(&self, off_us: i64) -> String {
        let mut s = String::with_capacity(27);
        push_ts(&mut s, self.at(off_us), true);
        s
    }

    /// RFC 3339 UTC to the second (console and gunicorn lines).
    pub fn ts_secs(&self, off_us: i64) -> String {
        let mut s = String::with_capacity(20);
        push_ts(&mut s, self.at(off_us), false);
        s
    }

    pub fn push(&mut self, off_us: i64, line: &str) {
        self.push_group(off_us, &[line]);
    }

    pub fn push_group(&mut self, off_us: i64, lines: &[&str]) {
        let start = self.text.len();
        for l in lines {
            self.text.extend_from_slice(l.as_bytes());
            self.text.push(b'\n');
        }
        self.close_group(off_us, start);
    }

    /// Records the text from `start` to the end (whole lines) as one group at `off_us`.
    fn close_group(&mut self, off_us: i64, start: usize) {
        let seq = self.groups.len() as u128;
        let time = off_us.min(0).wrapping_sub(i64::MIN) as u64;
        self.groups.push(Group {
            key: (u128::from(time) << 64) | (u128::from(self.part) << 32) | seq,
            // The demo is ~10 MB: offsets fit in u32 with room to spare.
            start: start as u32,
            end: self.text.len() as u32,
        });
    }

    /// A structlog JSON line: `{"event":…,<fields>,"timestamp":…,"level":…,"logger":…}`.
    /// `fields` is pre-serialised `"k":v` pairs joined by commas (may be empty).
    pub fn json(&mut self, off_us: i64, event: &str, fields: &str, level: &str, module: &str) {
        self.json_parts(off_us, event, &[fields], level, module);
    }

    /// [`Out::json`] with the fields given as pieces joined by commas (empty pieces skipped),
    /// written straight into the generator's text.
    pub fn json_parts(
        &mut self,
        off_us: i64,
        event: &str,
        fields: &[&str],
        level: &str,
        module: &str,
    ) {
        let (ts, ts_len) = self.clock.format(self.at(off_us), 6);
        let start = self.text.len();
        let line = &mut self.text;
        line.extend_from_slice(br#"{"event":""#);
        line.extend_from_slice(event.as_bytes());
        line.push(b'"');
        for f in fields.iter().filter(|f| !f.is_empty()) {
            line.push(b',');
            line.extend_from_slice(f.as_bytes());
        }
        line.extend_from_slice(br#","timestamp":""#);
        line.extend_from_slice(&ts[..ts_len]);
        line.extend_from_slice(br#"","level":""#);
        line.extend_from_slice(level.as_bytes());
        line.extend_from_slice(br#"","logger":"vulnsentinel."#);
        line.extend_from_slice(module.as_bytes());
        line.extend_from_slice(b"\"}\n");
        self.close_group(off_us, start);
    }

    /// Sorts the groups by time (each generator on its own thread, before [`Out::assemble`]).
    fn sorted(mut self) -> Self {
        self.groups.sort_unstable_by_key(|g| g.key);
        self
    }

    /// Every generator's groups in time order, as one buffer: a merge of the [`Out::sorted`]
    /// parts (keys are unique: they hold the generator and the sequence).
    fn assemble<const N: usize>(parts: [Out; N]) -> Vec<u8> {
        let mut buf = Vec::with_capacity(parts.iter().map(|p| p.text.len()).sum());
        let mut next = [0usize; N];
        loop {
            let mut best: Option<(usize, Group)> = None;
            for (i, p) in parts.iter().enumerate() {
                if let Some(g) = p.groups.get(next[i])
                    && best.is_none_or(|(_, b)| g.key < b.key)
                {
                    best = Some((i, *g));
                }
            }
            let Some((i, g)) = best else {
                return buf;
            };
            next[i] += 1;
            buf.extend_from_slice(&parts[i].text[g.start as usize..g.end as usize]);
        }
    }
}

/// Appends `v` in decimal (the demo's hot lines are built without `format!`).
pub(crate) fn push_int(s: &mut String, v: i64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut u = v.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    if v < 0 {
        s.push('-');
    }
    for &b in &buf[i..] {
        s.push(char::from(b));
    }
}

/// A JSON string literal (quoted, escaped by serde_json; most demo strings need no escape,
/// and are only quoted).
pub(crate) fn js(s: &str) -> String {
    if s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        return serde_json::to_string(s).unwrap_or_default();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    out.push_str(s);
    out.push('"');
    out
}

/// Appends an RFC 3339 UTC timestamp, with microseconds or to the second.
fn push_ts(s: &mut String, ns: i64, micros: bool) {
    crate::timespec::push_rfc3339_utc(s, ns, if micros { 6 } else { 0 });
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
