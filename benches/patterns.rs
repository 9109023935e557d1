//! Mining patterns from 1,000,000 lines (the demo data, repeated): both passes of the miner,
//! learning and counting with filter verification. Goal (issue 14): under 1 s, bounded memory.
//!
//! Run: `cargo bench --bench patterns` (size: `VS_BENCH_LINES=1000000`, the default). A quick
//! check that it runs: `VS_BENCH_LINES=1000 cargo test --bench patterns`. For instruction
//! counts on a loaded machine, `VS_BENCH_ONESHOT=N` runs only N one-shot minings (no
//! criterion): `perf stat -e instructions:u` of `N=1` minus `N=0` is one mining.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use vs_logs::drill::{PatternsConfig, mine};
use vs_logs::source::demo::demo_lines;

fn lines() -> Vec<String> {
    let n: usize = std::env::var("VS_BENCH_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let demo = demo_lines();
    demo.iter().cycle().take(n).cloned().collect()
}

/// The process's CPU time so far (ns; every thread, 10 ms ticks), from `/proc/self/stat`: on
/// a loaded machine wall time measures the load, CPU time measures the miner.
fn process_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime: fields 14 and 15 of stat, 12 and 13 after the state
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(ticks * 10_000_000)
}

fn bench(c: &mut Criterion) {
    let lines = lines();
    let cfg = PatternsConfig::default();
    let oneshot: Option<usize> = std::env::var("VS_BENCH_ONESHOT")
        .ok()
        .and_then(|v| v.parse().ok());
    // One mining timed by CPU as well as wall, printed before criterion's wall-clock figures.
    for _ in 0..oneshot.unwrap_or(3) {
        let (cpu0, t0) = (process_cpu_ns(), std::time::Instant::now());
        let set = mine(
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| (i as i64, l.as_str())),
            0,
            lines.len() as i64,
            &cfg,
        );
        let wall = t0.elapsed();
        if let (Some(a), Some(b)) = (cpu0, process_cpu_ns()) {
            eprintln!(
                "patterns: mined {} lines into {} patterns: wall {:.0} ms, CPU {:.0} ms",
                lines.len(),
                set.patterns.len(),
                wall.as_secs_f64() * 1e3,
                (b - a) as f64 / 1e6
            );
        }
    }
    if oneshot.is_some() {
        return;
    }
    let mut g = c.benchmark_group("patterns");
    g.sample_size(10);
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.bench_function(format!("mine {} lines", lines.len()), |b| {
        b.iter(|| {
            let set = mine(
                lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (i as i64, l.as_str())),
                0,
                lines.len() as i64,
                &cfg,
            );
            black_box(set.patterns.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
