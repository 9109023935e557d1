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
