//! The log-volume histogram's data: counts per time bucket and level, from Loki's
//! `sum by (level) (count_over_time(…))` or counted from the loaded lines.

use chrono::{DateTime, FixedOffset};

use crate::model::MetricResult;

use super::store::{Level, LineStore};

/// Buckets over `[start_ns, end_ns)`, each with a count per level (in `Level::ALL` order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Volume {
    pub start_ns: i64,
    pub end_ns: i64,
    pub step_ns: i64,
    pub counts: Vec<[u64; 5]>,
    /// Counted from loaded lines rather than asked of the backend.
    pub local: bool,
}

fn level_slot(l: Level) -> usize {
    Level::ALL.iter().position(|x| *x == l).unwrap_or(4)
}

/// A round step (1s, 5s, 30s, 1m…) giving at most `buckets` buckets over the range, so the
/// scale reads "lines per 30s", not "per 3750ms".
pub fn step_for(start_ns: i64, end_ns: i64, buckets: i64) -> i64 {
    crate::dashboard::nice_step_ns(((end_ns - start_ns) / buckets.max(1)).max(1_000_000_000))
}

/// The histogram query for a log query: `None` when it is not a plain log query. As Grafana
/// does, parse errors are dropped (`| drop __error__`) so one non-JSON line does not fail
/// the whole metric query.
pub fn volume_query(query: &str, step_ns: i64) -> Option<String> {
    let q = query.trim();
    if !q.starts_with('{') {
        return None;
    }
    let secs = (step_ns / 1_000_000_000).max(1);
    let drop = if q.ends_with('}') {
        ""
    } else {
        " | drop __error__, __error_details__"
    };
    Some(format!(
        "sum by (level) (count_over_time({q}{drop} [{secs}s]))"
    ))
}

impl Volume {
    fn empty(start_ns: i64, end_ns: i64, step_ns: i64) -> Volume {
        let n = (((end_ns - start_ns) + step_ns - 1) / step_ns).clamp(1, 2000) as usize;
        Volume {
            start_ns,
            end_ns,
            step_ns,
            counts: vec![[0; 5]; n],
            local: false,
        }
    }

    fn bucket(&self, ts_ns: i64) -> Option<usize> {
        if ts_ns < self.start_ns || ts_ns >= self.end_ns + self.step_ns {
            return None;
        }
        Some((((ts_ns - self.start_ns) / self.step_ns) as usize).min(self.counts.len() - 1))
    }

    /// From a matrix result (points at the end of each window).
    pub fn from_metric(m: &MetricResult, start_ns: i64, end_ns: i64, step_ns: i64) -> Volume {
        let mut v = Volume::empty(start_ns, end_ns, step_ns);
        if let MetricResult::Matrix(series) = m {
            for s in series {
                let level = s
                    .metric
                    .get("level")
                    .map_or(Level::Unknown, |l| Level::parse(l));
                for p in &s.points {
                    // a point at t counts the window (t - step, t]
                    let t = p.t_ms * 1_000_000 - 1;
                    if let Some(b) = v.bucket(t) {
                        v.counts[b][level_slot(level)] += p.v.max(0.0) as u64;
                    }
                }
            }
        }
        v
    }

    /// Counted from the loaded lines (when the backend cannot answer the metric query).
    pub fn from_store(store: &LineStore, start_ns: i64, end_ns: i64, step_ns: i64) -> Volume {
        let mut v = Volume::empty(start_ns, end_ns, step_ns);
        v.local = true;
        for i in 0..store.len() {
            if let Some(r) = store.get(i)
                && let Some(b) = v.bucket(r.ts())
            {
                v.counts[b][level_slot(r.level())] += 1;
            }
        }
        v
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }

    /// The time range `[start, end)` of a span of buckets, clipped to the histogram's range.
    pub fn span_range(&self, s: Span) -> (i64, i64) {
        let at = |b: usize| (self.start_ns + b as i64 * self.step_ns).min(self.end_ns);
        (at(s.lo), at(s.hi + 1))
    }

    pub fn max_bucket(&self) -> u64 {
        self.counts
            .iter()
            .map(|c| c.iter().sum::<u64>())
            .max()
            .unwrap_or(0)
    }
}

/// Buckets `lo..=hi` chosen on the histogram to zoom into (`update::volume`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub lo: usize,
    pub hi: usize,
}

impl Span {
    /// The middle eighth of `n` buckets: small enough to show it is a span, easy to move.
    pub fn initial(n: usize) -> Span {
        let w = (n / 8).max(1);
        let lo = n.saturating_sub(w) / 2;
        Span {
            lo,
            hi: (lo + w - 1).min(n.saturating_sub(1)),
        }
    }

    /// The span moved by `by` buckets, kept inside `0..n` at its width.
    pub fn shifted(self, by: isize, n: usize) -> Span {
        let width = self.hi - self.lo;
        let last_lo = n.saturating_sub(width + 1);
        let lo = self.lo.saturating_add_signed(by).min(last_lo);
        Span { lo, hi: lo + width }
    }

    /// The span with its right edge moved by `by` buckets (at least one bucket wide).
    pub fn resized(self, by: isize, n: usize) -> Span {
        let hi = self
            .hi
            .saturating_add_signed(by)
            .clamp(self.lo, n.saturating_sub(1).max(self.lo));
        Span { lo: self.lo, hi }
    }

    /// How many buckets one key press moves: about a sixtieth of the histogram.
    pub fn stride(n: usize) -> isize {
        (n / 60).max(1) as isize
    }
}

/// `HH:MM:SS`, with the date when the range crosses days.
fn clock(t: i64, zone: FixedOffset, with_date: bool) -> String {
    let fmt = if with_date {
        "%m-%d %H:%M:%S"
    } else {
        "%H:%M:%S"
    };
    DateTime::from_timestamp_nanos(t)
        .with_timezone(&zone)
        .format(fmt)
        .to_string()
}

/// `09:30:00 – 09:37:30` in the user's zone.
pub fn span_label(start_ns: i64, end_ns: i64, zone: FixedOffset) -> String {
    let days = end_ns - start_ns >= 86_400_000_000_000;
    format!(
        "{} – {}",
        clock(start_ns, zone, days),
        clock(end_ns, zone, days)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Labels, Point, Series};

    #[test]
    fn matrix_to_buckets() {
        let s = 1_000_000_000;
        let mut l = Labels::new();
        l.insert("level".into(), "error".into());
        let m = MetricResult::Matrix(vec![Series {
            metric: l,
            points: vec![
                Point {
                    t_ms: 10_000,
                    v: 3.0,
                },
                Point {
                    t_ms: 20_000,
                    v: 1.0,
                },
            ],
        }]);
        let v = Volume::from_metric(&m, 0, 20 * s, 10 * s);
        assert_eq!(v.counts.len(), 2);
        assert_eq!(v.counts[0][0], 3);
        assert_eq!(v.counts[1][0], 1);
        assert_eq!(v.total(), 4);
    }

    #[test]
    fn spans_move_and_resize_inside_the_histogram() {
        let s = Span::initial(120);
        assert_eq!(s, Span { lo: 52, hi: 66 });
        assert_eq!(s.shifted(-2, 120), Span { lo: 50, hi: 64 });
        // clamped at both ends, keeping the width
        assert_eq!(s.shifted(-100, 120), Span { lo: 0, hi: 14 });
        assert_eq!(s.shifted(100, 120), Span { lo: 105, hi: 119 });
        assert_eq!(s.resized(5, 120), Span { lo: 52, hi: 71 });
        assert_eq!(s.resized(-100, 120), Span { lo: 52, hi: 52 });
        assert_eq!(s.resized(100, 120), Span { lo: 52, hi: 119 });
        assert_eq!(Span::initial(1), Span { lo: 0, hi: 0 });
        assert_eq!(Span::stride(120), 2);
        // buckets of 10 s from 0 to 95 s: the last bucket is cut at the range's end
        let v = Volume::empty(0, 95_000_000_000, 10_000_000_000);
        assert_eq!(v.counts.len(), 10);
        let s = 1_000_000_000;
        assert_eq!(v.span_range(Span { lo: 2, hi: 3 }), (20 * s, 40 * s));
        assert_eq!(v.span_range(Span { lo: 9, hi: 9 }), (90 * s, 95 * s));
    }

    #[test]
    fn query_wraps_log_query_only() {
        assert_eq!(
            volume_query("{app=\"a\"} | json", 60_000_000_000).as_deref(),
            Some(
                "sum by (level) (count_over_time({app=\"a\"} | json | drop __error__, __error_details__ [60s]))"
            )
        );
        assert_eq!(
            volume_query("{app=\"a\"}", 60_000_000_000).as_deref(),
            Some("sum by (level) (count_over_time({app=\"a\"} [60s]))")
        );
        assert_eq!(volume_query("rate({a=\"b\"}[1m])", 1), None);
    }
}
