//! The log-volume histogram's data: counts per time bucket and level, from Loki's
//! `sum by (level) (count_over_time(…))` or counted from the loaded lines.

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

/// A step giving about `buckets` buckets over the range, at least 1 s.
pub fn step_for(start_ns: i64, end_ns: i64, buckets: i64) -> i64 {
    ((end_ns - start_ns) / buckets.max(1)).max(1_000_000_000)
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

    pub fn max_bucket(&self) -> u64 {
        self.counts
            .iter()
            .map(|c| c.iter().sum::<u64>())
            .max()
            .unwrap_or(0)
    }
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
