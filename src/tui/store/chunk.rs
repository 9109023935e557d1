//! One page of stored lines (`Chunk`) and a reference to one of its lines (`Row`).

use std::sync::Arc;

use crate::model::{Labels, LogEntry};

use super::Level;

/// One page of lines, oldest first.
#[derive(Clone, Default)]
pub struct Chunk {
    /// Unique within a store; keys the row cache.
    pub id: u64,
    text: String,
    ends: Vec<usize>,
    ts: Vec<i64>,
    stream: Vec<u32>,
    streams: Vec<Arc<Labels>>,
    /// 0 = no metadata, else index + 1 into `metas`.
    meta: Vec<u32>,
    metas: Vec<Labels>,
    level: Vec<Level>,
    /// Parsed labels not recoverable from the line text (`__error__`, `label_format` …).
    extra: Vec<(u32, Labels)>,
}

impl std::fmt::Debug for Chunk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Chunk#{}({} lines)", self.id, self.len())
    }
}

impl PartialEq for Chunk {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.len() == other.len()
    }
}

impl Chunk {
    /// Builds a chunk; `entries` are sorted oldest first here (stable, so ties keep order).
    pub fn build(mut entries: Vec<LogEntry>) -> Chunk {
        entries.sort_by_key(|e| e.ts);
        let mut c = Chunk::default();
        c.push(entries);
        c
    }

    /// Appends entries (already oldest first, all at or after the last one).
    pub fn push(&mut self, entries: Vec<LogEntry>) {
        for e in entries {
            let idx = self.ts.len() as u32;
            self.level.push(Level::of_entry(&e));
            self.text.push_str(&e.line);
            self.ends.push(self.text.len());
            self.ts.push(e.ts);
            let s = match self.streams.iter().rposition(|s| Arc::ptr_eq(s, &e.labels)) {
                Some(i) => i,
                None => match self.streams.iter().position(|s| **s == *e.labels) {
                    Some(i) => i,
                    None => {
                        self.streams.push(Arc::clone(&e.labels));
                        self.streams.len() - 1
                    }
                },
            };
            self.stream.push(s as u32);
            if e.metadata.is_empty() {
                self.meta.push(0);
            } else {
                let m = match self.metas.iter().rposition(|m| *m == e.metadata) {
                    Some(i) => i,
                    None => {
                        self.metas.push(e.metadata);
                        self.metas.len() - 1
                    }
                };
                self.meta.push(m as u32 + 1);
            }
            let extra: Labels = e
                .parsed
                .into_iter()
                .filter(|(k, v)| {
                    k.starts_with("__") || v.is_empty() || !e.line.contains(v.as_str())
                })
                .collect();
            if !extra.is_empty() {
                self.extra.push((idx, extra));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.ts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ts.is_empty()
    }

    pub fn line(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    pub fn ts(&self, i: usize) -> i64 {
        self.ts[i]
    }

    pub fn level(&self, i: usize) -> Level {
        self.level[i]
    }

    pub fn labels(&self, i: usize) -> &Arc<Labels> {
        &self.streams[self.stream[i] as usize]
    }

    pub fn metadata(&self, i: usize) -> Option<&Labels> {
        match self.meta[i] {
            0 => None,
            m => self.metas.get(m as usize - 1),
        }
    }

    pub fn extra(&self, i: usize) -> Option<&Labels> {
        let i = i as u32;
        self.extra
            .binary_search_by_key(&i, |(k, _)| *k)
            .ok()
            .map(|p| &self.extra[p].1)
    }

    /// The entry back as the model type (for export and context queries).
    pub fn entry(&self, i: usize) -> LogEntry {
        let mut e = LogEntry::new(self.ts(i), Arc::clone(self.labels(i)), self.line(i));
        if let Some(m) = self.metadata(i) {
            e.metadata = m.clone();
        }
        if let Some(p) = self.extra(i) {
            e.parsed = p.clone();
        }
        e
    }

    /// Heap bytes held (approximate: capacities of the buffers, not the shared labels).
    pub fn memory_bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity() * 8
            + self.ts.capacity() * 8
            + self.stream.capacity() * 4
            + self.meta.capacity() * 4
            + self.level.capacity()
            + self.extra.iter().map(|(_, l)| 64 * l.len()).sum::<usize>()
    }

    /// Raw size of the text (the "raw size" memory is compared with).
    pub fn text_bytes(&self) -> usize {
        self.text.len()
    }
}

/// A reference to one stored line.
#[derive(Clone, Copy)]
pub struct Row<'a> {
    pub chunk: &'a Chunk,
    pub local: usize,
}

impl<'a> Row<'a> {
    pub fn line(&self) -> &'a str {
        self.chunk.line(self.local)
    }
    pub fn ts(&self) -> i64 {
        self.chunk.ts(self.local)
    }
    pub fn level(&self) -> Level {
        self.chunk.level(self.local)
    }
    pub fn labels(&self) -> &'a Labels {
        self.chunk.labels(self.local)
    }
    pub fn metadata(&self) -> Option<&'a Labels> {
        self.chunk.metadata(self.local)
    }
    pub fn extra(&self) -> Option<&'a Labels> {
        self.chunk.extra(self.local)
    }
    /// Stable identity for caches: chunk id and index in it.
    pub fn key(&self) -> (u64, u32) {
        (self.chunk.id, self.local as u32)
    }
    pub fn entry(&self) -> LogEntry {
        self.chunk.entry(self.local)
    }
}
