//! "Never drop, never repeat": which entries of a (re)connected tail are new.
//!
//! After a reconnect, the new socket's history (from `start` = the last timestamp delivered) and
//! the `query_range` backfill overlap what was already shown. Several streams can share one
//! nanosecond timestamp, so the last timestamp alone cannot tell new from seen: every delivered
//! entry's key (all labels, timestamp, line) is remembered for a short window behind the newest
//! timestamp, and for everything since the resume point while a reconnect settles (`pin`).
//! Pure: no sockets, no clocks.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use crate::model::LogEntry;

/// What identifies a delivered entry at one timestamp: a 64-bit hash of its full label set
/// (stream labels, structured metadata and parsed labels merged, as Loki merges them without
/// categorize-labels) and its line, compared exactly.
type Key = (u64, Box<str>);

/// Remembers what was delivered, to drop repeats.
#[derive(Debug, Clone)]
pub struct Deduper {
    /// Keys of delivered entries by timestamp: (label set incl. metadata/parsed, line).
    seen: BTreeMap<i64, Vec<Key>>,
    /// Newest timestamp delivered.
    watermark: Option<i64>,
    /// Keys are kept at least this far behind the watermark (late arrivals across streams).
    window_ns: i64,
    /// While a reconnect settles, keys from here on are kept whatever the window.
    pinned: Option<i64>,
    delivered: u64,
}

impl Deduper {
    /// `window_ns`: how far behind the newest entry keys are kept (0 = only the newest timestamp).
    pub fn new(window_ns: i64) -> Self {
        Self {
            seen: BTreeMap::new(),
            watermark: None,
            window_ns: window_ns.max(0),
            pinned: None,
            delivered: 0,
        }
    }

    /// Newest timestamp delivered: where a reconnect resumes (`start`, inclusive).
    pub fn watermark(&self) -> Option<i64> {
        self.watermark
    }

    /// How many entries have been let through in all.
    pub fn delivered(&self) -> u64 {
        self.delivered
    }

    /// Keys remembered now (memory use is proportional to this).
    pub fn remembered(&self) -> usize {
        self.seen.values().map(Vec::len).sum()
    }

    /// Keeps every key from `from_ns` on until `unpin`: call before replaying history/backfill
    /// that starts at `from_ns`.
    pub fn pin(&mut self, from_ns: i64) {
        self.pinned = Some(from_ns);
    }

    /// The replay is over: only the window is kept from now on.
    pub fn unpin(&mut self) {
        self.pinned = None;
        self.prune();
    }

    /// Hash of the merged label set (later sets win on a name, as [`LogEntry::all_labels`]),
    /// walked in name order across the three sorted sets without building it.
    fn label_hash(e: &LogEntry) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let mut sets = [
            e.labels.iter().peekable(),
            e.metadata.iter().peekable(),
            e.parsed.iter().peekable(),
        ];
        while let Some(name) = sets
            .iter_mut()
            .filter_map(|s| s.peek().map(|kv| kv.0))
            .min()
        {
            let mut value = "";
            for s in &mut sets {
                if let Some((_, v)) = s.next_if(|kv| kv.0 == name) {
                    value = v;
                }
            }
            (name.as_str(), value).hash(&mut h);
        }
        h.finish()
    }

    fn seen_with(&self, e: &LogEntry, hash: u64) -> bool {
        self.seen
            .get(&e.ts)
            .is_some_and(|at| at.iter().any(|(k, l)| *k == hash && **l == *e.line))
    }

    /// Whether `e` was delivered already (without recording it).
    pub fn is_seen(&self, e: &LogEntry) -> bool {
        self.seen_with(e, Self::label_hash(e))
    }

    /// Lets through the entries not delivered before (keeping their order) and remembers them.
    /// Entries older than everything remembered are late arrivals, not repeats: a resume never
    /// replays anything before its pinned start, so they pass.
    pub fn admit(&mut self, entries: Vec<LogEntry>) -> Vec<LogEntry> {
        let mut out = Vec::with_capacity(entries.len());
        for e in entries {
            let hash = Self::label_hash(&e);
            if self.seen_with(&e, hash) {
                continue;
            }
            let key = (hash, e.line.as_str().into());
            self.seen.entry(e.ts).or_default().push(key);
            self.watermark = Some(self.watermark.map_or(e.ts, |w| w.max(e.ts)));
            self.delivered += 1;
            out.push(e);
        }
        self.prune();
        out
    }

    fn prune(&mut self) {
        let Some(w) = self.watermark else { return };
        let mut floor = w.saturating_sub(self.window_ns);
        if let Some(p) = self.pinned {
            floor = floor.min(p);
        }
        if self.seen.first_key_value().is_some_and(|(k, _)| *k < floor) {
            self.seen = self.seen.split_off(&floor);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Labels;
    use std::sync::Arc;

    fn entry(ts: i64, stream: &str, line: &str) -> LogEntry {
        let mut l = Labels::new();
        l.insert("app".into(), stream.into());
        LogEntry::new(ts, Arc::new(l), line)
    }

    fn lines(v: &[LogEntry]) -> Vec<String> {
        v.iter().map(|e| e.line.clone()).collect()
    }

    #[test]
    fn replay_from_the_last_timestamp_repeats_nothing_and_keeps_same_ts_other_streams() {
        let mut d = Deduper::new(0);
        let first = d.admit(vec![entry(1, "a", "one"), entry(5, "a", "five-a")]);
        assert_eq!(lines(&first), ["one", "five-a"]);
        assert_eq!(d.watermark(), Some(5));
        // The resumed socket replays from ts 5: five-a again, plus five-b (same ts, other
        // stream) and a same-ts same-stream different line, which were never shown.
        let again = d.admit(vec![
            entry(5, "a", "five-a"),
            entry(5, "b", "five-a"),
            entry(5, "a", "five-a2"),
            entry(6, "a", "six"),
        ]);
        assert_eq!(lines(&again), ["five-a", "five-a2", "six"]);
        assert_eq!(again[0].labels.get("app").map(String::as_str), Some("b"));
        assert_eq!(d.delivered(), 5);
    }

    #[test]
    fn identical_lines_in_one_batch_are_one_entry() {
        let mut d = Deduper::new(0);
        let out = d.admit(vec![entry(3, "a", "x"), entry(3, "a", "x")]);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn pinned_replay_covers_a_long_gap_then_only_the_window_is_kept() {
        let mut d = Deduper::new(0);
        d.admit(vec![entry(10, "a", "ten")]);
        d.pin(10);
        // Backfill [10, 100) arrives first, then the socket's history from 10.
        let backfill = d.admit(vec![entry(10, "a", "ten"), entry(50, "a", "fifty")]);
        assert_eq!(lines(&backfill), ["fifty"]);
        let history = d.admit(vec![
            entry(10, "a", "ten"),
            entry(50, "a", "fifty"),
            entry(99, "a", "ninety-nine"),
        ]);
        assert_eq!(lines(&history), ["ninety-nine"]);
        d.unpin();
        assert_eq!(d.remembered(), 1);
    }

    #[test]
    fn late_entries_within_the_window_pass_once() {
        let mut d = Deduper::new(10);
        d.admit(vec![entry(100, "a", "late-ok"), entry(105, "b", "x")]);
        let late = d.admit(vec![entry(98, "c", "late"), entry(100, "a", "late-ok")]);
        assert_eq!(lines(&late), ["late"]);
        assert_eq!(d.watermark(), Some(105));
    }

    #[test]
    fn metadata_and_parsed_labels_are_part_of_the_key() {
        let mut d = Deduper::new(0);
        let mut a = entry(1, "a", "l");
        a.metadata.insert("trace_id".into(), "t".into());
        let b = entry(1, "a", "l");
        assert_eq!(d.admit(vec![a.clone(), b]).len(), 2);
        // The same entry decoded without categorize-labels (merged labels) is a repeat.
        let merged = LogEntry::new(1, Arc::new(a.all_labels()), "l");
        assert!(d.admit(vec![merged]).is_empty());
    }

    #[test]
    fn overriding_names_key_as_the_merged_set() {
        let mut d = Deduper::new(0);
        let mut a = entry(1, "a", "l");
        a.metadata.insert("level".into(), "warn".into());
        a.metadata.insert("zone".into(), "m".into());
        a.parsed.insert("app".into(), "p".into());
        a.parsed.insert("zone".into(), "p".into());
        assert_eq!(d.admit(vec![a.clone()]).len(), 1);
        let merged = LogEntry::new(1, Arc::new(a.all_labels()), "l");
        assert_eq!(merged.labels.get("zone").map(String::as_str), Some("p"));
        assert!(d.admit(vec![merged]).is_empty());
        // Only the winning value counts: the same names with the stream's value are new.
        let mut b = entry(1, "a", "l");
        b.metadata.insert("level".into(), "warn".into());
        b.metadata.insert("zone".into(), "p".into());
        assert_eq!(d.admit(vec![b]).len(), 1);
    }
}
