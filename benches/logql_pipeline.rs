//! Throughput of the embedded LogQL log pipeline (selector + prefilter + process) over the
//! conformance data set (VulnSentinel structlog lines), repeated to ~32 MB, on one core and
//! on all cores with rayon (as the file scanner runs it).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use vs_logs::logql::LogQuery;
use vs_logs::model::{Labels, LogEntry};

fn dataset() -> Vec<LogEntry> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/logql-conformance/"
    );
    let lines = std::fs::read_to_string(format!("{dir}dataset.jsonl")).unwrap_or_default();
    let meta = std::fs::read_to_string(format!("{dir}dataset.meta.jsonl")).unwrap_or_default();
    let mut streams: std::collections::BTreeMap<Labels, Arc<Labels>> = Default::default();
    let mut base = Vec::new();
    for (line, m) in lines.split('\n').zip(meta.lines()) {
        let v: serde_json::Value = serde_json::from_str(m).unwrap_or_default();
        let mut labels: Labels = v["labels"]
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default();
        labels.insert("service_name".into(), "vulnsentinel".into());
        let arc = streams
            .entry(labels.clone())
            .or_insert_with(|| Arc::new(labels))
            .clone();
        base.push(LogEntry::new(0, arc, line));
    }
    let mut out = Vec::new();
    let mut bytes = 0;
    while bytes < 32 << 20 && !base.is_empty() {
        for e in &base {
            bytes += e.line.len() + 1;
            out.push(e.clone());
        }
    }
    out
}

fn run(q: &LogQuery, e: &LogEntry) -> usize {
    if q.matches_stream(&e.labels) && q.line_prefilter(&e.line) {
        q.process(e).map_or(0, |o| o.line.len())
    } else {
        0
    }
}

fn bench(c: &mut Criterion) {
    let data = dataset();
    let bytes: u64 = data.iter().map(|e| e.line.len() as u64 + 1).sum();
    let mut g = c.benchmark_group("logql_pipeline");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    for (name, q) in [
        (
            "json_level_error",
            r#"{app="vulnsentinel"} | json | level="error""#,
        ),
        (
            "line_filter_rate_limit",
            r#"{app="vulnsentinel"} |= "rate limit""#,
        ),
        (
            "json_event_filter",
            r#"{app="vulnsentinel"} | json | event="tool.call" | duration_ms > 5000"#,
        ),
        ("json_all_labels", r#"{app="vulnsentinel"} | json"#),
        (
            "logfmt_regex_filter",
            r#"{app="vulnsentinel"} |~ "timeout after \\d+s" | logfmt"#,
        ),
    ] {
        let Ok(q) = LogQuery::compile(q) else {
            continue;
        };
        g.bench_function(format!("{name}/1core"), |b| {
            b.iter(|| black_box(data.iter().map(|e| run(&q, e)).sum::<usize>()))
        });
        g.bench_function(format!("{name}/rayon"), |b| {
            b.iter(|| {
                black_box(
                    data.par_chunks(4096)
                        .map(|c| c.iter().map(|e| run(&q, e)).sum::<usize>())
                        .sum::<usize>(),
                )
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
