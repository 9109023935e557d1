//! Running a metric query over local inputs without holding its entries: each block's lines
//! go straight into the query's samples ([`Sampling`]) on the worker that reads the block, and
//! the blocks' samples are merged in file order. Memory follows the samples the windows need
//! (labels and `(ts, value)` per series), not the input: before, every entry of the query's
//! span was kept, line and labels, until the evaluation (1.27 GB for a 314 MB file).
//!
//! Per line, cheapest test first: the time (does any step's window hold it?), then the stream
//! (once per stream and block), and only then the pipeline.

use std::sync::Arc;

use crate::logql::metric::{SampleSet, Sampling};
use crate::model::{Labels, LogEntry};

use super::SourceError;
use super::line::{Fast, classify_fast};
use super::reader::Data;
use super::record;
use super::scan::{self, Carry, Counts, Resolver, Stamp};
use super::streams::Streams;

/// Where a metric scan's lines go (a trait so the scan is testable without an engine).
pub(crate) trait MetricSink: Sync {
    /// What one block gathers.
    type Part: Send;
    fn part(&self) -> Self::Part;
    /// Whether a line at `ts` can count: lines it refuses are never turned into entries.
    fn wants(&self, ts: i64) -> bool;
    /// Whether a stream can count (asked once per stream and block).
    fn stream(&self, labels: &Labels) -> bool;
    fn add(&self, part: &mut Self::Part, entry: &LogEntry);
    /// Appends a later block's part.
    fn absorb(&self, into: &mut Self::Part, later: Self::Part);
    /// How much a part holds, for progress reports.
    fn size(&self, part: &Self::Part) -> usize;
}

impl MetricSink for Sampling<'_> {
    type Part = SampleSet;
    fn part(&self) -> SampleSet {
        self.set()
    }
    fn wants(&self, ts: i64) -> bool {
        Sampling::wants(self, ts)
    }
    fn stream(&self, labels: &Labels) -> bool {
        self.matches_stream(labels)
    }
    fn add(&self, part: &mut SampleSet, entry: &LogEntry) {
        Sampling::add(self, part, entry);
    }
    fn absorb(&self, into: &mut SampleSet, later: SampleSet) {
        into.absorb(later);
    }
    fn size(&self, part: &SampleSet) -> usize {
        part.samples()
    }
}

/// What a block contributes: its lines' samples, and the untimed lines whose time depends on
/// earlier blocks as byte ranges into a copy of the block's head, sampled at merge time once
/// their time is known (issue 12.3).
struct BlockOut<P> {
    part: P,
    head: Vec<u8>,
    pending: Vec<(Stamp, u32, u32)>,
    tail: Stamp,
    lines: u64,
}

/// Feeds lines to a sink through one reused entry per stream (no allocation per line once
/// their buffers have grown, also when neighbouring lines alternate between streams).
struct Feeder<'a, S: MetricSink> {
    sink: &'a S,
    streams: Streams<'a>,
    /// By stream slot.
    entries: Vec<Option<LogEntry>>,
}

impl<'a, S: MetricSink> Feeder<'a, S> {
    fn new(sink: &'a S, app: &'a str) -> Self {
        Self {
            sink,
            streams: Streams::new(app),
            entries: Vec::new(),
        }
    }

    /// Adds a line (a record `text` whose first line is classified as `f`) at time `ts`.
    fn line(&mut self, part: &mut S::Part, f: &Fast<'_>, text: &str, ts: i64) {
        let sink = self.sink;
        let i = self.streams.index_of(f);
        let slot = self.streams.slot_at(i);
        if !*slot
            .matches
            .get_or_insert_with(|| sink.stream(&slot.labels))
        {
            return;
        }
        let body = &text[f.body_start..];
        if self.entries.len() <= i {
            self.entries.resize_with(i + 1, || None);
        }
        let e = match &mut self.entries[i] {
            Some(e) => {
                e.line.clear();
                e.line.push_str(body);
                e
            }
            other => {
                let mut e = LogEntry::new(ts, Arc::clone(&slot.labels), body);
                e.metadata = slot.metadata.clone();
                other.insert(e)
            }
        };
        e.ts = ts;
        sink.add(part, e);
    }
}

fn metric_block<S: MetricSink>(block: &[u8], sink: &S, app: &str) -> BlockOut<S::Part> {
    let mut feeder = Feeder::new(sink, app);
    let mut part = sink.part();
    let mut resolver = Resolver::default();
    let mut pending = Vec::new();
    let mut head_end = 0;
    let mut lines = 0;
    for r in record::records(block) {
        lines += r.ext.nonblank as u64;
        let f = classify_fast(r.first());
        let ts = match f.ts_ns {
            Some(ts) => ts,
            None => match resolver.stamp(block, r.ext.start) {
                Stamp::After { ts, k } => ts.saturating_add(k),
                stamp @ Stamp::Pending { .. } => {
                    // The raw bytes' range (the text may be a lossy copy of invalid UTF-8).
                    if let (Ok(s), Ok(e)) = (u32::try_from(r.ext.start), u32::try_from(r.ext.end)) {
                        pending.push((stamp, s, e));
                        head_end = r.ext.end;
                    }
                    continue;
                }
            },
        };
        if sink.wants(ts) {
            feeder.line(&mut part, &f, &r.text, ts);
        }
    }
    BlockOut {
        part,
        head: block[..head_end].to_vec(),
        pending,
        tail: resolver.tail(block),
        lines,
    }
}

/// Scans the inputs into the sink: each block on a worker, merged in input order (so a
/// series' samples are in file order, whatever their times; the sink sorts them).
pub(crate) fn scan<S: MetricSink>(
    inputs: &[(Data, i64)],
    sink: &S,
    app: &str,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> Result<(S::Part, Counts), SourceError> {
    let mut all = sink.part();
    let mut total = Counts::default();
    for (data, base_ns) in inputs {
        let mut carry = Carry { ts: *base_ns, k: 0 };
        let mut feeder = Feeder::new(sink, app);
        let work = |block: &[u8]| metric_block(block, sink, app);
        let counts = scan::for_each_block(data, &work, &mut |out: BlockOut<S::Part>| {
            sink.absorb(&mut all, out.part);
            for (stamp, s, e) in out.pending {
                let ts = carry.resolve(stamp);
                if !sink.wants(ts) {
                    continue;
                }
                let Some(bytes) = out.head.get(s as usize..e as usize) else {
                    continue;
                };
                let (text, first_len) = record::join(bytes);
                let f = classify_fast(&text[..first_len]);
                feeder.line(&mut all, &f, &text, ts);
            }
            carry.advance(out.tail);
            total.lines += out.lines;
            progress(sink.size(&all));
            true
        })?;
        total.bytes += counts.bytes;
    }
    Ok((all, total))
}

/// Loki's default step for a range query: the range / 250, in whole seconds, at least 1 s.
pub(crate) fn default_step_ms(start_ns: i64, end_ns: i64) -> i64 {
    let secs = (end_ns.saturating_sub(start_ns) / 1_000_000_000) / 250;
    secs.max(1) * 1000
}

/// The raw entries in `[lo, hi]` that `keep` accepts, sorted by time (file order on ties):
/// the scan's lines as a test sees them.
#[cfg(test)]
pub(crate) fn collect_entries(
    inputs: &[(Data, i64)],
    keep: &(dyn Fn(&Labels, &str) -> bool + Sync),
    app: &str,
    lo: i64,
    hi: i64,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> Result<(Vec<LogEntry>, Counts), SourceError> {
    struct Collect<'a> {
        keep: &'a (dyn Fn(&Labels, &str) -> bool + Sync),
        lo: i64,
        hi: i64,
    }
    impl MetricSink for Collect<'_> {
        type Part = Vec<LogEntry>;
        fn part(&self) -> Vec<LogEntry> {
            Vec::new()
        }
        fn wants(&self, ts: i64) -> bool {
            self.lo <= ts && ts <= self.hi
        }
        fn stream(&self, _: &Labels) -> bool {
            true
        }
        fn add(&self, part: &mut Vec<LogEntry>, e: &LogEntry) {
            if (self.keep)(&e.labels, &e.line) {
                part.push(e.clone());
            }
        }
        fn absorb(&self, into: &mut Vec<LogEntry>, later: Vec<LogEntry>) {
            into.extend(later);
        }
        fn size(&self, part: &Vec<LogEntry>) -> usize {
            part.len()
        }
    }
    let (mut all, counts) = scan(inputs, &Collect { keep, lo, hi }, app, progress)?;
    all.sort_by_key(|e| e.ts);
    Ok((all, counts))
}
