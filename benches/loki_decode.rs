#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Decoding a 5000-entry `query_range` page (the real capture `09-qr-all-limit-5000.json`) and
//! paging 50,000 entries from the Loki stub, against the stub's raw serving speed.
//!
//! Run: `cargo bench --bench loki_decode`

#[path = "../tests/support"]
mod support {
    pub mod loki_stub;
}

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use support::loki_stub::LokiStub;
use vs_logs::loki::wire;
use vs_logs::loki::{LokiClient, LokiConfig};
use vs_logs::model::{Direction, QueryOutput, QueryRange};

const T0: i64 = 1_795_500_000_000_000_000;
const ENTRIES: usize = 50_000;

fn page() -> Vec<u8> {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/loki-wire/09-qr-all-limit-5000.json"
    );
    std::fs::read(p).expect("fixture 09")
}

/// CPU time of this thread (user + system), from `/proc/thread-self/stat`, in clock ticks
/// (10 ms): wall-clock figures on a machine shared by many builds overstate the work.
fn thread_cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

fn decode(c: &mut Criterion) {
    let body = page();
    if let Some(t0) = thread_cpu_ticks() {
        let n = 400u32;
        for _ in 0..n {
            black_box(wire::decode_query(black_box(&body)).unwrap());
        }
        if let Some(t1) = thread_cpu_ticks() {
            eprintln!(
                "decode 09: {:.2} ms CPU per page (thread CPU time over {n} decodes)",
                (t1 - t0) as f64 * 10.0 / f64::from(n)
            );
        }
    }
    c.bench_function("decode 09-qr-all-limit-5000 (1.4 MB, 5000 entries)", |b| {
        b.iter(|| wire::decode_query(black_box(&body)).unwrap())
    });
}

/// A stub holding 50,000 real lines (from the 5000-entry capture, ten times over) in the
/// capture's 28 streams, 1 ms apart.
fn stub(gzip: bool) -> LokiStub {
    let s = LokiStub::start();
    if !gzip {
        s.disable_gzip();
    }
    let wire::Decoded::Streams(es) = wire::decode_query(&page()).unwrap().0 else {
        panic!("streams")
    };
    type Pairs = Vec<(String, String)>;
    let mut by_stream: std::collections::BTreeMap<Pairs, Vec<(i64, String)>> = Default::default();
    for i in 0..ENTRIES {
        let e = &es[i % es.len()];
        let key: Vec<_> = e
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        by_stream
            .entry(key)
            .or_default()
            .push((T0 + i as i64 * 1_000_000, e.line.clone()));
    }
    for (labels, entries) in by_stream {
        let l: Vec<(&str, &str)> = labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        s.add_stream(&l, entries);
    }
    s
}

fn paging(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut g = c.benchmark_group("page 50,000 entries from the stub");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    let req = QueryRange {
        query: "{app=\"vulnsentinel\"}".into(),
        start_ns: T0,
        end_ns: T0 + ENTRIES as i64 * 1_000_000,
        limit: 0,
        direction: Direction::Backward,
        step_ms: None,
        instant: false,
    };
    for (gzip, batch) in [(true, 5000usize), (true, 1000), (false, 5000)] {
        let s = stub(gzip);
        // On the loopback gzip is asked for only when the user sends the header.
        let headers = if gzip {
            vec![("Accept-Encoding".to_string(), "gzip".to_string())]
        } else {
            Vec::new()
        };
        let client = LokiClient::new(LokiConfig {
            addr: s.url(),
            batch_size: batch,
            headers,
            ..LokiConfig::default()
        })
        .unwrap();
        let name = format!("client, batch {batch}, gzip {gzip}");
        g.bench_function(&name, |b| {
            b.iter(|| {
                let (out, _) = rt.block_on(client.query(&req, &|_| {})).unwrap();
                let QueryOutput::Streams(es) = out else {
                    panic!()
                };
                assert_eq!(es.len(), ENTRIES);
            })
        });
        // The stub's own serving speed: the same 10 pages of 5000 fetched and not decoded.
        if batch == 5000 {
            let http = reqwest::Client::new();
            let url = format!("{}/loki/api/v1/query_range", s.url());
            let name = format!("stub alone, 10 raw pages of 5000, gzip {gzip}");
            g.bench_function(&name, |b| {
                b.iter(|| {
                    rt.block_on(async {
                        let mut end = req.end_ns;
                        for _ in 0..10 {
                            let body = http
                                .get(&url)
                                .query(&[
                                    ("query", req.query.clone()),
                                    ("start", req.start_ns.to_string()),
                                    ("end", end.to_string()),
                                    ("limit", "5000".into()),
                                ])
                                .header("Accept-Encoding", if gzip { "gzip" } else { "identity" })
                                .send()
                                .await
                                .unwrap()
                                .bytes()
                                .await
                                .unwrap();
                            black_box(body.len());
                            end -= 5000 * 1_000_000;
                        }
                    })
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, decode, paging);
criterion_main!(benches);
