//! Small, deterministic workloads for instruction-count profiling (`valgrind --tool=callgrind`),
//! which stays meaningful on a loaded machine where wall-clock time does not.
//!
//! Run: `cargo build --release --example perf_probe`, then e.g.
//! `valgrind --tool=callgrind target/release/examples/perf_probe text 20000`.
//! Workloads: `text N`, `jsonl N` (the tail writer on N followed lines, as in
//! `benches/tail_throughput.rs`), `tail-jsonl N` / `tail-text N` (the whole tail path: Loki
//! frames of 100 entries decoded, deduplicated and written), `frames N` (only encoding those
//! frames, to subtract), `demo` (generating the demo data set).

use std::hint::black_box;
use std::sync::Arc;

use vs_logs::model::{Labels, LogEntry};
use vs_logs::output::{EntryWriter, OutputFormat};
use vs_logs::tail::dedupe::Deduper;
use vs_logs::tail::frame::{FrameDecoder, encode_frame};

/// VulnSentinel-like agent/api lines on a handful of streams (the tail bench's lines).
fn entries(n: usize) -> Vec<LogEntry> {
    let modules = ["api", "agent", "engine", "db"];
    (0..n)
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
        .collect()
}

fn write(format: OutputFormat, n: usize) {
    let all = entries(n);
    let mut w = EntryWriter::new(std::io::sink(), format, false);
    for batch in all.chunks(100) {
        if w.write_entries(batch).is_err() {
            break;
        }
    }
    black_box(w.finish().is_ok());
}

/// The tail path end to end, as `benches/tail_throughput.rs` measures it.
fn tail(format: Option<OutputFormat>, n: usize) {
    let frames: Vec<String> = entries(n)
        .chunks(100)
        .map(|c| encode_frame(c, true))
        .collect();
    let Some(format) = format else {
        black_box(frames.len());
        return;
    };
    let mut dec = FrameDecoder::new();
    let mut dd = Deduper::new(2_000_000_000);
    let mut w = EntryWriter::new(std::io::sink(), format, false);
    for f in &frames {
        if let Ok(f) = dec.decode(f) {
            let fresh = dd.admit(f.entries);
            if w.write_entries(&fresh).is_err() {
                break;
            }
        }
    }
    black_box(w.finish().is_ok());
}

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_default();
    let n: usize = args.next().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    match what.as_str() {
        "text" => write(OutputFormat::Text, n),
        "jsonl" => write(OutputFormat::Jsonl, n),
        "tail-jsonl" => tail(Some(OutputFormat::Jsonl), n),
        "tail-text" => tail(Some(OutputFormat::Text), n),
        "frames" => tail(None, n),
        "entries" => {
            black_box(entries(n).len());
        }
        "demo" => {
            black_box(vs_logs::source::demo::demo_lines().len());
        }
        _ => {
            eprintln!("usage: perf_probe text|jsonl|tail-jsonl|tail-text|frames|entries|demo [N]");
            std::process::exit(2);
        }
    }
}
