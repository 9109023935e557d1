//! Keeping only the entries a limited log query returns: a bounded heap per direction, so
//! memory stays proportional to the limit, not to the file.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::model::{Direction, LogEntry};

/// Result order: by timestamp in the query's direction, ties by labels then line.
pub(crate) fn result_order(a: &LogEntry, b: &LogEntry, dir: Direction) -> Ordering {
    let fwd =
        a.ts.cmp(&b.ts)
            .then_with(|| a.labels.cmp(&b.labels))
            .then_with(|| a.line.cmp(&b.line));
    match dir {
        Direction::Forward => fwd,
        Direction::Backward => {
            a.ts.cmp(&b.ts)
                .reverse()
                .then_with(|| a.labels.cmp(&b.labels))
                .then_with(|| a.line.cmp(&b.line))
        }
    }
}

struct Keyed {
    entry: LogEntry,
    dir: Direction,
}

impl PartialEq for Keyed {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Keyed {}
impl PartialOrd for Keyed {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Keyed {
    fn cmp(&self, other: &Self) -> Ordering {
        result_order(&self.entry, &other.entry, self.dir)
    }
}

/// The first `limit` entries in result order (`0` = all of them).
pub(crate) struct TopN {
    limit: usize,
    dir: Direction,
    heap: BinaryHeap<Keyed>,
    all: Vec<LogEntry>,
}

impl TopN {
    pub fn new(limit: usize, dir: Direction) -> Self {
        Self {
            limit,
            dir,
            heap: BinaryHeap::new(),
            all: Vec::new(),
        }
    }

    pub fn push(&mut self, entry: LogEntry) {
        if self.limit == 0 {
            self.all.push(entry);
            return;
        }
        if self.heap.len() == self.limit {
            // The worst kept entry is at the top: replace it only if the new one is better.
            if let Some(worst) = self.heap.peek()
                && result_order(&entry, &worst.entry, self.dir) != Ordering::Less
            {
                return;
            }
            self.heap.pop();
        }
        self.heap.push(Keyed {
            entry,
            dir: self.dir,
        });
    }

    /// Whether an entry at `ts` could still be kept: lets the scanner skip building entries
    /// that are already out of the top N (the pipeline never changes timestamps).
    pub fn could_take(&self, ts: i64) -> bool {
        if self.limit == 0 || self.heap.len() < self.limit {
            return true;
        }
        self.heap.peek().is_none_or(|worst| match self.dir {
            Direction::Forward => ts <= worst.entry.ts,
            Direction::Backward => ts >= worst.entry.ts,
        })
    }

    pub fn len(&self) -> usize {
        self.heap.len() + self.all.len()
    }

    /// The kept entries, in result order.
    pub fn into_sorted(self) -> Vec<LogEntry> {
        if self.limit == 0 {
            let mut all = self.all;
            let dir = self.dir;
            all.sort_by(|a, b| result_order(a, b, dir));
            return all;
        }
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|k| k.entry)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::Labels;

    fn entries(ts: &[i64]) -> Vec<LogEntry> {
        ts.iter()
            .map(|&t| LogEntry::new(t, Arc::new(Labels::new()), format!("l{t}")))
            .collect()
    }

    fn run(limit: usize, dir: Direction, ts: &[i64]) -> Vec<i64> {
        let mut top = TopN::new(limit, dir);
        for e in entries(ts) {
            top.push(e);
        }
        top.into_sorted().iter().map(|e| e.ts).collect()
    }

    #[test]
    fn forward_keeps_oldest_in_order() {
        assert_eq!(
            run(3, Direction::Forward, &[5, 1, 9, 3, 7, 2]),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn backward_keeps_newest_newest_first() {
        assert_eq!(run(2, Direction::Backward, &[5, 1, 9, 3, 7, 2]), vec![9, 7]);
    }

    #[test]
    fn could_take_rejects_only_strictly_worse_times() {
        let mut top = TopN::new(2, Direction::Backward);
        assert!(top.could_take(0));
        for e in entries(&[5, 9]) {
            top.push(e);
        }
        assert!(top.could_take(5)); // a tie may still win on labels or line
        assert!(top.could_take(7));
        assert!(!top.could_take(4));
        let mut top = TopN::new(1, Direction::Forward);
        top.push(entries(&[5]).remove(0));
        assert!(top.could_take(5) && !top.could_take(6));
    }

    #[test]
    fn zero_limit_keeps_everything() {
        assert_eq!(run(0, Direction::Backward, &[2, 3, 1]), vec![3, 2, 1]);
        assert_eq!(run(0, Direction::Forward, &[2, 3, 1]), vec![1, 2, 3]);
    }

    #[test]
    fn ties_break_by_line() {
        let mut top = TopN::new(2, Direction::Forward);
        for line in ["c", "a", "b"] {
            top.push(LogEntry::new(1, Arc::new(Labels::new()), line));
        }
        let lines: Vec<String> = top.into_sorted().into_iter().map(|e| e.line).collect();
        assert_eq!(lines, vec!["a", "b"]);
    }
}
