//! Running a log query over local inputs: lines stream through a bounded top-N (metric
//! queries: [`super::metric_scan`]).
//!
//! Per line, cheapest test first: the query's line filters on the raw text, then the labels
//! (derived without a JSON parse) against the stream selector (once per stream), then the time
//! range, and only then the full pipeline.

use crate::logql::LogQuery;
use crate::model::{Direction, Labels, LogEntry};

use super::SourceError;
use super::boundary;
use super::line::{classify_fast, split_compose};
use super::reader::Data;
use super::record::{self, Extent};
use super::scan::{self, Carry, Counts, Resolver, Stamp};
use super::streams::Streams;
use super::topn::TopN;

/// What a log scan needs from a compiled query (a trait so the scanner is testable alone).
pub(crate) trait LogPipeline: Sync {
    fn prefilter(&self, line: &str) -> bool;
    fn matches_stream(&self, labels: &Labels) -> bool;
    fn process(&self, entry: &LogEntry) -> Option<LogEntry>;
    /// Whether a label filter drops every line of the stream (`entry`: labels and metadata).
    fn rejects_stream(&self, _entry: &LogEntry) -> bool {
        false
    }
    /// A literal every kept line contains (a block-wide search finds the candidate lines).
    fn required_literal(&self) -> Option<&[u8]> {
        None
    }
    /// The value the `level` stream label must have for a line to be kept.
    fn required_level(&self) -> Option<&str> {
        None
    }
}

impl LogPipeline for LogQuery {
    fn prefilter(&self, line: &str) -> bool {
        self.line_prefilter(line)
    }
    fn matches_stream(&self, labels: &Labels) -> bool {
        LogQuery::matches_stream(self, labels)
    }
    fn process(&self, entry: &LogEntry) -> Option<LogEntry> {
        LogQuery::process(self, entry)
    }
    fn rejects_stream(&self, entry: &LogEntry) -> bool {
        LogQuery::rejects_stream(self, entry)
    }
    fn required_literal(&self) -> Option<&[u8]> {
        LogQuery::required_literal(self)
    }
    fn required_level(&self) -> Option<&str> {
        self.required_stream_value("level")
    }
}

/// A log query's bounds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LogBounds {
    pub start_ns: i64,
    /// Exclusive.
    pub end_ns: i64,
    pub limit: usize,
    pub direction: Direction,
}

/// What a log-query block contributes. Lines whose time depends on earlier blocks (untimed
/// lines before the block's first stamped one) are kept as offsets into a copy of the block's
/// head, and become entries only at merge time, once their time is known and the top-N can
/// say whether it wants them: memory stays bounded by `--limit`, not by the number of
/// untimed lines (100 MB of `{}` used to take 6 GB; issue 12.3).
struct LogBlockOut {
    timed: TopN,
    /// The bytes of the block up to the end of its last pending line.
    head: Vec<u8>,
    /// Per pending line: its stamp and byte range in `head`.
    pending: Vec<(Stamp, u32, u32)>,
    tail: Stamp,
    lines: u64,
}

/// The entry for a line of the scan that passed the prefilter and the stream selector, at
/// time `ts`, through the pipeline.
fn line_entry(
    text: &str,
    ts: i64,
    slot: &super::streams::Slot,
    q: &dyn LogPipeline,
) -> Option<LogEntry> {
    let (_, body_start) = split_compose(text);
    let entry = LogEntry {
        ts,
        labels: slot.labels.clone(),
        line: text[body_start..].to_string(),
        metadata: slot.metadata.clone(),
        parsed: Labels::new(),
    };
    q.process(&entry)
}

/// The timestamp of a line: its own, or derived from the lines before it.
fn stamp_of(own: Option<i64>, r: &mut Resolver, block: &[u8], start: usize) -> Stamp {
    match own {
        Some(ts) => Stamp::After { ts, k: 0 },
        None => r.stamp(block, start),
    }
}

/// One block of a log scan in progress.
struct LogScan<'a> {
    block: &'a [u8],
    q: &'a dyn LogPipeline,
    b: LogBounds,
    streams: Streams<'a>,
    resolver: Resolver,
    top: TopN,
    /// Per pending (untimed, time unknown yet) line: its stamp and byte range in the block.
    pending: Vec<(Stamp, u32, u32)>,
    /// The end of the last pending line: the block's head kept for them.
    head_end: usize,
}

impl LogScan<'_> {
    /// Runs one record through the query: `first` is its first line (labels and time come
    /// from it), `text` the whole record.
    fn record(&mut self, ext: &Extent, first: &str, text: &str) {
        let q = self.q;
        let b = self.b;
        let (_, body_start) = split_compose(text);
        let body = &text[body_start..];
        if !q.prefilter(body) {
            return;
        }
        let f = classify_fast(first);
        let slot = self.streams.slot(&f);
        let matches = match slot.matches {
            Some(m) => m,
            None => {
                let m = q.matches_stream(&slot.labels) && !q.rejects_stream(&stream_entry(slot));
                slot.matches = Some(m);
                m
            }
        };
        if !matches {
            return;
        }
        let stamp = stamp_of(f.ts_ns, &mut self.resolver, self.block, ext.start);
        let ts = match stamp {
            Stamp::After { ts, k } => ts.saturating_add(k),
            Stamp::Pending { .. } => {
                // The raw bytes' range (the text may be a lossy copy of invalid UTF-8).
                if let (Ok(s), Ok(e)) = (u32::try_from(ext.start), u32::try_from(ext.end)) {
                    self.pending.push((stamp, s, e));
                    self.head_end = ext.end;
                }
                return;
            }
        };
        if ts < b.start_ns || ts >= b.end_ns || !self.top.could_take(ts) {
            return;
        }
        if let Some(out) = line_entry(text, ts, slot, q) {
            self.top.push(out);
        }
    }
}

/// A line-less entry of a stream, for the per-stream verdict of label filters.
fn stream_entry(slot: &super::streams::Slot) -> LogEntry {
    LogEntry {
        ts: 0,
        labels: slot.labels.clone(),
        line: String::new(),
        metadata: slot.metadata.clone(),
        parsed: Labels::new(),
    }
}

fn log_block(block: &[u8], q: &dyn LogPipeline, app: &str, b: LogBounds) -> LogBlockOut {
    let mut scan = LogScan {
        block,
        q,
        b,
        streams: Streams::new(app),
        resolver: Resolver::default(),
        top: TopN::new(b.limit, b.direction),
        pending: Vec::new(),
        head_end: 0,
    };
    // A literal spanning lines could miss the raw bytes of a record (its `\r`, its blank
    // lines): such a query reads every record. On invalid UTF-8 (repaired with U+FFFD) a
    // record's text holds a literal exactly when its bytes do, unless the literal holds U+FFFD:
    // UTF-8 resynchronises at every character start, so the repair never joins or splits the
    // characters of a match.
    let literal = q
        .required_literal()
        .filter(|l| !l.is_empty() && !l.contains(&b'\n'))
        .filter(|l| !has_replacement(l) || std::str::from_utf8(block).is_ok());
    let lines = match literal {
        // Only records holding the literal can pass: one SIMD search over the whole block
        // finds them; the record around each hit is found from the nearest line that starts
        // one.
        Some(lit) => {
            let finder = memchr::memmem::Finder::new(lit);
            let mut pos = 0;
            while pos < block.len() {
                let Some(i) = finder.find(&block[pos..]) else {
                    break;
                };
                let Some(ext) = boundary::record_at(block, pos + i, pos) else {
                    break;
                };
                let (text, first_len) = record::join(&block[ext.start..ext.end]);
                scan.record(&ext, &text[..first_len], &text);
                pos = ext.next;
            }
            scan::count_lines(block)
        }
        None => match q.required_level().and_then(LevelSkip::new) {
            // Records are judged on their bytes first: the text (a UTF-8 check, a copy when
            // invalid) is made only for those that may be kept.
            Some(mut skip) => {
                let mut n = 0;
                let mut pos = 0;
                loop {
                    let ext = match record::json_line_extent(block, pos) {
                        Some(ext) => ext,
                        None => match record::extent(block, pos) {
                            Some((ext, _)) => ext,
                            None => break,
                        },
                    };
                    pos = ext.next;
                    n += ext.nonblank as u64;
                    if skip.skips(block, &ext) {
                        continue;
                    }
                    let (text, first_len) = record::join(&block[ext.start..ext.end]);
                    scan.record(&ext, &text[..first_len], &text);
                }
                n
            }
            None => {
                let mut n = 0;
                for r in record::records(block) {
                    n += r.ext.nonblank as u64;
                    scan.record(&r.ext, r.first(), &r.text);
                }
                n
            }
        },
    };
    let tail = scan.resolver.tail(block);
    LogBlockOut {
        timed: scan.top,
        head: block[..scan.head_end].to_vec(),
        pending: scan.pending,
        tail,
        lines,
    }
}

/// Whether bytes hold U+FFFD, the character invalid UTF-8 is repaired with.
fn has_replacement(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, "\u{FFFD}".as_bytes()).is_some()
}

/// Skips the JSON lines whose `level` stream label cannot be the value a query requires. A
/// JSON line's label is its `level` field's string as written (`classify_json`), so its line
/// holds that value's bytes, or a backslash when the string is escaped; a line with neither
/// has another level (or none: `unknown`, never skipped). Occurrences are found by searches
/// over the block that resume where the last one ended, not by one search per line.
struct LevelSkip<'a> {
    value: memchr::memmem::Finder<'a>,
    /// The next occurrence of the value, and of a backslash, at or after the last record asked
    /// about (`usize::MAX`: none left in the block; `None`: not searched yet).
    next_value: Option<usize>,
    next_escape: Option<usize>,
}

impl<'a> LevelSkip<'a> {
    fn new(value: &'a str) -> Option<Self> {
        // `unknown` is also the label of a line without a level field; a value holding U+FFFD
        // may come from a repair of bytes that do not hold it.
        let usable = !value.is_empty()
            && value != "unknown"
            && !value.contains('\n')
            && !has_replacement(value.as_bytes());
        usable.then(|| Self {
            value: memchr::memmem::Finder::new(value.as_bytes()),
            next_value: None,
            next_escape: None,
        })
    }

    /// Whether the record at `ext` cannot be kept.
    fn skips(&mut self, block: &[u8], ext: &Extent) -> bool {
        // A first line from `{` to `}` is what `classify_fast` reads as JSON, even when invalid
        // UTF-8 inside is repaired (ASCII bytes are kept); anything else (trailing spaces
        // included) takes the full path.
        let first = &block[ext.start..ext.first_end];
        if !(first.first() == Some(&b'{') && first.last() == Some(&b'}')) {
            return false;
        }
        let start = ext.start;
        let at = |found: Option<usize>| found.map_or(usize::MAX, |i| start + i);
        let (cached_value, cached_escape) = (self.next_value, self.next_escape);
        let value = match cached_value {
            Some(p) if p >= start => p,
            _ => *self.next_value.insert(at(self.value.find(&block[start..]))),
        };
        let escape = match cached_escape {
            Some(p) if p >= start => p,
            _ => *self
                .next_escape
                .insert(at(memchr::memchr(b'\\', &block[start..]))),
        };
        let value_end = value.saturating_add(self.value.needle().len());
        value_end > ext.first_end && escape >= ext.first_end
    }
}

/// Runs a log query over the inputs; `base_ns` stamps untimed lines before any stamped one.
pub(crate) fn run_log(
    inputs: &[(Data, i64)],
    q: &dyn LogPipeline,
    app: &str,
    b: LogBounds,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> Result<(Vec<LogEntry>, Counts), SourceError> {
    let mut top = TopN::new(b.limit, b.direction);
    let mut total = Counts::default();
    let mut lines = 0;
    for (data, base_ns) in inputs {
        let mut carry = Carry { ts: *base_ns, k: 0 };
        let work = |block: &[u8]| log_block(block, q, app, b);
        let mut streams = Streams::new(app);
        let counts = scan::for_each_block(data, &work, &mut |out: LogBlockOut| {
            for e in out.timed.into_sorted() {
                top.push(e);
            }
            for (stamp, s, e) in out.pending {
                let ts = carry.resolve(stamp);
                if ts < b.start_ns || ts >= b.end_ns || !top.could_take(ts) {
                    continue;
                }
                let Some(bytes) = out.head.get(s as usize..e as usize) else {
                    continue;
                };
                let (text, first_len) = record::join(bytes);
                let f = classify_fast(&text[..first_len]);
                let slot = streams.slot(&f);
                if let Some(entry) = line_entry(&text, ts, slot, q) {
                    top.push(entry);
                }
            }
            carry.advance(out.tail);
            lines += out.lines;
            progress(top.len());
            true
        })?;
        total.bytes += counts.bytes;
    }
    total.lines = lines;
    Ok((top.into_sorted(), total))
}

#[cfg(test)]
#[path = "exec_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "shortcut_tests.rs"]
mod shortcut_tests;
