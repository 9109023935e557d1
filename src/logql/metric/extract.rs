//! Sample extraction: runs one log range's pipeline over raw entries and groups what survives
//! into series of samples — 1 per line, the line's byte length, or an unwrapped label's value.

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::Arc;

use rayon::prelude::*;

use super::labels::Grouping;
use crate::logql::LogqlError;
use crate::model::{Labels, LogEntry};

/// What one entry yields for a range aggregation.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Every label after the pipeline, minus the unwrapped label.
    pub labels: Labels,
    /// The unwrapped value, or 1 without `unwrap`.
    pub value: f64,
    /// Byte length of the final line.
    pub line_bytes: f64,
    /// The unwrapped label and value, kept in the series only by a `by` naming it (Loki).
    pub unwrapped: Option<(String, String)>,
}

/// The per-entry pipeline of one log range (selector, stages, unwrap), as metric evaluation
/// needs it.
pub trait SampleSource: Debug + Send + Sync {
    /// Whether a stream's labels satisfy the selector.
    fn matches_stream(&self, labels: &Labels) -> bool;
    /// Cheap test on the raw line (leading line filters); `true` means "maybe".
    fn line_prefilter(&self, line: &str) -> bool;
    /// Runs the pipeline on one entry: `None` when dropped, `Some(Err)` when the entry still
    /// carries `__error__` (Loki's `pipeline error`, raised if it reaches an aggregation).
    fn sample(&self, entry: &LogEntry) -> Option<Result<Sample, LogqlError>>;
    /// Whether samples carry an unwrapped value (else each is 1, or the line's bytes).
    fn unwraps(&self) -> bool;
    /// [`Self::sample`] with its labels already narrowed to `by` (what `Grouping::apply` keeps
    /// of them, the unwrapped label included) and `unwrapped` taken into them; sources that can
    /// read single labels avoid building every line's full set.
    fn sample_by(&self, entry: &LogEntry, by: &Grouping) -> Option<Result<Sample, LogqlError>> {
        Some(self.sample(entry)?.map(|mut s| {
            if let Some((k, v)) = s.unwrapped.take() {
                s.labels.insert(k, v);
            }
            s.labels = by.apply(&s.labels);
            s
        }))
    }
    /// [`Self::sample_by`] writing the labels into `out` (sorted by name, replacing what it
    /// held; a source may reuse its strings), giving the value and the line's bytes.
    fn sample_by_into(
        &self,
        entry: &LogEntry,
        by: &Grouping,
        out: &mut Vec<(String, String)>,
    ) -> Option<Result<(f64, f64), LogqlError>> {
        Some(self.sample_by(entry, by)?.map(|s| {
            out.clear();
            out.extend(s.labels);
            (s.value, s.line_bytes)
        }))
    }
    /// A copy whose [`Self::sample_by`] with `by` is faster (it computes only what it reads),
    /// if the source has such a mode.
    fn narrowed(&self, _by: &Grouping) -> Option<Arc<dyn SampleSource>> {
        None
    }
}

/// One series: its labels, samples sorted by time, and the error it stands for, if any.
#[derive(Debug, Clone)]
pub struct SeriesSamples {
    pub labels: Labels,
    pub samples: Vec<(i64, f64)>,
    pub error: Option<LogqlError>,
}

/// How one range aggregation gets its samples.
#[derive(Debug, Clone)]
pub struct Extractor {
    pub source: Arc<dyn SampleSource>,
    /// `by`/`without` of an unwrap-based range aggregation.
    pub grouping: Option<Grouping>,
    /// Samples are line byte lengths (`bytes_over_time`, `bytes_rate`).
    pub bytes: bool,
}

/// Entries per parallel chunk: big enough to amortise the merge, small enough to spread work.
pub(super) const CHUNK: usize = 16_384;

/// The series of one range aggregation found so far (in a chunk of entries, a block of a file,
/// or all of them), in first-seen order: only labels and `(ts, value)` pairs, never entries.
#[derive(Debug, Default)]
pub struct SeriesSet {
    index: HashMap<Labels, usize>,
    errors: HashMap<String, usize>,
    series: Vec<SeriesSamples>,
    /// The last stream seen and the selector's verdict on it (consecutive entries of a
    /// stream share their `Arc`; holding it keeps the pointer from being reused).
    last_stream: Option<(Arc<Labels>, bool)>,
    /// Samples held.
    count: usize,
    /// Per series, the fold key of its last sample (see [`Extractor::add`]).
    last_key: Vec<Option<FoldKey>>,
    /// The series [`SeriesSet::slot`] gave last.
    last_slot: Option<usize>,
    /// The labels of the sample being added (see [`SampleSource::sample_by_into`]).
    scratch: Vec<(String, String)>,
}

/// Which step windows hold a sample (the first and last step's index): samples with the same
/// key are in exactly the same windows, so a sum over any window adds them all or none.
pub type FoldKey = (i64, i64);

impl SeriesSet {
    fn slot(&mut self, labels: Labels) -> usize {
        // Neighbouring lines mostly share a series: compare with the last one before hashing.
        if let Some(k) = self.last_slot
            && self.series[k].error.is_none()
            && self.series[k].labels == labels
        {
            return k;
        }
        let k = self.find_or_add(labels);
        self.last_slot = Some(k);
        k
    }

    /// The slot of the labels in `scratch` (a map is built only for a series not seen last).
    fn slot_of_scratch(&mut self) -> usize {
        if let Some(k) = self.last_slot {
            let s = &self.series[k];
            let same = s.error.is_none()
                && s.labels.len() == self.scratch.len()
                && s.labels
                    .iter()
                    .zip(&self.scratch)
                    .all(|(a, b)| a.0 == &b.0 && a.1 == &b.1);
            if same {
                return k;
            }
        }
        let labels = self.scratch.iter().cloned().collect();
        self.slot(labels)
    }

    fn find_or_add(&mut self, labels: Labels) -> usize {
        if let Some(&k) = self.index.get(&labels) {
            return k;
        }
        self.index.insert(labels.clone(), self.series.len());
        self.series.push(SeriesSamples {
            labels,
            samples: Vec::new(),
            error: None,
        });
        self.last_key.push(None);
        self.series.len() - 1
    }

    fn error_slot(&mut self, err: LogqlError) -> usize {
        if let Some(&k) = self.errors.get(&err.message) {
            return k;
        }
        self.errors.insert(err.message.clone(), self.series.len());
        self.series.push(SeriesSamples {
            labels: Labels::new(),
            samples: Vec::new(),
            error: Some(err),
        });
        self.last_key.push(None);
        self.series.len() - 1
    }

    /// Appends the series of entries that come after this set's (in input order): a
    /// series' samples stay in input order.
    pub fn absorb(&mut self, later: SeriesSet) {
        if self.series.is_empty() {
            let last = self.last_stream.take();
            *self = later;
            self.last_stream = self.last_stream.take().or(last);
            return;
        }
        for s in later.series {
            let k = match s.error {
                Some(e) => self.error_slot(e),
                None => self.slot(s.labels),
            };
            self.series[k].samples.extend(s.samples);
            self.last_key[k] = None;
        }
        self.count += later.count;
    }

    /// How many samples the set holds (for progress reports).
    pub fn samples(&self) -> usize {
        self.count
    }

    /// The series sorted by labels, each one's samples sorted by time (input order on ties,
    /// so lines out of time order in a file land where a sort of the entries would put them).
    /// With `fold`, neighbours with the same key are then added up (see [`Extractor::add`]).
    pub fn into_series(self, fold: Option<&dyn Fn(i64) -> FoldKey>) -> Vec<SeriesSamples> {
        let mut series = self.series;
        for s in &mut series {
            if !s.samples.is_sorted_by_key(|x| x.0) {
                s.samples.sort_by_key(|x| x.0);
            }
            if let Some(key) = fold {
                s.samples.dedup_by(|later, kept| {
                    let same = key(later.0) == key(kept.0);
                    if same {
                        kept.1 += later.1;
                    }
                    same
                });
            }
        }
        series.sort_by(|a, b| a.labels.cmp(&b.labels));
        series
    }
}

impl Extractor {
    /// Extracts the series from entries (sorted by ts) with `lo < ts <= hi`, sorted by labels.
    /// Errored entries form their own series (one per error text) carrying the error. Chunks
    /// of entries run in parallel.
    pub fn extract(&self, entries: &[LogEntry], lo: i64, hi: i64) -> Vec<SeriesSamples> {
        let start = entries.partition_point(|e| e.ts <= lo);
        let end = entries.partition_point(|e| e.ts <= hi).max(start);
        let partials: Vec<SeriesSet> = entries[start..end]
            .par_chunks(CHUNK)
            .map(|c| {
                let mut out = SeriesSet::default();
                for e in c {
                    self.add(&mut out, e, None);
                }
                out
            })
            .collect();
        let mut all = SeriesSet::default();
        for p in partials {
            all.absorb(p);
        }
        all.into_series(None)
    }

    /// Runs the pipeline on one entry and adds its sample, if any, to its series in `out`.
    ///
    /// With a fold key (only for whole-number samples summed over windows: `count_over_time`,
    /// `rate` and `bytes_*` without unwrap), a sample whose key equals its series' last one is
    /// added to it instead of kept: whole numbers add up exactly in any order, so a series
    /// holds about one sample per window, not one per line.
    pub fn add(&self, out: &mut SeriesSet, e: &LogEntry, fold: Option<FoldKey>) {
        let stream_ok = match &out.last_stream {
            Some((labels, ok)) if Arc::ptr_eq(labels, &e.labels) => *ok,
            _ => {
                let ok = self.source.matches_stream(&e.labels);
                out.last_stream = Some((Arc::clone(&e.labels), ok));
                ok
            }
        };
        if !stream_ok || !self.source.line_prefilter(&e.line) {
            return;
        }
        let by = self.grouping.as_ref().filter(|g| !g.without);
        let (k, value) = if let Some(g) = by {
            match self.source.sample_by_into(e, g, &mut out.scratch) {
                None => return,
                Some(Ok((value, line_bytes))) => {
                    let value = if self.bytes { line_bytes } else { value };
                    (out.slot_of_scratch(), value)
                }
                Some(Err(err)) => (out.error_slot(err), 0.0),
            }
        } else {
            match self.source.sample(e) {
                None => return,
                Some(Ok(s)) => {
                    let value = if self.bytes { s.line_bytes } else { s.value };
                    let labels = match &self.grouping {
                        Some(g) => g.apply(&s.labels),
                        None => s.labels,
                    };
                    (out.slot(labels), value)
                }
                Some(Err(err)) => (out.error_slot(err), 0.0),
            }
        };
        let samples = &mut out.series[k].samples;
        match (fold, samples.last_mut()) {
            (Some(key), Some(last)) if out.last_key[k] == Some(key) => last.1 += value,
            _ => {
                samples.push((e.ts, value));
                out.last_key[k] = fold;
                out.count += 1;
            }
        }
    }
}

#[cfg(test)]
#[path = "extract_tests.rs"]
pub(crate) mod tests;
