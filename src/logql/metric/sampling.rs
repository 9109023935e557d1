//! Sampling a metric query one entry at a time, so a scan never holds the entries themselves:
//! each range aggregation keeps only its series' labels and `(ts, value)` samples, and only
//! for entries that some step's window `(t - offset - range, t - offset]` holds (at a 6 h step
//! and a 5 m range, 1 line in 72; the others are never run through the pipeline).
//!
//! Sets of samples gathered in parallel (chunks of entries, blocks of a file) are merged in
//! input order ([`SampleSet::absorb`]); each series is sorted by time at the end, so lines out
//! of time order in a file give what sorting the entries first gave.

use rayon::prelude::*;

use super::eval::{Plan, RangePlan};
use super::extract::{CHUNK, FoldKey, SeriesSet};
use super::range_fn::RangeOp;
use super::table::RangeTable;
use crate::model::{Labels, LogEntry};

/// Which timestamps the windows of one range aggregation hold on a step grid.
#[derive(Debug, Clone)]
struct Coverage {
    first: i64,
    /// The grid's spacing when uniform (Loki's grid always is); else the steps are searched.
    step: Option<i64>,
    steps: Vec<i64>,
    offset_ns: i64,
    range_ns: i64,
}

impl Coverage {
    fn new(steps: &[i64], offset_ns: i64, range_ns: i64) -> Self {
        let step = match steps {
            [] | [_] => Some(1),
            [a, b, ..] => {
                let d = b - a;
                (d > 0 && steps.windows(2).all(|w| w[1] - w[0] == d)).then_some(d)
            }
        };
        Self {
            first: steps.first().copied().unwrap_or(0),
            step,
            steps: steps.to_vec(),
            offset_ns,
            range_ns,
        }
    }

    /// Whether some step's window `(t - offset - range, t - offset]` holds `ts`: the first
    /// step at or after `ts + offset` must come before `ts + offset + range`.
    fn holds(&self, ts: i64) -> bool {
        let (ts, off, range) = (
            i128::from(ts),
            i128::from(self.offset_ns),
            i128::from(self.range_ns),
        );
        let u = ts + off;
        let t = match self.step {
            Some(step) => {
                let (first, step) = (i128::from(self.first), i128::from(step));
                let d = u - first;
                let i = if d <= 0 { 0 } else { (d + step - 1) / step };
                if i >= self.steps.len() as i128 {
                    return false;
                }
                first + i * step
            }
            None => {
                let i = self.steps.partition_point(|&t| i128::from(t) < u);
                match self.steps.get(i) {
                    Some(&t) => i128::from(t),
                    None => return false,
                }
            }
        };
        t - off - range < ts
    }

    /// The first and last step whose window holds `ts` (which some window must hold).
    fn key(&self, ts: i64) -> FoldKey {
        let (ts, off, range) = (
            i128::from(ts),
            i128::from(self.offset_ns),
            i128::from(self.range_ns),
        );
        // The index of the first step at or after `u`.
        let at_or_after = |u: i128| -> i128 {
            match self.step {
                Some(step) => {
                    let d = u - i128::from(self.first);
                    let step = i128::from(step);
                    if d <= 0 { 0 } else { (d + step - 1) / step }
                }
                None => self.steps.partition_point(|&t| i128::from(t) < u) as i128,
            }
        };
        let first = at_or_after(ts + off);
        let last = at_or_after(ts + off + range) - 1;
        let clamp = |i: i128| i.clamp(-1, self.steps.len() as i128 - 1) as i64;
        (clamp(first), clamp(last))
    }
}

/// A metric plan being sampled on a step grid (a range query's, or one instant).
#[derive(Debug)]
pub struct Sampling<'p> {
    pub(super) plan: &'p Plan,
    ranges: Vec<&'p RangePlan>,
    covers: Vec<Coverage>,
    /// Per range aggregation, whether its samples are folded (see [`Extractor::add`]).
    ///
    /// [`Extractor::add`]: super::extract::Extractor::add
    folds: Vec<bool>,
    pub(super) steps: Vec<i64>,
    /// An instant query (`/query`): a vector or scalar, not a matrix.
    pub(super) instant: bool,
}

/// The samples gathered so far, per range aggregation of the plan.
#[derive(Debug, Default)]
pub struct SampleSet {
    parts: Vec<SeriesSet>,
}

impl SampleSet {
    /// Appends the samples of entries that come after this set's in the input.
    pub fn absorb(&mut self, later: SampleSet) {
        if self.parts.is_empty() {
            *self = later;
            return;
        }
        for (a, b) in self.parts.iter_mut().zip(later.parts) {
            a.absorb(b);
        }
    }

    /// How many samples the set holds.
    pub fn samples(&self) -> usize {
        self.parts.iter().map(SeriesSet::samples).sum()
    }
}

impl<'p> Sampling<'p> {
    pub(super) fn new(plan: &'p Plan, steps: Vec<i64>, instant: bool) -> Self {
        let ranges = plan.ranges();
        let covers = ranges
            .iter()
            .map(|r| Coverage::new(&steps, r.offset_ns, r.range_ns))
            .collect();
        let folds = ranges.iter().map(|r| folds(r)).collect();
        Self {
            plan,
            ranges,
            covers,
            folds,
            steps,
            instant,
        }
    }

    /// Whether an entry at `ts` can contribute to any window (else it need not be read).
    pub fn wants(&self, ts: i64) -> bool {
        self.covers.iter().any(|c| c.holds(ts))
    }

    /// Whether any range aggregation's stream selector takes this stream.
    pub fn matches_stream(&self, labels: &Labels) -> bool {
        self.ranges
            .iter()
            .any(|r| r.extractor.source.matches_stream(labels))
    }

    /// An empty set of samples for this plan.
    pub fn set(&self) -> SampleSet {
        SampleSet {
            parts: self.ranges.iter().map(|_| SeriesSet::default()).collect(),
        }
    }

    /// Runs each range aggregation whose windows hold the entry on it, keeping its sample.
    pub fn add(&self, set: &mut SampleSet, e: &LogEntry) {
        if set.parts.len() != self.ranges.len() {
            *set = self.set();
        }
        let ranges = self.ranges.iter().zip(&self.covers).zip(&self.folds);
        for (((r, c), fold), part) in ranges.zip(&mut set.parts) {
            if c.holds(e.ts) {
                r.extractor.add(part, e, fold.then(|| c.key(e.ts)));
            }
        }
    }

    /// Samples entries held in memory, in parallel chunks (any order; input order on ties).
    pub fn add_all(&self, entries: &[LogEntry]) -> SampleSet {
        let parts: Vec<SampleSet> = entries
            .par_chunks(CHUNK)
            .map(|c| {
                let mut set = self.set();
                for e in c {
                    self.add(&mut set, e);
                }
                set
            })
            .collect();
        let mut all = self.set();
        for p in parts {
            all.absorb(p);
        }
        all
    }

    /// The range tables the step evaluation reads, one per range aggregation, in plan order.
    pub(super) fn tables(&self, set: SampleSet) -> Vec<RangeTable> {
        let mut parts = set.parts;
        parts.resize_with(self.ranges.len(), SeriesSet::default);
        let ranges = self.ranges.iter().zip(&self.covers).zip(&self.folds);
        ranges
            .zip(parts)
            .map(|(((r, c), &fold), p)| {
                let key = |ts: i64| c.key(ts);
                let series = p.into_series(fold.then_some(&key as &dyn Fn(i64) -> FoldKey));
                RangeTable::new(r, series, &self.steps, fold)
            })
            .collect()
    }
}

/// Whether a range aggregation's samples can be folded: whole numbers (1 per line, or the
/// line's bytes) that the function only sums, so adding them early changes no result.
fn folds(r: &RangePlan) -> bool {
    !r.extractor.source.unwraps()
        && matches!(
            r.op,
            RangeOp::Count | RangeOp::Rate | RangeOp::Bytes | RangeOp::BytesRate
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000_000;

    /// The windows, written out: the reference `holds` is checked against.
    fn naive(steps: &[i64], range: i64, offset: i64, ts: i64) -> bool {
        steps
            .iter()
            .any(|&t| t - offset - range < ts && ts <= t - offset)
    }

    #[test]
    fn coverage_matches_the_windows_written_out() {
        let grids: [&[i64]; 4] = [
            &[0, 30 * S, 60 * S, 90 * S],
            &[100 * S],
            &[-60 * S, 0, 60 * S],
            &[0, 10 * S, 30 * S],
        ];
        for steps in grids {
            for (range, offset) in [
                (5 * S, 0),
                (30 * S, 0),
                (60 * S, 0),
                (90 * S, 0),
                (5 * S, 20 * S),
                (10 * S, -15 * S),
            ] {
                let mut c = Coverage::new(steps, offset, range);
                for ts in (-200..200).map(|k| k * S / 2).chain([1, -1, 30 * S + 1]) {
                    let want = naive(steps, range, offset, ts);
                    assert_eq!(c.holds(ts), want, "{steps:?} {range} {offset} {ts}");
                }
                for ts in (-200..200).map(|k| k * S / 2) {
                    if c.holds(ts) {
                        let (a, b) = c.key(ts);
                        let held: Vec<i64> = (0..steps.len() as i64)
                            .filter(|&i| {
                                let t = steps[i as usize];
                                t - offset - range < ts && ts <= t - offset
                            })
                            .collect();
                        assert_eq!(held, (a..=b).collect::<Vec<_>>(), "{steps:?} {ts}");
                    }
                }
                // The same by search, as for a grid that is not uniform.
                c.step = None;
                for ts in (-200..200).map(|k| k * S / 2) {
                    let want = naive(steps, range, offset, ts);
                    assert_eq!(c.holds(ts), want, "search {steps:?} {range} {offset} {ts}");
                }
            }
        }
    }

    /// Folded samples give what counting the lines of each window gives, lines out of time
    /// order included, for ranges shorter and longer than the step, with offsets.
    #[test]
    fn folded_counts_are_the_windows_counts() {
        use crate::logql::MetricQuery;
        use crate::model::MetricResult;
        use std::sync::Arc;
        let mut rng = 0x5eed_u64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let streams: Vec<Arc<Labels>> = ["a", "b"]
            .iter()
            .map(|m| {
                Arc::new(
                    [
                        ("app".to_string(), "x".to_string()),
                        ("m".to_string(), m.to_string()),
                    ]
                    .into_iter()
                    .collect(),
                )
            })
            .collect();
        let entries: Vec<LogEntry> = (0..3000)
            .map(|_| {
                let ts = (next() % 600) as i64 * S / 2;
                let s = &streams[(next() % 2) as usize];
                LogEntry::new(ts, Arc::clone(s), "x".repeat((next() % 9) as usize + 1))
            })
            .collect();
        for (range, offset) in ["[7s]", "[30s]", "[95s]", "[20s] offset 15s"]
            .iter()
            .zip(0..)
        {
            for (op, bytes) in [("count_over_time", false), ("bytes_over_time", true)] {
                let q = format!("{op}({{app=\"x\"}}{range})");
                let m = MetricQuery::compile(&q).unwrap();
                assert!(
                    m.range_sampling(0, 300 * S, 10_000).unwrap().folds[0],
                    "{q}"
                );
                for step_ms in [10_000, 3_000, 60_000] {
                    let Ok(MetricResult::Matrix(got)) = m.eval_range(&entries, 0, 300 * S, step_ms)
                    else {
                        panic!("{q}")
                    };
                    let (r_ns, off_ns) = match offset {
                        0 => (7 * S, 0),
                        1 => (30 * S, 0),
                        2 => (95 * S, 0),
                        _ => (20 * S, 15 * S),
                    };
                    for series in &got {
                        for p in &series.points {
                            let t = p.t_ms * 1_000_000 - off_ns;
                            let want: f64 = entries
                                .iter()
                                .filter(|e| {
                                    *e.labels == series.metric && t - r_ns < e.ts && e.ts <= t
                                })
                                .map(|e| if bytes { e.line.len() as f64 } else { 1.0 })
                                .sum();
                            assert_eq!(p.v, want, "{q} step {step_ms} at {}", p.t_ms);
                        }
                    }
                    let points: usize = got.iter().map(|s| s.points.len()).sum();
                    assert!(points > 0, "{q}");
                }
            }
        }
        // Held samples: about one per window and series, not one per line.
        let m = MetricQuery::compile(r#"count_over_time({app="x"}[10s])"#).unwrap();
        let sampling = m.range_sampling(0, 300 * S, 10_000).unwrap();
        let mut sorted = entries.clone();
        sorted.sort_by_key(|e| e.ts);
        let set = sampling.add_all(&sorted);
        assert!(set.samples() <= 2 * 32, "{}", set.samples());
    }
}
