//! A range aggregation's points, produced one step at a time: memory holds the series'
//! samples and a cursor per series, never a value per (series, step) — a high-cardinality
//! `sum by (x) (count_over_time(… | json [1h]))` at a 1 s step would need 3,600 per series.

use std::collections::BTreeSet;

use super::eval::RangePlan;
use super::extract::SeriesSamples;
use super::range_fn::{RangeOp, apply};
use crate::logql::LogqlError;
use crate::model::Labels;

/// Where one series stands on the step grid.
struct Cursor {
    /// The first and past-the-last step whose window can hold one of its samples.
    first: usize,
    end: usize,
    /// The window's sample range at the last step looked at.
    lo: usize,
    hi: usize,
}

/// The series of one range aggregation, evaluated step by step in ascending order.
pub(super) struct RangeTable {
    op: RangeOp,
    range_ns: i64,
    offset_ns: i64,
    set: Vec<SeriesSamples>,
    cursors: Vec<Cursor>,
    /// Series indices by first step.
    by_first: Vec<usize>,
    started: usize,
    /// Series whose step span covers the current step, in series order.
    active: BTreeSet<usize>,
}

impl RangeTable {
    /// The table of a range aggregation's series (sorted by labels, samples by time) over
    /// the step grid (`steps` ascending, ns).
    /// `folded`: each sample adds up lines (see `Extractor::add`): a count is their sum.
    pub fn new(r: &RangePlan, set: Vec<SeriesSamples>, steps: &[i64], folded: bool) -> Self {
        let cursors: Vec<Cursor> = set
            .iter()
            .map(|s| match (s.samples.first(), s.samples.last()) {
                (Some(f), Some(l)) => Cursor {
                    // Steps whose window (t - off - range, t - off] can hold a sample.
                    first: steps.partition_point(|&t| t - r.offset_ns < f.0),
                    end: steps.partition_point(|&t| t - r.offset_ns - r.range_ns < l.0),
                    lo: 0,
                    hi: 0,
                },
                _ => Cursor {
                    first: 0,
                    end: 0,
                    lo: 0,
                    hi: 0,
                },
            })
            .collect();
        let mut by_first: Vec<usize> = (0..set.len())
            .filter(|&k| cursors[k].first < cursors[k].end)
            .collect();
        by_first.sort_by_key(|&k| cursors[k].first);
        Self {
            op: match r.op {
                RangeOp::Count if folded => RangeOp::Sum,
                op => op,
            },
            range_ns: r.range_ns,
            offset_ns: r.offset_ns,
            set,
            cursors,
            by_first,
            started: 0,
            active: BTreeSet::new(),
        }
    }

    /// The labels of series `k`.
    pub fn labels(&self, k: usize) -> &Labels {
        &self.set[k].labels
    }

    /// The points at step `i` (time `t`), as (series, value); steps must come in ascending
    /// order. An errored series fails the query once it reaches the aggregation, except for
    /// absent_over_time, where Loki counts errored lines as present.
    pub fn step(&mut self, i: usize, t: i64) -> Result<Vec<(usize, f64)>, LogqlError> {
        while let Some(&k) = self.by_first.get(self.started) {
            if self.cursors[k].first > i {
                break;
            }
            self.active.insert(k);
            self.started += 1;
        }
        let cursors = &self.cursors;
        self.active.retain(|&k| cursors[k].end > i);
        let (w_lo, w_hi) = (t - self.offset_ns - self.range_ns, t - self.offset_ns);
        let mut out = Vec::new();
        for &k in &self.active {
            let s = &self.set[k];
            let c = &mut self.cursors[k];
            while c.lo < s.samples.len() && s.samples[c.lo].0 <= w_lo {
                c.lo += 1;
            }
            c.hi = c.hi.max(c.lo);
            while c.hi < s.samples.len() && s.samples[c.hi].0 <= w_hi {
                c.hi += 1;
            }
            if c.hi > c.lo {
                if let (Some(e), false) = (&s.error, self.op == RangeOp::Absent) {
                    return Err(e.clone());
                }
                let v = apply(self.op, &s.samples[c.lo..c.hi], self.range_ns, w_hi);
                out.push((k, v));
            }
        }
        Ok(out)
    }
}
