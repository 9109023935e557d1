//! Scanning inputs in parallel: blocks are read on one thread and processed by rayon workers in
//! batches, then merged in file order, so results do not depend on the number of cores.

use std::borrow::Cow;
use std::io::Read;
use std::sync::mpsc;

use rayon::prelude::*;

use super::SourceError;
use super::line::{self, Fast};
use super::reader::{self, Blocks, Data};

/// Counts for `QueryStats`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Counts {
    pub bytes: u64,
    pub lines: u64,
}

/// Runs `work` on every block of `data` (in parallel) and `merge` on the results in order.
/// `merge` returning `false` stops the scan early.
pub(crate) fn for_each_block<R: Send>(
    data: &Data,
    work: &(dyn Fn(&[u8]) -> R + Sync),
    merge: &mut dyn FnMut(R) -> bool,
) -> Result<Counts, SourceError> {
    let batch = rayon::current_num_threads().max(1) * 2;
    let mut counts = Counts::default();
    match data {
        Data::Memory { bytes, .. } => {
            let ranges = reader::memory_blocks(bytes);
            for chunk in ranges.chunks(batch) {
                let results: Vec<R> = chunk.par_iter().map(|r| work(&bytes[r.clone()])).collect();
                for r in chunk {
                    counts.bytes += (r.end - r.start) as u64;
                }
                for res in results {
                    if !merge(res) {
                        return Ok(counts);
                    }
                }
            }
            Ok(counts)
        }
        Data::File { path, compression } => {
            let input = reader::open_reader(path, *compression)?;
            std::thread::scope(|scope| {
                let (tx, rx) = mpsc::sync_channel::<std::io::Result<Vec<u8>>>(batch);
                scope.spawn(move || read_blocks(input, &tx));
                let mut pending: Vec<Vec<u8>> = Vec::with_capacity(batch);
                let mut ended = false;
                while !ended {
                    pending.clear();
                    while pending.len() < batch {
                        match rx.recv() {
                            Ok(Ok(block)) => pending.push(block),
                            Ok(Err(e)) => return Err(reader::read_error(path, *compression, e)),
                            Err(_) => {
                                ended = true;
                                break;
                            }
                        }
                    }
                    let results: Vec<R> = pending.par_iter().map(|b| work(b)).collect();
                    counts.bytes += pending.iter().map(|b| b.len() as u64).sum::<u64>();
                    for res in results {
                        if !merge(res) {
                            return Ok(counts);
                        }
                    }
                }
                Ok(counts)
            })
        }
    }
}

fn read_blocks(input: Box<dyn Read + Send>, tx: &mpsc::SyncSender<std::io::Result<Vec<u8>>>) {
    let mut blocks = Blocks::new(input);
    loop {
        match blocks.next_block() {
            Ok(Some(b)) => {
                if tx.send(Ok(b)).is_err() {
                    return;
                }
            }
            Ok(None) => return,
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        }
    }
}

/// One line of a block: its byte offset, index in the block and text.
pub(crate) struct Line<'a> {
    pub start: usize,
    pub index: usize,
    pub text: Cow<'a, str>,
}

/// The lines of a block, without `\r\n` endings; blank lines are skipped (Loki rejects
/// empty entries). Invalid UTF-8 is replaced, never fatal.
pub(crate) fn lines(block: &[u8]) -> impl Iterator<Item = Line<'_>> {
    let valid = std::str::from_utf8(block).ok();
    let mut start = 0;
    let mut index = 0;
    std::iter::from_fn(move || {
        loop {
            if start >= block.len() {
                return None;
            }
            let end = memchr::memchr(b'\n', &block[start..]).map_or(block.len(), |i| start + i);
            let s = start;
            let i = index;
            start = end + 1;
            index += 1;
            let mut e = end;
            if e > s && block[e - 1] == b'\r' {
                e -= 1;
            }
            if block[s..e].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let text = match valid {
                Some(v) => Cow::Borrowed(&v[s..e]),
                None => String::from_utf8_lossy(&block[s..e]),
            };
            return Some(Line {
                start: s,
                index: i,
                text,
            });
        }
    })
}

/// Where an untimed line's timestamp comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stamp {
    /// `k` lines after a line of this block stamped `ts`: its time is `ts + k` ns.
    After { ts: i64, k: i64 },
    /// The `k`-th line after the start of the block, with no stamped line before it in the
    /// block: resolved at merge time from the previous blocks.
    Pending { k: i64 },
}

/// The timestamp state carried from block to block: the last stamp seen and how many untimed
/// lines followed it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Carry {
    pub ts: i64,
    pub k: i64,
}

impl Carry {
    pub fn resolve(&self, stamp: Stamp) -> i64 {
        match stamp {
            Stamp::After { ts, k } => ts.saturating_add(k),
            Stamp::Pending { k } => self.ts.saturating_add(self.k + k),
        }
    }

    /// Moves past a block, given the stamp a line right after its end would get.
    pub fn advance(&mut self, tail: Stamp) {
        match tail {
            Stamp::After { ts, k } => *self = Carry { ts, k: k - 1 },
            Stamp::Pending { k } => self.k += k - 1,
        }
    }
}

/// Finds the stamp of an untimed line by walking back to the nearest stamped line, remembering
/// the last answer so a run of untimed lines costs one walk.
#[derive(Default)]
pub(crate) struct Resolver {
    memo: Option<(usize, Stamp)>,
}

impl Resolver {
    /// The stamp for the line starting at `start` (line `index` of the block).
    pub fn stamp(&mut self, block: &[u8], start: usize, index: usize) -> Stamp {
        let mut end = start;
        let mut k = 1i64;
        let mut idx = index;
        let result = loop {
            if end == 0 {
                break Stamp::Pending { k };
            }
            // The previous line is block[ls..end-1].
            let prev_end = (end - 1).min(block.len());
            let ls = memchr::memrchr(b'\n', &block[..prev_end]).map_or(0, |i| i + 1);
            idx = idx.saturating_sub(1);
            if let Some((memo_idx, memo)) = self.memo
                && memo_idx == idx
            {
                break match memo {
                    Stamp::After { ts, k: mk } => Stamp::After { ts, k: mk + k },
                    Stamp::Pending { k: mk } => Stamp::Pending { k: mk + k },
                };
            }
            let text = String::from_utf8_lossy(&block[ls..prev_end]);
            if let Some(ts) = classify(&text).ts_ns {
                break Stamp::After { ts, k };
            }
            k += 1;
            end = ls;
        };
        self.memo = Some((index, result));
        result
    }

    /// The stamp state at the end of a block (as if for a line after the last).
    pub fn tail(&mut self, block: &[u8]) -> Stamp {
        let unterminated = !block.is_empty() && !block.ends_with(b"\n");
        let n = memchr::memchr_iter(b'\n', block).count() + usize::from(unterminated);
        // A virtual newline after an unterminated last line keeps the walk uniform.
        self.stamp(block, block.len() + usize::from(unterminated), n)
    }
}

/// `classify_fast` on a line of the scan.
pub(crate) fn classify(text: &str) -> Fast<'_> {
    line::classify_fast(text)
}

#[cfg(test)]
#[path = "scan_tests.rs"]
mod tests;
