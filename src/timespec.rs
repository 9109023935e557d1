//! Durations (`1h30m`, `7d`, `2w`) and points in time (`now-2h`, `yesterday`, RFC 3339, …) as
//! users type them on the command line and in the TUI, and the one rule that turns
//! `--since/--from/--to` into a range (`resolve_range`).
//! The formatting of times for people ([`format_time`]) lives here too, so every front end
//! prints them alike.

mod civil;
pub(crate) use civil::{Rfc3339Cache, push_rfc3339_utc};
mod range;

pub use range::{Anchor, RangeKind, RangeQuery, ResolvedRange, resolve_range};

use chrono::{
    DateTime, Datelike, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};

/// A time argument that could not be understood; the message carries an example that works.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TimeError(pub String);

/// A resolved range, ns since the epoch, `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    pub start_ns: i64,
    pub end_ns: i64,
}

const NS_PER_MS: i64 = 1_000_000;
const NS_PER_S: i64 = 1_000_000_000;

const DURATION_HELP: &str =
    "use a number and a unit (ms, s, m, h, d, w, y), e.g. 30s, 15m, 12h, 7d, 2w or 1h30m";
const TIME_HELP: &str = "use e.g. 2026-11-25T08:00:00Z, 2026-11-25, \"2026-11-25 08:00\", 1795594043 (unix seconds), now, now-2h, today or yesterday";

fn unit_ns(unit: &str) -> Option<i64> {
    Some(match unit {
        "ns" => 1,
        "us" | "µs" => 1_000,
        "ms" => NS_PER_MS,
        "s" => NS_PER_S,
        "m" => 60 * NS_PER_S,
        "h" => 3_600 * NS_PER_S,
        "d" => 86_400 * NS_PER_S,
        "w" => 7 * 86_400 * NS_PER_S,
        "y" => 365 * 86_400 * NS_PER_S,
        _ => return None,
    })
}

/// `30s`, `15m`, `12h`, `7d`, `2w`, `1h30m`, `500ms` → nanoseconds. The one duration grammar
/// of vs-logs (command line, TUI and LogQL ranges alike): one or more groups of a decimal
/// number (`1`, `1.5`, `.5`) and a unit, `ns`, `us`/`µs`, `ms`, `s`, `m`, `h`, `d` (24h), `w`
/// (7d) or `y` (365d), with no spaces or sign; the groups add up.
pub fn parse_duration(s: &str) -> Result<i64, TimeError> {
    let bad = || TimeError(format!("invalid duration {s:?}: {DURATION_HELP}"));
    let text = s.trim();
    if text.is_empty() {
        return Err(bad());
    }
    let mut rest = text;
    let mut total: i64 = 0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        let unit_len = rest[num_len..]
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len() - num_len);
        let (num, unit) = (&rest[..num_len], &rest[num_len..num_len + unit_len]);
        let value: f64 = num.parse().map_err(|_| bad())?;
        let per = unit_ns(unit).ok_or_else(bad)?;
        let part = value * per as f64;
        if !part.is_finite() || part > i64::MAX as f64 / 2.0 {
            return Err(TimeError(format!("duration {s:?} is too long")));
        }
        total = total.checked_add(part.round() as i64).ok_or_else(bad)?;
        rest = &rest[num_len + unit_len..];
    }
    Ok(total)
}

/// A duration as Go's `time.Duration.String` prints it (`739h55m0s`, `1.5s`, `250ms`), for
/// messages that quote Loki.
pub fn format_go_duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let sign = if ns < 0 { "-" } else { "" };
    let u = ns.unsigned_abs();
    let frac = |v: u64, unit: u64| -> String {
        let (whole, rest) = (v / unit, v % unit);
        if rest == 0 {
            return whole.to_string();
        }
        let digits = unit.ilog10() as usize;
        let f = format!("{rest:0digits$}");
        format!("{whole}.{}", f.trim_end_matches('0'))
    };
    if u < 1_000 {
        return format!("{sign}{u}ns");
    }
    if u < 1_000_000 {
        return format!("{sign}{}µs", frac(u, 1_000));
    }
    if u < NS_PER_S as u64 {
        return format!("{sign}{}ms", frac(u, 1_000_000));
    }
    let s = NS_PER_S as u64;
    let (h, m) = (u / (3_600 * s), (u / (60 * s)) % 60);
    let secs = frac(u % (60 * s), s);
    match (h, m) {
        (0, 0) => format!("{sign}{secs}s"),
        (0, m) => format!("{sign}{m}m{secs}s"),
        (h, m) => format!("{sign}{h}h{m}m{secs}s"),
    }
}

fn local_or_utc(naive: NaiveDateTime, utc: bool, original: &str) -> Result<i64, TimeError> {
    let dt: DateTime<Utc> = if utc {
        Utc.from_utc_datetime(&naive)
    } else {
        Local
            .from_local_datetime(&naive)
            .earliest()
            .ok_or_else(|| TimeError(format!("{original:?} does not exist in local time")))?
            .with_timezone(&Utc)
    };
    dt.timestamp_nanos_opt()
        .ok_or_else(|| TimeError(format!("{original:?} is out of range")))
}

/// Midnight of the day containing `now_ns`, shifted by `days_back` days.
fn midnight(now_ns: i64, days_back: i64, utc: bool, original: &str) -> Result<i64, TimeError> {
    let now = DateTime::<Utc>::from_timestamp_nanos(now_ns);
    let day = if utc {
        now.date_naive()
    } else {
        now.with_timezone(&Local).date_naive()
    };
    let day = day - chrono::Duration::days(days_back);
    local_or_utc(day.and_time(NaiveTime::MIN), utc, original)
}

fn parse_unix(s: &str) -> Option<i64> {
    if !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') || s.is_empty() {
        return None;
    }
    if let Some((whole, frac)) = s.split_once('.') {
        if frac.contains('.') || frac.len() > 9 || whole.is_empty() {
            return None;
        }
        let secs: i64 = whole.parse().ok()?;
        let frac_ns: i64 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<9}").parse().ok()?
        };
        return secs.checked_mul(NS_PER_S)?.checked_add(frac_ns);
    }
    let n: i64 = s.parse().ok()?;
    // More than 16 digits cannot be seconds in any sensible year: take it as nanoseconds, the
    // unit Loki itself prints.
    if s.len() > 16 {
        Some(n)
    } else {
        n.checked_mul(NS_PER_S)
    }
}

/// A point in time → ns. `now_ns` anchors relative forms; `utc` makes zone-less forms UTC.
pub fn parse_time(s: &str, now_ns: i64, utc: bool) -> Result<i64, TimeError> {
    let text = s.trim();
    let bad = || TimeError(format!("invalid time {s:?}: {TIME_HELP}"));
    match text {
        "now" => return Ok(now_ns),
        "today" => return midnight(now_ns, 0, utc, s),
        "yesterday" => return midnight(now_ns, 1, utc, s),
        _ => {}
    }
    if let Some(rel) = text.strip_prefix("now") {
        let (sign, dur) = match rel.as_bytes().first() {
            Some(b'-') => (-1, &rel[1..]),
            Some(b'+') => (1, &rel[1..]),
            _ => return Err(bad()),
        };
        let d = parse_duration(dur).map_err(|_| bad())?;
        return Ok(now_ns + sign * d);
    }
    if let Some(ns) = parse_unix(text) {
        return Ok(ns);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return dt.timestamp_nanos_opt().ok_or_else(bad);
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, fmt) {
            return local_or_utc(naive, utc, s);
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return local_or_utc(day.and_time(NaiveTime::MIN), utc, s);
    }
    Err(bad())
}

/// RFC 3339 with nanoseconds (`2026-11-25T08:01:00.123456789Z`), in UTC or local time.
pub fn format_rfc3339(ns: i64, utc: bool) -> String {
    if utc {
        let mut s = String::with_capacity(30);
        civil::push_rfc3339_utc(&mut s, ns, 9);
        return s;
    }
    DateTime::<Utc>::from_timestamp_nanos(ns)
        .with_timezone(&Local)
        .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}

/// How much of a time to show. Every time vs-logs prints for people goes through
/// [`format_time`], so the CLI, the agent renderings and the TUI agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeStyle {
    /// `2026-11-25 08:01:00.123` (`…Z` in UTC): text output, replay.
    Full,
    /// `11-25 08:01:00.123`: the TUI's log table.
    DayMillis,
    /// `11-25 08:01:00`: tables of runs.
    Day,
}

/// A time for people, local unless `utc`. Only `Full` marks UTC with a `Z`; the shorter
/// styles are used where the column title says which zone it is.
pub fn format_time(ns: i64, utc: bool, style: TimeStyle) -> String {
    let pattern = match (style, utc) {
        (TimeStyle::Full, true) => "%Y-%m-%d %H:%M:%S%.3fZ",
        (TimeStyle::Full, false) => "%Y-%m-%d %H:%M:%S%.3f",
        (TimeStyle::DayMillis, _) => "%m-%d %H:%M:%S%.3f",
        (TimeStyle::Day, _) => "%m-%d %H:%M:%S",
    };
    let dt = DateTime::<Utc>::from_timestamp_nanos(ns);
    if utc {
        dt.format(pattern).to_string()
    } else {
        dt.with_timezone(&Local).format(pattern).to_string()
    }
}

/// A compact display time (`2026-11-25 08:01:00.123`), local unless `utc` (then with `Z`).
/// Written digit by digit: it runs once per printed line, where a strftime pattern costs more
/// than the rest of the line.
pub fn format_display(ns: i64, utc: bool) -> String {
    let dt = DateTime::<Utc>::from_timestamp_nanos(ns);
    let t = if utc {
        dt.naive_utc()
    } else {
        dt.with_timezone(&Local).naive_local()
    };
    let Ok(year) = u32::try_from(t.year()) else {
        return format_time(ns, utc, TimeStyle::Full);
    };
    if year > 9999 {
        return format_time(ns, utc, TimeStyle::Full);
    }
    let mut s = String::with_capacity(24);
    let mut push = |n: u32, digits: u32, sep: Option<char>| {
        for p in (0..digits).rev() {
            let d = (n / 10u32.pow(p)) % 10;
            s.push(char::from(b'0' + d as u8));
        }
        if let Some(c) = sep {
            s.push(c);
        }
    };
    push(year, 4, Some('-'));
    push(t.month(), 2, Some('-'));
    push(t.day(), 2, Some(' '));
    push(t.hour(), 2, Some(':'));
    push(t.minute(), 2, Some(':'));
    push(t.second(), 2, Some('.'));
    push(t.nanosecond() / 1_000_000, 3, utc.then_some('Z'));
    s
}

/// [`format_display`] for many times in a row: the date and time down to the second are
/// worked out (time zone included) once per second of the clock, and only the milliseconds
/// per time, so printing a burst of lines does not convert each one.
#[derive(Debug, Clone)]
pub struct DisplayClock {
    utc: bool,
    /// The second (ns / 1e9, floored) `prefix` is for.
    second: Option<i64>,
    /// `YYYY-MM-DD hh:mm:ss.`; empty when that second needs the long form (years past 9999).
    prefix: String,
}

impl DisplayClock {
    pub fn new(utc: bool) -> Self {
        Self {
            utc,
            second: None,
            prefix: String::new(),
        }
    }

    pub fn utc(&self) -> bool {
        self.utc
    }

    /// Appends the same text as `format_display(ns, utc)`.
    pub fn push(&mut self, out: &mut String, ns: i64) {
        let second = ns.div_euclid(1_000_000_000);
        if self.second != Some(second) {
            self.second = Some(second);
            let whole = format_display(second.saturating_mul(1_000_000_000), self.utc);
            let tail = if self.utc { ".000Z" } else { ".000" };
            self.prefix.clear();
            if whole.len() == 19 + tail.len() && whole.ends_with(tail) {
                self.prefix.push_str(&whole[..20]);
            }
        }
        if self.prefix.is_empty() {
            out.push_str(&format_display(ns, self.utc));
            return;
        }
        out.push_str(&self.prefix);
        let ms = ns.rem_euclid(1_000_000_000) / 1_000_000;
        for d in [ms / 100, ms / 10 % 10, ms % 10] {
            out.push(char::from(b'0' + d as u8));
        }
        if self.utc {
            out.push('Z');
        }
    }
}

#[cfg(test)]
mod tests;
