//! Compact storage of loaded lines, so a million lines cost little more than their text.
//!
//! A `LogEntry` carries a `String`, an `Arc`, and two maps per line (~100 bytes before the
//! text, more once `| json` has copied every field into parsed labels). Here lines live in
//! per-page chunks: one text buffer, offsets, timestamps, a stream index and a level byte per
//! line. Parsed labels that merely repeat text of the line are not kept (they are re-derived
//! from the line when shown). Chunks are immutable once shared (`Arc`), so an export task can
//! read them while the UI goes on.

mod chunk;

use std::collections::VecDeque;
use std::sync::Arc;

use crate::model::LogEntry;

pub use crate::model::Level;
pub use chunk::{Chunk, Row};

/// All loaded lines, oldest first, as a list of chunks.
#[derive(Debug, Clone, Default)]
pub struct LineStore {
    /// (chunk, lines dropped from its front).
    pieces: VecDeque<(Arc<Chunk>, usize)>,
    /// Index of each piece's first line.
    starts: Vec<usize>,
    len: usize,
    next_id: u64,
}

/// Small follow batches are merged into the newest chunk up to this size.
const MERGE_BELOW: usize = 8192;

impl LineStore {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn reindex(&mut self) {
        self.starts.clear();
        let mut n = 0;
        for (c, skip) in &self.pieces {
            self.starts.push(n);
            n += c.len() - skip;
        }
        self.len = n;
    }

    fn stamp(&mut self, mut chunk: Chunk) -> Chunk {
        self.next_id += 1;
        chunk.id = self.next_id;
        chunk
    }

    /// Adds older lines before the first one.
    pub fn prepend(&mut self, chunk: Chunk) {
        if chunk.is_empty() {
            return;
        }
        let c = self.stamp(chunk);
        self.pieces.push_front((Arc::new(c), 0));
        self.reindex();
    }

    /// Adds newer lines after the last one.
    pub fn append(&mut self, chunk: Chunk) {
        if chunk.is_empty() {
            return;
        }
        let c = self.stamp(chunk);
        self.pieces.push_back((Arc::new(c), 0));
        self.reindex();
    }

    /// Appends entries (oldest first), merging into the last chunk while it is small.
    pub fn append_entries(&mut self, entries: Vec<LogEntry>) {
        if entries.is_empty() {
            return;
        }
        if let Some((last, 0)) = self.pieces.back_mut()
            && last.len() < MERGE_BELOW
        {
            Arc::make_mut(last).push(entries);
            self.reindex();
            return;
        }
        let mut c = Chunk::default();
        c.push(entries);
        self.append(c);
    }

    /// Drops the `n` oldest lines.
    pub fn drop_oldest(&mut self, mut n: usize) {
        while n > 0 {
            let Some((c, skip)) = self.pieces.front_mut() else {
                break;
            };
            let avail = c.len() - *skip;
            if n >= avail {
                n -= avail;
                self.pieces.pop_front();
            } else {
                *skip += n;
                n = 0;
            }
        }
        self.reindex();
    }

    /// The `i`-th line, oldest first.
    pub fn get(&self, i: usize) -> Option<Row<'_>> {
        if i >= self.len {
            return None;
        }
        let p = match self.starts.binary_search(&i) {
            Ok(p) => p,
            Err(p) => p - 1,
        };
        let (c, skip) = &self.pieces[p];
        Some(Row {
            chunk: c,
            local: skip + (i - self.starts[p]),
        })
    }

    pub fn first_ts(&self) -> Option<i64> {
        self.get(0).map(|r| r.ts())
    }

    pub fn last_ts(&self) -> Option<i64> {
        self.len
            .checked_sub(1)
            .and_then(|i| self.get(i))
            .map(|r| r.ts())
    }

    /// Shared handles to the data, for background readers (export).
    pub fn snapshot(&self) -> Vec<(Arc<Chunk>, usize)> {
        self.pieces.iter().cloned().collect()
    }

    pub fn memory_bytes(&self) -> usize {
        self.pieces.iter().map(|(c, _)| c.memory_bytes()).sum()
    }

    pub fn text_bytes(&self) -> usize {
        self.pieces.iter().map(|(c, _)| c.text_bytes()).sum()
    }

    /// Entries at exactly `ts` (to drop page-boundary duplicates).
    pub fn entries_at(&self, ts: i64) -> Vec<LogEntry> {
        // lines are time-ordered: binary search the first at `ts`
        let (mut lo, mut hi) = (0, self.len);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.get(mid).is_some_and(|r| r.ts() < ts) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo..self.len)
            .map_while(|i| self.get(i).filter(|r| r.ts() == ts).map(|r| r.entry()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Labels;

    pub(crate) fn entry(ts: i64, line: &str) -> LogEntry {
        let mut l = Labels::new();
        l.insert("app".into(), "vs".into());
        LogEntry::new(ts, Arc::new(l), line)
    }

    #[test]
    fn prepend_append_and_drop() {
        let mut s = LineStore::default();
        s.append(Chunk::build(vec![entry(3, "c"), entry(2, "b")]));
        s.prepend(Chunk::build(vec![entry(1, "a")]));
        s.append_entries(vec![entry(4, "d"), entry(5, "e")]);
        let lines: Vec<&str> = (0..s.len()).map(|i| s.get(i).unwrap().line()).collect();
        assert_eq!(lines, ["a", "b", "c", "d", "e"]);
        s.drop_oldest(2);
        assert_eq!(s.len(), 3);
        assert_eq!(s.get(0).unwrap().line(), "c");
        assert_eq!(s.first_ts(), Some(3));
        assert_eq!(s.last_ts(), Some(5));
        assert!(s.get(3).is_none());
    }

    #[test]
    fn level_and_extras() {
        let mut e = entry(1, r#"{"event":"x","level":"error","tool":"fetch"}"#);
        e.parsed.insert("tool".into(), "fetch".into());
        e.parsed.insert("__error__".into(), "JSONParserErr".into());
        let c = Chunk::build(vec![e, entry(2, "[WARNING] disk")]);
        assert_eq!(c.level(0), Level::Error);
        assert_eq!(c.level(1), Level::Warning);
        let extra = c.extra(0).unwrap();
        assert_eq!(extra.len(), 1);
        assert!(extra.contains_key("__error__"));
    }

    #[test]
    fn entries_at_boundary() {
        let mut s = LineStore::default();
        s.append(Chunk::build(vec![
            entry(1, "a"),
            entry(2, "b"),
            entry(2, "c"),
            entry(3, "d"),
        ]));
        let at: Vec<String> = s.entries_at(2).into_iter().map(|e| e.line).collect();
        assert_eq!(at, ["b", "c"]);
    }
}
