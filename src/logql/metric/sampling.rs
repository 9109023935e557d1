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
    #[inline]
    fn holds(&self, ts: i64) -> bool {
        self.holds_narrow(ts).unwrap_or_else(|| self.holds_wide(ts))
    }

    /// [`Self::holds`] on a uniform grid in `i64` (asked for every line); `None` when a step
    /// of the sum would overflow (then [`Self::holds_wide`] answers).
    #[inline]
    fn holds_narrow(&self, ts: i64) -> Option<bool> {
        let step = self.step?;
        let d = ts.checked_add(self.offset_ns)?.checked_sub(self.first)?;
        let i = if d <= 0 {
            0
        } else {
            d.checked_add(step - 1)? / step
        };
        if i >= self.steps.len() as i64 {
            return Some(false);
        }
        let t = self.first.checked_add(i.checked_mul(step)?)?;
        Some(t.checked_sub(self.offset_ns)?.checked_sub(self.range_ns)? < ts)
    }

    fn holds_wide(&self, ts: i64) -> bool {
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
    #[inline]
    fn key(&self, ts: i64) -> FoldKey {
        self.key_narrow(ts).unwrap_or_else(|| self.key_wide(ts))
    }

    /// [`Self::key`] on a uniform grid in `i64`; `None` on overflow.
    #[inline]
    fn key_narrow(&self, ts: i64) -> Option<FoldKey> {
        let step = self.step?;
        let at_or_after = |u: i64| -> Option<i64> {
            let d = u.checked_sub(self.first)?;
            Some(if d <= 0 {
                0
            } else {
                d.checked_add(step - 1)? / step
            })
        };
        let u = ts.checked_add(self.offset_ns)?;
        let first = at_or_after(u)?;
        let last = at_or_after(u.checked_add(self.range_ns)?)? - 1;
        let clamp = |i: i64| i.clamp(-1, self.steps.len() as i64 - 1);
        Some((clamp(first), clamp(last)))
    }

    fn key_wide(&self, ts: i64) -> FoldKey {
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
#[path = "sampling_tests.rs"]
mod tests;
