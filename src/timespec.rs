//! Durations (`1h30m`, `7d`, `2w`) and points in time (`now-2h`, `yesterday`, RFC 3339, …) as
//! users type them on the command line and in the TUI.
//!
//! CONTRACT (used by CLI and TUI): these signatures stay. Placeholder until the CLI lands.

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

/// `30s`, `15m`, `12h`, `7d`, `2w`, `1h30m`, `500ms` → nanoseconds.
pub fn parse_duration(s: &str) -> Result<i64, TimeError> {
    Err(TimeError(format!("cannot parse duration {s:?} yet")))
}

/// A point in time → ns. `now_ns` anchors relative forms; `utc` makes zone-less forms UTC.
pub fn parse_time(s: &str, now_ns: i64, utc: bool) -> Result<i64, TimeError> {
    let _ = (now_ns, utc);
    Err(TimeError(format!("cannot parse time {s:?} yet")))
}
