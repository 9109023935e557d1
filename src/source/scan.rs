//! Scanning inputs in parallel: blocks are read on one thread and processed by rayon workers in
//! batches, then merged in file order, so results do not depend on the number of cores.

#[cfg(test)]
use std::borrow::Cow;
use std::sync::mpsc;

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
    // Blocks in flight: enough to keep every worker busy while the merge waits for the oldest,
    // few enough to bound memory (each holds up to a 4 MB block and its results).
    let window = rayon::current_num_threads().max(1) * 2 + 1;
    match data {
        Data::Memory { bytes, .. } => {
            let ranges = reader::memory_blocks(bytes);
            let mut jobs = ranges.into_iter().map(Ok);
            let work = |r: &std::ops::Range<usize>| work(&bytes[r.clone()]);
            let size = |r: &std::ops::Range<usize>| (r.end - r.start) as u64;
            ordered(&mut jobs, window, &work, &size, merge)
                .map_err(|e| SourceError::Other(e.to_string()))
        }
        Data::File { path, compression } => {
            let blocks = reader::open_blocks(path, *compression)?;
            std::thread::scope(|scope| {
                let (tx, rx) = mpsc::sync_channel::<std::io::Result<Block>>(window);
                scope.spawn(move || read_blocks(blocks, &tx));
                let mut jobs = rx.into_iter();
                let work = |b: &Block| work(&b.bytes);
                let size = |b: &Block| b.bytes.len() as u64;
                ordered(&mut jobs, window, &work, &size, merge)
                    .map_err(|e| reader::read_error(path, *compression, e))
            })
        }
    }
}

/// A block read from a file; once its job is done, its buffer goes back to the reader for a
/// later block (a fresh 4 MB buffer costs a page fault per 4 KB page on every read).
struct Block {
    bytes: Vec<u8>,
    spare: mpsc::Sender<Vec<u8>>,
}

impl Drop for Block {
    fn drop(&mut self) {
        let _ = self.spare.send(std::mem::take(&mut self.bytes));
    }
}

/// Runs `work` on each job on the rayon pool, at most `window` at a time, and hands the
/// results to `merge` in job order as soon as each one's turn comes: no worker waits for a
/// batch to finish, and the merge overlaps with the work.
fn ordered<J: Send, R: Send>(
    jobs: &mut dyn Iterator<Item = std::io::Result<J>>,
    window: usize,
    work: &(dyn Fn(&J) -> R + Sync),
    size: &dyn Fn(&J) -> u64,
    merge: &mut dyn FnMut(R) -> bool,
) -> std::io::Result<Counts> {
    let mut counts = Counts::default();
    let (tx, rx) = mpsc::channel::<(usize, std::thread::Result<R>)>();
    rayon::in_place_scope(|s| {
        let mut sent = 0usize;
        let mut merged = 0usize;
        let mut ready: std::collections::BTreeMap<usize, R> = std::collections::BTreeMap::new();
        let mut ended = false;
        loop {
            while !ended && sent - merged < window {
                match jobs.next() {
                    Some(Ok(job)) => {
                        counts.bytes += size(&job);
                        let tx = tx.clone();
                        let i = sent;
                        s.spawn(move |_| {
                            // A panicking job still answers, or the merge would wait forever.
                            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                work(&job)
                            }));
                            let _ = tx.send((i, r));
                        });
                        sent += 1;
                    }
                    Some(Err(e)) => return Err(e),
                    None => ended = true,
                }
            }
            if merged == sent {
                return Ok(counts);
            }
            // Every spawned job sends exactly once, so this cannot wait forever.
            let Ok((i, r)) = rx.recv() else {
                return Ok(counts);
            };
            let Ok(r) = r else {
                return Err(std::io::Error::other(
                    "internal error while scanning the input (a bug in vs-logs: please report it)",
                ));
            };
            ready.insert(i, r);
            while let Some(r) = ready.remove(&merged) {
                merged += 1;
                if !merge(r) {
                    return Ok(counts);
                }
            }
        }
    })
}

fn read_blocks(mut blocks: Blocks<reader::Input>, tx: &mpsc::SyncSender<std::io::Result<Block>>) {
    let (spare_tx, spare_rx) = mpsc::channel::<Vec<u8>>();
    // A buffer per worker, one queued and the one being read; past that the reader waits for
    // one to come back rather than fault in a fresh one (zeroing the pages of fresh buffers
    // cost the reader thread as much as the copy from the page cache). Waiting only throttles:
    // every buffer out is in a block that is queued or being worked on.
    let most = rayon::current_num_threads().max(1) + 2;
    let mut made = 0usize;
    loop {
        let spare = match spare_rx.try_recv() {
            Ok(buf) => buf,
            Err(_) if made < most => {
                made += 1;
                Vec::new()
            }
            // Each comes back when its block is dropped (the reader holds a sender too).
            Err(_) => spare_rx.recv().unwrap_or_default(),
        };
        match blocks.next_block_in(spare) {
            Ok(Some(bytes)) => {
                let block = Block {
                    bytes,
                    spare: spare_tx.clone(),
                };
                if tx.send(Ok(block)).is_err() {
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
#[cfg(test)]
pub(crate) struct Line<'a> {
    pub start: usize,
    /// Position among all the block's lines, blank ones included (the tests check the split).
    pub index: usize,
    pub text: Cow<'a, str>,
}

/// The lines of a block, without `\r\n` endings; blank lines are skipped (Loki rejects
/// empty entries). Invalid UTF-8 is replaced, never fatal. The scan itself reads records
/// (`record::records`), which group these lines; the tests check the split with it.
#[cfg(test)]
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
/// the last answer (by line start) so a run of untimed lines costs one walk.
#[derive(Default)]
pub(crate) struct Resolver {
    memo: Option<(usize, Stamp)>,
}

impl Resolver {
    /// The stamp for the line starting at byte `start` of the block.
    pub fn stamp(&mut self, block: &[u8], start: usize) -> Stamp {
        let mut end = start;
        let mut k = 1i64;
        let result = loop {
            if end == 0 {
                break Stamp::Pending { k };
            }
            // The previous line is block[ls..end-1].
            let prev_end = (end - 1).min(block.len());
            let ls = memchr::memrchr(b'\n', &block[..prev_end]).map_or(0, |i| i + 1);
            if let Some((memo_start, memo)) = self.memo
                && memo_start == ls
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
        self.memo = Some((start, result));
        result
    }

    /// The stamp state at the end of a block (as if for a line after the last).
    pub fn tail(&mut self, block: &[u8]) -> Stamp {
        let unterminated = !block.is_empty() && !block.ends_with(b"\n");
        // A virtual newline after an unterminated last line keeps the walk uniform.
        self.stamp(block, block.len() + usize::from(unterminated))
    }
}

/// How many lines [`lines`] yields for a block (the non-blank ones), without splitting them
/// into strings: for the line count of a scan that skips most lines unread. One newline search
/// per line: a vectorised count of the newlines plus a second pass for the lines that start
/// with whitespace cost more instructions on log lines of a few hundred bytes.
pub(crate) fn count_lines(block: &[u8]) -> u64 {
    let mut n = 0;
    let mut start = 0;
    while start < block.len() {
        let end = memchr::memchr(b'\n', &block[start..]).map_or(block.len(), |i| start + i);
        // Most lines start with a visible byte: only the others need a full look.
        if !block[start].is_ascii_whitespace()
            || !block[start..end].iter().all(u8::is_ascii_whitespace)
        {
            n += 1;
        }
        start = end + 1;
    }
    n
}

/// `classify_fast` on a line of the scan.
pub(crate) fn classify(text: &str) -> Fast<'_> {
    line::classify_fast(text)
}

#[cfg(test)]
#[path = "scan_tests.rs"]
mod tests;
