//! Lines per second through the tail path: Loki frames (100 entries each, categorize-labels)
//! decoded, deduplicated, and written to a sink (stdout writer on `io::sink`) or pushed into a
//! TUI-like bounded buffer. One `FrameDecoder` per run, as the tail keeps one per session.
//!
//! Run: `cargo bench --bench tail_throughput`

use std::collections::VecDeque;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use vs_logs::model::{Labels, LogEntry};
use vs_logs::output::{EntryWriter, OutputFormat};
use vs_logs::tail::dedupe::Deduper;
use vs_logs::tail::frame::{FrameDecoder, encode_frame};

const LINES: usize = 20_000;

/// VulnSentinel-like agent/api lines on a handful of streams, three per nanosecond timestamp.
fn frames() -> Vec<String> {
    let modules = ["api", "agent", "engine", "db"];
    let entries: Vec<LogEntry> = (0..LINES)
        .map(|i| {
            let module = modules[i % modules.len()];
            let mut l = Labels::new();
            l.insert("app".into(), "vulnsentinel".into());
            l.insert("container".into(), "vulnsentinel".into());
            l.insert("level".into(), "info".into());
            l.insert("module".into(), module.into());
            l.insert("service_name".into(), "vulnsentinel".into());
            let line = format!(
                r#"{{"event":"tool.call","seq":{i},"tool":"fetch_commit_diff","args":{{"sha":"abc{i:06}"}},"agent_type":"event_classifier","agent_id":"ag-{}","target_id":"evt-{}","timestamp":"2026-11-25T08:06:48.000000Z","level":"info","logger":"vulnsentinel.{module}"}}"#,
                i / 40,
                i / 7
            );
            let mut e = LogEntry::new(
                1_795_594_000_000_000_000 + (i / 3) as i64 * 1000,
                Arc::new(l),
                line,
            );
            e.metadata.insert("detected_level".into(), "info".into());
            e
        })
        .collect();
    entries.chunks(100).map(|c| encode_frame(c, true)).collect()
}

fn bench(c: &mut Criterion) {
    let frames = frames();
    let mut g = c.benchmark_group("tail");
    g.throughput(Throughput::Elements(LINES as u64));
    g.sample_size(20);

    g.bench_function("decode", |b| {
        b.iter(|| {
            let mut n = 0;
            let mut dec = FrameDecoder::new();
            for f in &frames {
                n += dec.decode(f).map(|f| f.entries.len()).unwrap_or(0);
            }
            black_box(n)
        })
    });

    for (name, format) in [
        ("decode_dedupe_write_jsonl", OutputFormat::Jsonl),
        ("decode_dedupe_write_text", OutputFormat::Text),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut dd = Deduper::new(2_000_000_000);
                let mut w = EntryWriter::new(std::io::sink(), format, false);
                let mut dec = FrameDecoder::new();
                for f in &frames {
                    if let Ok(f) = dec.decode(f) {
                        let fresh = dd.admit(f.entries);
                        let _ = w.write_entries(&fresh);
                    }
                }
                black_box(w.finish().is_ok())
            })
        });
    }

    g.bench_function("decode_dedupe_bounded_buffer", |b| {
        b.iter(|| {
            let cap = 100_000;
            let mut buf: VecDeque<LogEntry> = VecDeque::with_capacity(cap);
            let mut dd = Deduper::new(2_000_000_000);
            let mut dec = FrameDecoder::new();
            for f in &frames {
                if let Ok(f) = dec.decode(f) {
                    for e in dd.admit(f.entries) {
                        if buf.len() == cap {
                            buf.pop_front();
                        }
                        buf.push_back(e);
                    }
                }
            }
            black_box(buf.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
