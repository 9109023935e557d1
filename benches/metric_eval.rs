//! Metric evaluation and template rendering over the conformance data set, replicated so the
//! run holds 100,000 entries over ~20 days (4031 lines per copy, each copy shifted by 20 h).
//!
//! Run: `cargo bench --bench metric_eval`

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use vs_logs::logql::MetricQuery;
use vs_logs::logql::template::{Template, TemplateContext};
use vs_logs::model::{Labels, LogEntry};

const COPIES: i64 = 25;
const SHIFT_NS: i64 = 20 * 3600 * 1_000_000_000;

fn entries() -> Vec<LogEntry> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/logql-conformance"
    );
    let lines = std::fs::read_to_string(format!("{dir}/dataset.jsonl")).unwrap_or_default();
    let meta = std::fs::read_to_string(format!("{dir}/dataset.meta.jsonl")).unwrap_or_default();
    let mut base = Vec::new();
    for (line, m) in lines.split('\n').zip(meta.lines()) {
        let Ok(m) = serde_json::from_str::<serde_json::Value>(m) else {
            continue;
        };
        let ts: i64 = m["ts_ns"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut labels: Labels = m["labels"]
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default();
        labels.insert("service_name".into(), "vulnsentinel".into());
        base.push((ts, Arc::new(labels), line.to_string()));
    }
    let mut out = Vec::new();
    for c in 0..COPIES {
        for (ts, labels, line) in &base {
            out.push(LogEntry::new(
                ts + c * SHIFT_NS,
                labels.clone(),
                line.clone(),
            ));
        }
    }
    out.sort_by_key(|e| e.ts);
    out
}

struct Ctx<'a>(&'a LogEntry);

impl TemplateContext for Ctx<'_> {
    fn label(&self, name: &str) -> Option<&str> {
        self.0.label(name)
    }
    fn line(&self) -> &str {
        &self.0.line
    }
    fn timestamp_ns(&self) -> i64 {
        self.0.ts
    }
}

fn bench(c: &mut Criterion) {
    let data = entries();
    let (start, end) = (
        data.first().map_or(0, |e| e.ts),
        data.last().map_or(0, |e| e.ts),
    );
    let mut g = c.benchmark_group("metric_eval");
    g.throughput(Throughput::Elements(data.len() as u64));
    g.sample_size(10);
    for (name, q) in [
        (
            "count_by_module_1h",
            r#"sum by (module) (count_over_time({app="vulnsentinel"}[1h]))"#,
        ),
        (
            "json_unwrap_p95_5m",
            r#"quantile_over_time(0.95, {app="vulnsentinel", module="api"} | json | event="request.end" | unwrap duration_ms [5m]) by (module)"#,
        ),
    ] {
        let Ok(q) = MetricQuery::compile(q) else {
            continue;
        };
        g.bench_function(name, |b| {
            b.iter(|| black_box(q.eval_range(&data, start, end, 300_000).is_ok()))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("template");
    g.throughput(Throughput::Elements(data.len() as u64));
    g.sample_size(10);
    if let Ok(t) = Template::parse(
        r#"{{ .module | ToUpper }} {{ default "-" .tool }} {{ __line__ | trunc 20 }}"#,
    ) {
        g.bench_function("render_per_entry", |b| {
            b.iter(|| data.iter().filter(|e| t.render(&Ctx(e)).is_ok()).count())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
