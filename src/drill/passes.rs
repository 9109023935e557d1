//! The miner's two passes over chunks of lines, using a second core when there are more
//! lines than one chunk. The results are the same as one thread's, bit for bit:
//!
//! - learning is order-dependent, so it stays on the calling thread; a worker reads the next
//!   chunk's lines into their features (the larger part of the work) while it learns;
//! - counting is order-independent but for the samples kept and the ids returned: each chunk
//!   is cut in two halves, the worker counts the second with its own [`Counter`], and the two
//!   counters are merged at the end ([`Counter::merge`]); the ids come back in line order.
//!   A line whose learned cluster is its group's first is counted there without being read
//!   again (see `Counter::first_of`): counting is then mostly the filter checks.
//!
//! Memory stays bounded by the chunk size (two chunks in flight per pass), plus the ids and
//! the cluster each line joined (4 bytes a line).

use std::sync::mpsc::sync_channel;
use std::thread;

use super::miner::Batch;
use super::patterns::{Counter, Miner, PatternSet, PatternsConfig};

/// Lines per chunk: large enough that handing a chunk over costs nothing next to reading it,
/// small enough that a chunk's features stay in the caches.
pub const CHUNK: usize = 8_192;

/// [`super::mine_assigned`] in chunks of `chunk` lines.
pub fn mine_in_chunks<'a, I>(
    lines: I,
    start_ns: i64,
    end_ns: i64,
    cfg: &PatternsConfig,
    chunk: usize,
) -> (PatternSet, Vec<Option<usize>>)
where
    I: IntoIterator<Item = (i64, &'a str)> + Clone,
{
    let chunk = chunk.max(2);
    let (miner, joined) = learn(lines.clone().into_iter().map(|(_, l)| l), cfg, chunk);
    count(
        lines.into_iter(),
        miner.counter(start_ns, end_ns),
        &joined,
        chunk,
    )
}

/// The learning pass. Per chunk, the calling thread reads the first [`OWN_SHARE`] of the lines
/// and learns the whole chunk, the worker reads the rest one chunk ahead: learning costs
/// about a sixth of reading, so both threads are busy about as long. Also returns the
/// cluster each line joined, in line order (4 bytes a line), so that counting need not read
/// most lines again.
fn learn<'a>(
    mut lines: impl Iterator<Item = &'a str>,
    cfg: &PatternsConfig,
    chunk: usize,
) -> (Miner, Vec<u32>) {
    let mut miner = Miner::new(cfg.clone());
    let mut joined = Vec::new();
    let max = miner.max_tokens();
    let mut front: Vec<&str> = lines.by_ref().take(chunk).collect();
    let mut batch = Batch::default();
    if front.len() < chunk {
        for l in front {
            batch.push(l, max);
        }
        miner.learn_batch(&batch, &mut joined);
        return (miner, joined);
    }
    thread::scope(|s| {
        let (to_worker, work) = sync_channel::<(Vec<&'a str>, Batch<'a>)>(1);
        let (to_main, done) = sync_channel::<(Vec<&'a str>, Batch<'a>)>(1);
        s.spawn(move || {
            for (lines, mut batch) in work {
                batch.clear();
                for l in &lines {
                    batch.push(l, max);
                }
                if to_main.send((lines, batch)).is_err() {
                    return;
                }
            }
        });
        let own = |n: usize| n * OWN_SHARE.0 / OWN_SHARE.1;
        let mut spares: Vec<(Vec<&'a str>, Batch<'a>)> = Vec::new();
        let mut back = spares.pop().unwrap_or_default();
        back.0.extend(front.drain(own(front.len())..));
        if to_worker.send(back).is_err() {
            return;
        }
        let mut next: Vec<&str> = Vec::with_capacity(chunk);
        loop {
            // The next chunk's back part goes to the worker before this chunk is learned.
            next.clear();
            next.extend(lines.by_ref().take(chunk));
            let more = !next.is_empty();
            if more {
                let mut back = spares.pop().unwrap_or_default();
                back.0.clear();
                back.0.extend(next.drain(own(next.len())..));
                if to_worker.send(back).is_err() {
                    return;
                }
            }
            batch.clear();
            for l in &front {
                batch.push(l, max);
            }
            miner.learn_batch(&batch, &mut joined);
            // a worker that panicked ends the scope, which panics in turn
            let Ok(read) = done.recv() else { return };
            miner.learn_batch(&read.1, &mut joined);
            spares.push(read);
            if !more {
                return;
            }
            std::mem::swap(&mut front, &mut next);
        }
    });
    (miner, joined)
}

/// The share of each chunk the learning thread reads itself (the worker reads the rest):
/// `(R - L) / 2R` for reading R and learning L instructions a line (callgrind, demo lines:
/// R ≈ 2,500, L ≈ 430).
const OWN_SHARE: (usize, usize) = (27, 64);

/// A half chunk handed to the counting worker: its first line's index, its lines, their ids.
type Half<'a> = (usize, Vec<(i64, &'a str)>, Vec<Option<usize>>);

/// The counting pass.
fn count<'a>(
    mut lines: impl Iterator<Item = (i64, &'a str)>,
    mut counter: Counter,
    joined: &[u32],
    chunk: usize,
) -> (PatternSet, Vec<Option<usize>>) {
    let mut ids = Vec::new();
    let mut own: Vec<(i64, &'a str)> = lines.by_ref().take(chunk).collect();
    // The clusters joined by the lines from `at` on (none past the end: then lines are read).
    let joined_from = |at: usize| joined.get(at..).unwrap_or_default();
    if own.len() < chunk {
        counter.count_all(0, &own, joined, &mut ids);
        return (counter.finish(), ids);
    }
    let other = counter.clone();
    let other = thread::scope(|s| {
        let (to_worker, work) = sync_channel::<Half<'a>>(1);
        let (to_main, done) = sync_channel::<Half<'a>>(1);
        let worker = s.spawn(move || {
            let mut other = other;
            for (first, lines, mut out) in work {
                out.clear();
                other.count_all(first, &lines, joined_from(first), &mut out);
                if to_main.send((first, lines, out)).is_err() {
                    break;
                }
            }
            other
        });
        let mut spare: (Vec<(i64, &'a str)>, Vec<Option<usize>>) = Default::default();
        let mut at = 0;
        while !own.is_empty() {
            let half = own.len() / 2;
            let (mut theirs, out) = spare;
            theirs.clear();
            theirs.extend(own.drain(half..));
            let n = own.len() + theirs.len();
            if to_worker.send((at + half, theirs, out)).is_err() {
                break;
            }
            counter.count_all(at, &own, joined_from(at), &mut ids);
            own.clear();
            own.extend(lines.by_ref().take(chunk));
            let Ok((_, theirs, out)) = done.recv() else {
                break;
            };
            ids.extend_from_slice(&out);
            spare = (theirs, out);
            at += n;
        }
        drop(to_worker);
        worker.join()
    });
    match other {
        Ok(other) => counter.merge(other),
        Err(panic) => std::panic::resume_unwind(panic),
    }
    (counter.finish(), ids)
}

#[cfg(test)]
mod tests {
    use super::super::patterns::mine_assigned;
    use super::*;

    /// Lines of every kind the miner reads: structlog lines with and without message keys,
    /// escapes, non-string message values and broken JSON (the full parse), dev-console text
    /// with terminal escapes, plain text with variables; in a shuffled order.
    fn lines(n: usize) -> Vec<String> {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let names = ["alice", "bob", "carol", "dave"];
        (0..n)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let name = names[(x >> 8) as usize % names.len()];
                match x % 12 {
                    0 => format!(
                        r#"{{"event":"http.request","method":"GET","path":"/v1/items/{i}","status":200,"duration_ms":{},"level":"info"}}"#,
                        i % 97
                    ),
                    1 => format!(
                        r#"{{"event":"tool.error","tool":"t{}","error":"HTTP {}: not found for {name}","level":"error"}}"#,
                        i % 5,
                        400 + i % 5
                    ),
                    2 => format!(
                        r#"{{"event":"db.error","error":"server closed the connection after {i}ms","pool":[1,{{"a":null}}]}}"#
                    ),
                    3 => format!(
                        r#"{{"event":"agent.message","message":"turn {} of agent ag-{i} by {name}","level":"debug"}}"#,
                        i % 9
                    ),
                    4 => format!(r#"{{"event":"x","msg":"escaped \"quote\" {i} \u00e9"}}"#),
                    5 => format!(r#"{{"event":"notify.sent","message":{{"title":"{name}"}}}}"#),
                    6 => format!(r#"{{"event":"broken","message":"{name} {i}""#),
                    7 => format!("Worker {i} started (pid:{})", i * 3),
                    8 => format!("GET /api/v1/items?id={i} 200 {}ms", i % 50),
                    9 => format!("user {name} logged {}", ["in", "out"][i % 2]),
                    10 => format!("\x1b[32minfo\x1b[0m job {i} done for {name}"),
                    _ => format!("disk {} full on {name}", i % 4),
                }
            })
            .collect()
    }

    /// Chunks of every size, on one thread or two, give what one chunk on one thread gives.
    #[test]
    fn two_threads_and_any_chunk_size_mine_the_same_as_one() {
        let text = lines(6_000);
        let lines: Vec<(i64, &str)> = text
            .iter()
            .enumerate()
            .map(|(i, l)| (i as i64 * 1_000, l.as_str()))
            .collect();
        let cfg = PatternsConfig::default();
        let end = lines.len() as i64 * 1_000;
        let one = mine_in_chunks(lines.iter().copied(), 0, end, &cfg, usize::MAX);
        assert!(one.0.patterns.len() > 10, "{}", one.0.patterns.len());
        assert!(one.0.patterns.iter().any(|p| p.exact));
        assert!(
            one.0
                .patterns
                .iter()
                .all(|p| p.samples.len() == cfg.samples)
        );
        for chunk in [2, 3, 7, 100, 1_000, 5_999, 6_000, 6_001] {
            let two = mine_in_chunks(lines.iter().copied(), 0, end, &cfg, chunk);
            assert_eq!(two.0, one.0, "chunk {chunk}");
            assert_eq!(two.1, one.1, "chunk {chunk}");
        }
        assert_eq!(mine_assigned(lines.iter().copied(), 0, end, &cfg), one);
    }

    /// The counting pass takes a learned line's slot from the cluster it joined (when that is
    /// its group's first) instead of reading it again: the same as reading every line, with
    /// few clusters per group (many lines in later clusters) and with the default.
    #[test]
    fn counting_by_the_cluster_joined_is_counting_by_reading_the_line() {
        let text = lines(3_000);
        let lines: Vec<(i64, &str)> = text
            .iter()
            .enumerate()
            .map(|(i, l)| (i as i64 * 1_000, l.as_str()))
            .collect();
        let end = lines.len() as i64 * 1_000;
        for cfg in [
            PatternsConfig::default(),
            PatternsConfig {
                max_clusters_per_group: 2,
                similarity: 0.9,
                ..PatternsConfig::default()
            },
        ] {
            let mut miner = Miner::new(cfg.clone());
            for (_, l) in &lines {
                miner.learn(l);
            }
            let mut counter = miner.counter(0, end);
            let ids: Vec<Option<usize>> = lines
                .iter()
                .enumerate()
                .map(|(i, &(ts, l))| counter.count(i, ts, l))
                .collect();
            let read = (counter.finish(), ids);
            assert!(read.0.patterns.iter().any(|p| p.exact));
            for chunk in [usize::MAX, 7, 1_000] {
                let got = mine_in_chunks(lines.iter().copied(), 0, end, &cfg, chunk);
                assert_eq!(got.0, read.0, "chunk {chunk}");
                assert_eq!(got.1, read.1, "chunk {chunk}");
            }
        }
    }
}
