//! Mining patterns from 1,000,000 lines (the demo data, repeated): both passes of the miner,
//! learning and counting with filter verification. Goal (issue 14): under 1 s, bounded memory.
//!
//! Run: `cargo bench --bench patterns` (size: `VS_BENCH_LINES=1000000`, the default). A quick
//! check that it runs: `VS_BENCH_LINES=1000 cargo test --bench patterns`.

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

fn bench(c: &mut Criterion) {
    let lines = lines();
    let cfg = PatternsConfig::default();
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
