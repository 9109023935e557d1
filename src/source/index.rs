//! The streams of a local source and when each has lines: built by one scan, cached, and
//! used to answer `labels`, `label_values`, `series` and `newest_ns` like Loki's index does.

use std::collections::{BTreeMap, BTreeSet};

use super::SourceError;
use super::line::{classify_fast, timestamp_fast};
use super::reader::Data;
use super::record;
use super::scan;
use super::streams::Streams;
use crate::model::Labels;

const MINUTE_NS: i64 = 60_000_000_000;

/// One stream and the minutes in which it has lines.
#[derive(Debug, Clone, Default)]
pub(crate) struct StreamTimes {
    minutes: BTreeSet<i64>,
    /// Has lines with no timestamp anywhere before them: present in every range.
    untimed: bool,
}

impl StreamTimes {
    /// Whether the stream has lines in `[start, end]` (to the minute, as an index would).
    pub fn overlaps(&self, start_ns: i64, end_ns: i64) -> bool {
        self.untimed
            || self
                .minutes
                .range(start_ns.div_euclid(MINUTE_NS)..=end_ns.div_euclid(MINUTE_NS))
                .next()
                .is_some()
    }
}

/// Every stream of the source.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    pub streams: BTreeMap<Labels, StreamTimes>,
    pub newest_ns: Option<i64>,
}

impl Index {
    /// The start of the minute of the oldest timestamped line (an index knows minutes only).
    pub fn oldest_ns(&self) -> Option<i64> {
        self.streams
            .values()
            .filter_map(|t| t.minutes.first())
            .min()
            .map(|m| m.saturating_mul(MINUTE_NS))
    }

    /// Stream label sets with lines in the range.
    pub fn streams_in(&self, start_ns: i64, end_ns: i64) -> impl Iterator<Item = &Labels> {
        self.streams
            .iter()
            .filter(move |(_, t)| t.overlaps(start_ns, end_ns))
            .map(|(l, _)| l)
    }
}

struct BlockIndex {
    streams: Vec<(Labels, StreamTimes)>,
    newest: Option<i64>,
}

fn index_block(block: &[u8], app: &str) -> BlockIndex {
    let mut streams = Streams::new(app);
    let mut times: Vec<StreamTimes> = Vec::new();
    // The minute last recorded per stream: lines come mostly in time order, so most inserts
    // are repeats and can be skipped.
    let mut recorded: Vec<i64> = Vec::new();
    let mut last: Option<i64> = None;
    let mut newest: Option<i64> = None;
    // The position of the last stamped record's first line: an untimed record is stamped as
    // many ns after it as it is lines below it (see `scan::Stamp`).
    let mut last_at = 0usize;
    for r in record::records(block) {
        let f = classify_fast(r.first());
        if let Some(ts) = f.ts_ns {
            last = Some(ts);
            last_at = r.index;
            newest = Some(newest.map_or(ts, |n| n.max(ts)));
        } else if let Some(ts) = last {
            let t = ts.saturating_add(i64::try_from(r.index - last_at).unwrap_or(i64::MAX));
            newest = Some(newest.map_or(t, |n| n.max(t)));
        }
        let i = streams.index_of(&f);
        if i == times.len() {
            times.push(StreamTimes::default());
            recorded.push(i64::MIN);
        }
        match last {
            Some(ts) => {
                let minute = ts.div_euclid(MINUTE_NS);
                if recorded[i] != minute {
                    recorded[i] = minute;
                    times[i].minutes.insert(minute);
                }
            }
            None => times[i].untimed = true,
        }
    }
    let streams = streams
        .into_slots()
        .into_iter()
        .zip(times)
        .map(|(s, t)| ((*s.labels).clone(), t))
        .collect();
    BlockIndex { streams, newest }
}

/// How much of the end of an input [`newest_in_tail`] reads.
const TAIL: usize = 1 << 20;

/// The newest timestamp among the lines of the last MB of a plain file or in-memory input:
/// log files are written in time order, so this finds the newest line without a scan of the
/// whole input (which `--since` on a 1 GB file would otherwise pay before every query).
/// `None` for compressed files (they cannot be read from the end) or when no line there has a
/// timestamp; the caller then scans everything.
pub(crate) fn newest_in_tail(data: &Data) -> Option<i64> {
    let tail = match data {
        Data::Memory { bytes, .. } => bytes[bytes.len().saturating_sub(TAIL)..].to_vec(),
        Data::File { path, compression } => {
            if *compression != super::reader::Compression::None {
                return None;
            }
            use std::io::{Read, Seek, SeekFrom};
            let mut f = std::fs::File::open(path).ok()?;
            let len = f.metadata().ok()?.len();
            f.seek(SeekFrom::Start(len.saturating_sub(TAIL as u64)))
                .ok()?;
            let mut buf = Vec::with_capacity(TAIL);
            f.read_to_end(&mut buf).ok()?;
            buf
        }
    };
    // Drop the first (probably partial) line unless the tail is the whole input.
    let whole = match data {
        Data::Memory { bytes, .. } => bytes.len() <= TAIL,
        Data::File { path, .. } => std::fs::metadata(path).is_ok_and(|m| m.len() <= TAIL as u64),
    };
    let from = if whole {
        0
    } else {
        memchr::memchr(b'\n', &tail).map_or(tail.len(), |i| i + 1)
    };
    // Untimed lines after the last stamped one are stamped 1 ns apart after it (see
    // `scan::Stamp`): the newest entry is the last of them.
    let mut newest: Option<i64> = None;
    let mut last: Option<(i64, usize)> = None;
    for r in record::records(&tail[from..]) {
        let t = match (timestamp_fast(r.first()), last) {
            (Some(ts), _) => {
                last = Some((ts, r.index));
                Some(ts)
            }
            (None, Some((prev, at))) => {
                Some(prev.saturating_add(i64::try_from(r.index - at).unwrap_or(i64::MAX)))
            }
            (None, None) => None,
        };
        if let Some(t) = t {
            newest = Some(newest.map_or(t, |n| n.max(t)));
        }
    }
    newest
}

/// Scans the inputs once and indexes their streams.
pub(crate) fn build(inputs: &[(Data, i64)], app: &str) -> Result<Index, SourceError> {
    let mut index = Index::default();
    for (data, _) in inputs {
        let work = |block: &[u8]| index_block(block, app);
        scan::for_each_block(data, &work, &mut |b: BlockIndex| {
            for (labels, t) in b.streams {
                let e = index.streams.entry(labels).or_default();
                e.minutes.extend(t.minutes);
                e.untimed |= t.untimed;
            }
            if let Some(n) = b.newest {
                index.newest_ns = Some(index.newest_ns.map_or(n, |o| o.max(n)));
            }
            true
        })?;
    }
    Ok(index)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn newest_from_the_tail_of_plain_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::new();
        for i in 0..40_000 {
            text.push_str(&format!(
                "{{\"event\":\"e{i}\",\"timestamp\":\"2026-11-25T00:00:{:02}Z\"}}\n",
                i % 60
            ));
        }
        text.push_str("untimed trailing line\n");
        let path = dir.path().join("a.log");
        std::fs::write(&path, &text).unwrap();
        let plain = Data::File {
            path: path.clone(),
            compression: super::super::reader::Compression::None,
        };
        assert_eq!(newest_in_tail(&plain), Some(1_795_564_859_000_000_000));
        let gz = Data::File {
            path,
            compression: super::super::reader::Compression::Gzip,
        };
        assert_eq!(newest_in_tail(&gz), None);
        let small = Data::Memory {
            name: "m".into(),
            bytes: Arc::new(b"{\"timestamp\":\"2026-11-25T00:00:00Z\"}".to_vec()),
        };
        assert_eq!(newest_in_tail(&small), Some(1_795_564_800_000_000_000));
    }

    #[test]
    fn indexes_streams_times_and_newest() {
        let text = concat!(
            r#"{"level":"info","logger":"vulnsentinel.api","timestamp":"2026-11-25T00:00:00Z"}"#,
            "\n",
            r#"{"level":"error","logger":"vulnsentinel.db","timestamp":"2026-11-25T02:00:00Z"}"#,
            "\n",
            // An untimed line that starts a record of its own (a traceback line would join
            // the record above it: issue 11.3).
            "{\"event\":\"worker.ready\"}\n",
        );
        let data = Data::Memory {
            name: "t".into(),
            bytes: Arc::new(text.as_bytes().to_vec()),
        };
        let idx = build(&[(data, 0)], "vulnsentinel").unwrap();
        assert_eq!(idx.streams.len(), 3);
        // The untimed line after the last stamped one is stamped 1 ns after it, and
        // is the newest entry (issue 11.2: a range ending at the newest must include it).
        assert_eq!(idx.newest_ns, Some(1_795_572_000_000_000_001));
        let t0 = 1_795_564_800_000_000_000;
        let hour = 3_600_000_000_000;
        let early: Vec<String> = idx
            .streams_in(t0, t0 + hour)
            .map(|l| format!("{}/{}", l["module"], l["level"]))
            .collect();
        assert_eq!(early, vec!["api/info".to_string()]);
        let mut late: Vec<String> = idx
            .streams_in(t0 + 2 * hour, t0 + 3 * hour)
            .map(|l| format!("{}/{}", l["module"], l["level"]))
            .collect();
        late.sort();
        assert_eq!(
            late,
            vec!["app/unknown".to_string(), "db/error".to_string()]
        );
    }
}
