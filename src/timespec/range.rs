//! `--since/--from/--to` → a range: the one rule every front end uses.

use super::{TimeError, TimeRange, format_rfc3339, parse_duration, parse_time};

/// `--since/--from/--to/--utc` as the user typed them, before any parsing: what every front end
/// (CLI commands, TUI, dashboard) hands to `resolve_range` (through `Session::range`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RangeQuery {
    /// How far back from the end: `30m`, `7d`.
    pub since: Option<String>,
    /// Start: any form `parse_time` reads.
    pub from: Option<String>,
    /// End: any form `parse_time` reads.
    pub to: Option<String>,
    /// Zone-less times are UTC (and times print in UTC).
    pub utc: bool,
}

impl RangeQuery {
    /// No range flag was given: the command's default applies.
    pub fn is_empty(&self) -> bool {
        self.since.is_none() && self.from.is_none() && self.to.is_none()
    }

    /// The user chose where the range starts (`--since` or `--from`), so it is not widened.
    pub fn sets_start(&self) -> bool {
        self.since.is_some() || self.from.is_some()
    }
}

/// What a range is resolved against: the wall clock, and where it ends when `--to` is not
/// given (now, or the newest line of a local input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub now_ns: i64,
    pub end_ns: i64,
}

impl Anchor {
    /// Ranges end now.
    pub fn now(now_ns: i64) -> Anchor {
        Anchor {
            now_ns,
            end_ns: now_ns,
        }
    }
}

/// Whether a resolved range moves with the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeKind {
    /// "The last `ns`" ending now: a live view re-resolves it as time passes.
    Relative { ns: i64 },
    /// Fixed end points.
    Absolute,
}

/// A resolved range, ns since the epoch, `start < end`, and whether it is relative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedRange {
    pub start_ns: i64,
    pub end_ns: i64,
    pub kind: RangeKind,
}

impl ResolvedRange {
    pub fn range(&self) -> TimeRange {
        TimeRange {
            start_ns: self.start_ns,
            end_ns: self.end_ns,
        }
    }
}

/// The one rule for `--since/--from/--to`, every front end:
/// - `--since` with `--from` is a usage error naming both (both give the start);
/// - the range ends at `--to`, else at `anchor.end_ns` (now, or a local input's newest line);
/// - it starts at `--from`, else `--since D` (or `default_since` when neither is given) before
///   the end, so `--since D --to T` is the D before T;
/// - an empty or reversed range is an error.
///
/// The result is `Relative` when neither `--from` nor `--to` is given and the end is now.
pub fn resolve_range(
    q: &RangeQuery,
    default_since: &str,
    anchor: Anchor,
) -> Result<ResolvedRange, TimeError> {
    if q.since.is_some() && q.from.is_some() {
        return Err(TimeError(
            "--since and --from both give the start: use one of them".into(),
        ));
    }
    let end_ns = match &q.to {
        Some(t) => parse_time(t, anchor.now_ns, q.utc)?,
        None => anchor.end_ns,
    };
    let (start_ns, back) = match &q.from {
        Some(f) => (parse_time(f, anchor.now_ns, q.utc)?, None),
        None => {
            let d = parse_duration(q.since.as_deref().unwrap_or(default_since))?;
            (end_ns.saturating_sub(d), Some(d))
        }
    };
    if start_ns >= end_ns {
        return Err(TimeError(format!(
            "the range is empty: start {} is not before end {} (check --from/--to)",
            format_rfc3339(start_ns, true),
            format_rfc3339(end_ns, true)
        )));
    }
    let kind = match back {
        Some(ns) if q.to.is_none() && end_ns == anchor.now_ns => RangeKind::Relative { ns },
        _ => RangeKind::Absolute,
    };
    Ok(ResolvedRange {
        start_ns,
        end_ns,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS_PER_S: i64 = 1_000_000_000;
    const H: i64 = 3_600 * NS_PER_S;
    // 2026-11-25T08:01:00Z
    const NOW: i64 = 1_795_507_260 * NS_PER_S + 86_400 * NS_PER_S;

    fn q(since: Option<&str>, from: Option<&str>, to: Option<&str>) -> RangeQuery {
        RangeQuery {
            since: since.map(str::to_string),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            utc: true,
        }
    }

    fn span(r: ResolvedRange) -> TimeRange {
        r.range()
    }

    #[test]
    fn ranges() {
        let now = Anchor::now(NOW);
        let r = resolve_range(&q(Some("2h"), None, None), "1h", now).unwrap();
        assert_eq!(
            span(r),
            TimeRange {
                start_ns: NOW - 2 * H,
                end_ns: NOW
            }
        );
        let earlier = Anchor {
            now_ns: NOW,
            end_ns: NOW - H,
        };
        let r = resolve_range(&q(None, None, None), "1h", earlier).unwrap();
        assert_eq!(
            span(r),
            TimeRange {
                start_ns: NOW - 2 * H,
                end_ns: NOW - H
            }
        );
        let r = resolve_range(&q(None, Some("now-3h"), Some("now-1h")), "1h", now).unwrap();
        assert_eq!(
            span(r),
            TimeRange {
                start_ns: NOW - 3 * H,
                end_ns: NOW - H
            }
        );
        let e = resolve_range(&q(None, Some("now"), Some("now-1h")), "1h", now);
        assert!(e.unwrap_err().0.contains("range is empty"));
        let e = resolve_range(&q(Some("1h"), Some("now-1h"), None), "1h", now);
        assert!(e.unwrap_err().0.contains("--since and --from"));
    }

    #[test]
    fn since_with_to_counts_back_from_to() {
        let r =
            resolve_range(&q(Some("2h"), None, Some("now-1h")), "1h", Anchor::now(NOW)).unwrap();
        assert_eq!((r.start_ns, r.end_ns), (NOW - 3 * H, NOW - H));
        assert_eq!(r.kind, RangeKind::Absolute);
        // The default counts back from --to as well.
        let r = resolve_range(&q(None, None, Some("now-1h")), "30m", Anchor::now(NOW)).unwrap();
        assert_eq!((r.start_ns, r.end_ns), (NOW - H - H / 2, NOW - H));
    }

    #[test]
    fn only_ranges_ending_now_without_points_are_relative() {
        let now = Anchor::now(NOW);
        let kind = |query: RangeQuery, anchor| resolve_range(&query, "1h", anchor).unwrap().kind;
        assert_eq!(
            kind(q(Some("2h"), None, None), now),
            RangeKind::Relative { ns: 2 * H }
        );
        assert_eq!(
            kind(q(None, None, None), now),
            RangeKind::Relative { ns: H }
        );
        assert_eq!(
            kind(q(None, Some("now-2h"), None), now),
            RangeKind::Absolute
        );
        assert_eq!(
            kind(q(Some("2h"), None, Some("now")), now),
            RangeKind::Absolute
        );
        let file = Anchor {
            now_ns: NOW,
            end_ns: NOW - 5 * H,
        };
        assert_eq!(kind(q(Some("2h"), None, None), file), RangeKind::Absolute);
    }
}
