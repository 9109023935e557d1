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
use super::extract::{CHUNK, SeriesSet};
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
}

/// A metric plan being sampled on a step grid (a range query's, or one instant).
#[derive(Debug)]
pub struct Sampling<'p> {
    pub(super) plan: &'p Plan,
    ranges: Vec<&'p RangePlan>,
    covers: Vec<Coverage>,
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
        Self {
            plan,
            ranges,
            covers,
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
        for ((r, c), part) in self.ranges.iter().zip(&self.covers).zip(&mut set.parts) {
            if c.holds(e.ts) {
                r.extractor.add(part, e);
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
        self.ranges
            .iter()
            .zip(parts)
            .map(|(r, p)| RangeTable::new(r, p.into_series(), &self.steps))
            .collect()
    }
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
                // The same by search, as for a grid that is not uniform.
                c.step = None;
                for ts in (-200..200).map(|k| k * S / 2) {
                    let want = naive(steps, range, offset, ts);
                    assert_eq!(c.holds(ts), want, "search {steps:?} {range} {offset} {ts}");
                }
            }
        }
    }
}
