#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The Loki client against real wire captures and the Loki stub: decoding every shape,
//! paging with shared boundary timestamps, slicing, faults and their messages, redirects.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use support::loki_stub::{Fault, LokiStub, Reply};
use vs_logs::loki::wire::{self, Decoded};
use vs_logs::loki::{LokiClient, LokiConfig, LokiError};
use vs_logs::model::{Direction, LogEntry, MetricResult, QueryOutput, QueryRange};
use vs_logs::secret::Secret;

const START: i64 = 1_795_507_260_000_000_000;
const END: i64 = 1_795_594_043_000_000_000;
/// Test data lives at realistic nanosecond times (Loki reads <= 10-digit integers as seconds).
const T0: i64 = 1_795_500_000_000_000_000;

fn fixture(name: &str) -> Vec<u8> {
    let p = format!(
        "{}/tests/fixtures/loki-wire/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn streams(name: &str) -> Vec<LogEntry> {
    match wire::decode_query(&fixture(name)).unwrap().0 {
        Decoded::Streams(es) => es,
        other => panic!("{name}: expected streams, got {other:?}"),
    }
}

fn metric(name: &str) -> MetricResult {
    match wire::decode_query(&fixture(name)).unwrap().0 {
        Decoded::Metric(m) => m,
        other => panic!("{name}: expected a metric, got {other:?}"),
    }
}

fn gunzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(b), &mut out).unwrap();
    out
}

// ---------- decoding every capture ----------

#[test]
fn decodes_5000_entry_page_with_stats() {
    let (d, stats) = wire::decode_query(&fixture("09-qr-all-limit-5000.json")).unwrap();
    let Decoded::Streams(es) = d else { panic!() };
    assert_eq!(es.len(), 5000);
    let label_sets: BTreeSet<_> = es.iter().map(|e| (*e.labels).clone()).collect();
    assert_eq!(label_sets.len(), 28);
    assert_eq!(
        es.iter().map(|e| e.ts).max(),
        Some(1_795_593_135_254_712_537)
    );
    assert_eq!(
        es.iter().map(|e| e.ts).min(),
        Some(1_795_584_606_687_788_622)
    );
    assert_eq!(stats.bytes_processed, 7_071_592);
    assert_eq!(stats.lines_processed, 24_664);
    // Entries of one stream share their labels.
    let shared = es
        .windows(2)
        .filter(|w| Arc::ptr_eq(&w[0].labels, &w[1].labels))
        .count();
    assert!(shared >= 5000 - 28, "{shared}");
}

#[test]
fn decodes_categorize_labels_three_element_values() {
    let es = streams("02b-qr-ag456-forward-categorize-labels.json");
    assert_eq!(es.len(), 14);
    let real: BTreeSet<_> = es.iter().map(|e| (*e.labels).clone()).collect();
    assert_eq!(real.len(), 2);
    let e = es
        .iter()
        .find(|e| e.ts == 1_795_583_881_977_893_740)
        .unwrap();
    assert_eq!(e.metadata["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(e.metadata["detected_level"], "debug");
    assert_eq!(e.parsed["agent_id"], "ag-456");
    assert_eq!(e.parsed["level_extracted"], "debug");
    assert_eq!(e.labels["level"], "debug");
    assert!(!e.labels.contains_key("trace_id"));
    // No parser: only structured metadata in the third element.
    let c = streams("02c-qr-ag456-linefilter-categorize-labels.json");
    assert_eq!(c.len(), 14);
    assert!(
        c.iter()
            .all(|e| e.parsed.is_empty() && e.metadata.contains_key("trace_id"))
    );
    let sm = streams("13-qr-api-last-hour-sm.json");
    assert_eq!(sm.len(), 40);
    assert_eq!(
        sm.iter()
            .filter(|e| e.metadata.contains_key("trace_id"))
            .count(),
        1
    );
}

#[test]
fn decodes_plain_streams() {
    let plain = streams("02-qr-ag456-forward.json");
    assert_eq!(plain.len(), 14);
    let sets: BTreeSet<_> = plain.iter().map(|e| (*e.labels).clone()).collect();
    assert_eq!(
        sets.len(),
        14,
        "one label set per line with | json and no flag"
    );
    let merged = streams("02d-qr-ag456-linefilter-plain.json");
    assert!(
        merged
            .iter()
            .all(|e| e.labels["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736")
    );
    assert_eq!(streams("11-qr-all-errors-json.json").len(), 344);
    let special = streams("12-qr-special-lines.json");
    let esc = special
        .iter()
        .find(|e| e.ts == 1_795_554_063_000_000_000)
        .unwrap();
    assert!(
        esc.line
            .starts_with("\u{1b}[33mWARNING\u{1b}[0m poc-runner")
    );
    let zh = streams("12c-qr-chinese.json");
    assert!(
        zh.iter()
            .any(|e| e.line.contains("漏洞扫描完成：curl 发现 3 个高危漏洞"))
    );
    let long = streams("12d-qr-long-line.json");
    assert_eq!(long[0].line.len(), 20_069);
}

#[test]
fn decodes_gzip_capture() {
    let es = match wire::decode_query(&gunzip(&fixture("17-qr-all-gzip.json.gz")))
        .unwrap()
        .0
    {
        Decoded::Streams(es) => es,
        _ => panic!(),
    };
    assert_eq!(es.len(), 200);
    assert_eq!(
        es.iter().map(|e| e.ts).max(),
        Some(1_795_593_135_254_712_537)
    );
    assert_eq!(
        es.iter().map(|e| e.ts).min(),
        Some(1_795_592_821_964_594_648)
    );
}

#[test]
fn decodes_matrix_seconds_to_ms() {
    let MetricResult::Matrix(m) = metric("07-qr-agent-starts-by-type-1h.json") else {
        panic!()
    };
    assert_eq!(m.len(), 3);
    assert_eq!(m[0].metric["agent_type"], "event_classifier");
    assert_eq!(m[0].points.len(), 24);
    assert_eq!(
        (m[0].points[0].t_ms, m[0].points[0].v),
        (1_795_510_800_000, 11.0)
    );
    let MetricResult::Matrix(p95) = metric("08-qr-api-p95-by-module.json") else {
        panic!()
    };
    assert_eq!(p95[0].points[0].v, 162.46999999999957);
    let MetricResult::Matrix(r) = metric("03e-qr-api-rate-drop-json-labels.json") else {
        panic!()
    };
    assert_eq!(r.len(), 11);
    assert_eq!(r[0].points.len(), 248);
    assert_eq!(r[0].points[0].t_ms, 1_795_507_431_000);
    assert_eq!(r[0].points[0].v, 0.056666666666666664);
    let MetricResult::Matrix(vr) = metric("33c-index-volume-range.json") else {
        panic!()
    };
    assert_eq!(vr[0].points[0].t_ms, 1_795_510_799_999);
    assert_eq!(vr[0].points[0].v, 203_810.0);
}

#[test]
fn decodes_vector_and_scalar_ms() {
    let MetricResult::Vector(v) = metric("20-q-instant-metric.json") else {
        panic!()
    };
    assert_eq!(v.len(), 4);
    assert_eq!(v[0].metric["level"], "debug");
    assert_eq!((v[0].point.t_ms, v[0].point.v), (1_795_594_043_000, 9558.0));
    let MetricResult::Vector(one) = metric("20b-q-instant-metric-scalar.json") else {
        panic!()
    };
    assert_eq!(one[0].point.v, 973.0);
    // Scalar timestamps are integer milliseconds on the wire.
    let MetricResult::Scalar(p) = metric("20c-q-instant-scalar-literal.json") else {
        panic!()
    };
    assert_eq!((p.t_ms, p.v), (1_795_594_058_017, 2.0));
    let MetricResult::Vector(vol) = metric("33b-index-volume-by-module.json") else {
        panic!()
    };
    assert_eq!(vol.len(), 5);
    assert_eq!(vol[0].metric["module"], "api");
    assert_eq!(vol[0].point.v, 4_895_744.0);
}

#[test]
fn decodes_labels_series_and_index_stats() {
    assert_eq!(
        wire::decode_string_list(&fixture("30-labels.json")).unwrap(),
        ["app", "container", "level", "module", "service_name"]
    );
    assert_eq!(
        wire::decode_string_list(&fixture("31-label-module-values.json")).unwrap(),
        ["agent", "api", "app", "db", "engine"]
    );
    assert!(
        wire::decode_string_list(&fixture("31c-label-unknown-values.json"))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        wire::decode_series(&fixture("32-series.json"))
            .unwrap()
            .len(),
        19
    );
    assert_eq!(
        wire::decode_series(&fixture("32b-series-two-matchers.json"))
            .unwrap()
            .len(),
        8
    );
    let all = wire::decode_series(&fixture("32c-series-without-match.json")).unwrap();
    assert_eq!(all.len(), 20);
    assert!(all.iter().any(|l| l["app"] == "vs-tailtest"));
    let s = wire::decode_index_stats(&fixture("34-index-stats.json")).unwrap();
    assert_eq!(
        (s.streams, s.chunks, s.bytes, s.entries),
        (37, 90, 11_643_186, 48_123)
    );
}

// ---------- the client against the stub ----------

fn client(stub: &LokiStub, f: impl FnOnce(&mut LokiConfig)) -> LokiClient {
    let mut cfg = LokiConfig {
        addr: stub.url(),
        timeout: Duration::from_secs(10),
        retries: 0,
        retry_backoff: Duration::from_millis(1),
        ..LokiConfig::default()
    };
    f(&mut cfg);
    LokiClient::new(cfg).unwrap()
}

fn log_query(q: &str, start: i64, end: i64, limit: usize, direction: Direction) -> QueryRange {
    QueryRange {
        query: q.into(),
        start_ns: start,
        end_ns: end,
        limit,
        direction,
        step_ms: None,
        instant: false,
    }
}

async fn entries(c: &LokiClient, req: &QueryRange) -> Result<Vec<LogEntry>, LokiError> {
    match c.query(req, &|_| {}).await?.0 {
        QueryOutput::Streams(es) => Ok(es),
        QueryOutput::Metric(m) => panic!("expected entries, got {m:?}"),
    }
}

fn serve_fixture(stub: &LokiStub, name: &str, gzipped: bool) {
    let body = fixture(name);
    stub.set_evaluator(Arc::new(move |_| {
        let mut r = Reply::new(200, "application/json; charset=UTF-8", body.clone());
        if gzipped {
            r.headers.push(("Content-Encoding".into(), "gzip".into()));
        }
        Some(r)
    }));
}

#[tokio::test]
async fn merges_streams_into_time_order_and_sends_categorize_flag() {
    let stub = LokiStub::start();
    serve_fixture(&stub, "02b-qr-ag456-forward-categorize-labels.json", false);
    let c = client(&stub, |_| {});
    let q = "{app=\"vulnsentinel\", module=\"agent\"} | json | agent_id=\"ag-456\"";
    let es = entries(&c, &log_query(q, START, END, 1000, Direction::Forward))
        .await
        .unwrap();
    assert_eq!(es.len(), 14);
    assert_eq!(es[0].ts, 1_795_583_880_123_701_751);
    assert_eq!(es[13].ts, 1_795_583_883_892_199_765);
    assert!(es.windows(2).all(|w| w[0].ts <= w[1].ts));
    let req = &stub.requests()[0];
    assert_eq!(req.path, "/loki/api/v1/query_range");
    assert_eq!(req.method, "GET");
    assert_eq!(
        req.header("x-loki-response-encoding-flags"),
        Some("categorize-labels")
    );
    assert_eq!(req.param("query"), Some(q));
    assert_eq!(req.param("direction"), Some("forward"));
    assert_eq!(req.param("start"), Some("1795507260000000000"));
}

#[tokio::test]
async fn accepts_gzip_bodies() {
    let stub = LokiStub::start();
    serve_fixture(&stub, "17-qr-all-gzip.json.gz", true);
    let c = client(&stub, |_| {});
    let es = entries(
        &c,
        &log_query(
            "{app=\"vulnsentinel\"}",
            START,
            END,
            200,
            Direction::Backward,
        ),
    )
    .await
    .unwrap();
    assert_eq!(es.len(), 200);
    assert_eq!(es[0].ts, 1_795_593_135_254_712_537);
    assert!(
        stub.requests()[0]
            .header("accept-encoding")
            .unwrap()
            .contains("gzip")
    );
}

#[tokio::test]
async fn metric_queries_get_loki_default_step() {
    let stub = LokiStub::start();
    serve_fixture(&stub, "03e-qr-api-rate-drop-json-labels.json", false);
    let c = client(&stub, |_| {});
    let q = "sum by (status) (rate({app=\"vulnsentinel\", module=\"api\"} | json [5m]))";
    let (out, _) = c
        .query(&log_query(q, START, END, 100, Direction::Backward), &|_| {})
        .await
        .unwrap();
    let QueryOutput::Metric(MetricResult::Matrix(m)) = out else {
        panic!()
    };
    assert_eq!(m.len(), 11);
    // 24h06m23s / 250 = 347 s, as Loki chose for 03e.
    assert_eq!(stub.requests()[0].param("step"), Some("347"));
}

#[tokio::test]
async fn discovery_endpoints() {
    let stub = LokiStub::start();
    stub.add_stream(&[("app", "a"), ("module", "api")], [(100, "x".into())]);
    stub.add_stream(&[("app", "a"), ("module", "db")], [(200, "y".into())]);
    stub.add_stream(&[("app", "b"), ("level", "error")], [(300, "z".into())]);
    let c = client(&stub, |_| {});
    assert_eq!(c.labels(0, 1000).await.unwrap(), ["app", "level", "module"]);
    assert_eq!(
        c.label_values("module", 0, 1000, None).await.unwrap(),
        ["api", "db"]
    );
    assert!(
        c.label_values("nosuch", 0, 1000, None)
            .await
            .unwrap()
            .is_empty()
    );
    let q = Some("{app=\"a\"}");
    assert_eq!(
        c.label_values("module", 0, 1000, q).await.unwrap(),
        ["api", "db"]
    );
    let m = [
        "{module=\"api\"}".to_string(),
        "{level=\"error\"}".to_string(),
    ];
    let series = c.series(&m, 0, 1000).await.unwrap();
    assert_eq!(series.len(), 2);
    let last = stub.requests().pop().unwrap();
    assert_eq!(
        last.params_named("match[]"),
        ["{module=\"api\"}", "{level=\"error\"}"]
    );
    let st = c.index_stats("{app=\"a\"}", 0, 1000).await.unwrap();
    assert_eq!((st.streams, st.entries, st.bytes), (2, 2, 2));
}

#[tokio::test]
async fn push_sends_json_streams() {
    let stub = LokiStub::start();
    let c = client(&stub, |_| {});
    let labels: vs_logs::model::Labels = [("app".to_string(), "vulnsentinel".to_string())]
        .into_iter()
        .collect();
    c.push(&[(labels.clone(), vec![(5, "one".into()), (6, "two".into())])])
        .await
        .unwrap();
    let pushed = stub.pushed();
    assert_eq!(pushed.len(), 1);
    assert_eq!(pushed[0].labels, labels);
    let lines: Vec<_> = pushed[0]
        .entries
        .iter()
        .map(|e| (e.ts, e.line.as_str()))
        .collect();
    assert_eq!(lines, [(5, "one"), (6, "two")]);
    let es = entries(
        &c,
        &log_query("{app=\"vulnsentinel\"}", 0, 10, 0, Direction::Forward),
    )
    .await
    .unwrap();
    assert_eq!(es.len(), 2);
}

// ---------- paging ----------

/// Three streams, many timestamps shared by all of them, some by two lines of one stream.
fn paging_stub() -> (LokiStub, Vec<(String, i64, String)>) {
    let stub = LokiStub::start();
    let mut all = Vec::new();
    for s in ["a", "b", "c"] {
        let mut es = Vec::new();
        for i in 0..60i64 {
            let ts = T0 + 1_000 + (i / 3) * 10;
            if s == "c" && i % 2 == 1 {
                continue;
            }
            let line = format!("{s}-{i}");
            es.push((ts, line.clone()));
            all.push((s.to_string(), ts, line));
        }
        stub.add_stream(&[("app", "x"), ("s", s)], es);
    }
    (stub, all)
}

fn keys(es: &[LogEntry]) -> Vec<(String, i64, String)> {
    es.iter()
        .map(|e| (e.labels["s"].clone(), e.ts, e.line.clone()))
        .collect()
}

#[tokio::test]
async fn paging_is_identical_for_every_batch_size() {
    let (stub, all) = paging_stub();
    for dir in [Direction::Backward, Direction::Forward] {
        let mut expected = all.clone();
        expected.sort_by(|a, b| {
            let t = if dir == Direction::Forward {
                a.1.cmp(&b.1)
            } else {
                b.1.cmp(&a.1)
            };
            t.then(a.0.cmp(&b.0)).then(a.2.cmp(&b.2))
        });
        for limit in [0usize, 7, 50] {
            let want = if limit == 0 {
                expected.clone()
            } else {
                expected[..limit].to_vec()
            };
            for batch in [1usize, 2, 7, 1000] {
                let c = client(&stub, |cfg| cfg.batch_size = batch);
                let q = log_query("{app=\"x\"}", T0, T0 + 10_000, limit, dir);
                let got = keys(&entries(&c, &q).await.unwrap());
                assert_eq!(got, want, "{dir:?} limit {limit} batch {batch}");
            }
        }
    }
}

#[tokio::test]
async fn paging_reports_progress_and_respects_the_5000_cap() {
    let stub = LokiStub::start();
    stub.add_stream(
        &[("app", "big")],
        (0..12_000i64).map(|i| (T0 + i, format!("l{i}"))),
    );
    let c = client(&stub, |cfg| cfg.batch_size = 100_000);
    let pages = AtomicUsize::new(0);
    let last = AtomicUsize::new(0);
    let (out, _) = c
        .query(
            &log_query("{app=\"big\"}", T0, T0 + 20_000, 0, Direction::Backward),
            &|p| {
                pages.fetch_add(1, Ordering::SeqCst);
                last.store(p.entries, Ordering::SeqCst);
            },
        )
        .await
        .unwrap();
    let QueryOutput::Streams(es) = out else {
        panic!()
    };
    assert_eq!(es.len(), 12_000);
    assert_eq!(last.load(Ordering::SeqCst), 12_000);
    let reqs = stub.requests();
    assert_eq!(pages.load(Ordering::SeqCst), reqs.len());
    assert!(
        reqs.iter()
            .all(|r| r.param("limit").unwrap().parse::<usize>().unwrap() <= 5000)
    );
}

#[tokio::test]
async fn long_ranges_are_split_and_parallel_slices_merge_in_order() {
    let (stub, all) = paging_stub();
    let mut expected = all.clone();
    expected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)).then(a.2.cmp(&b.2)));
    for parallel in [1usize, 3] {
        stub.clear_requests();
        let c = client(&stub, |cfg| {
            cfg.max_query_length = Duration::from_nanos(60);
            cfg.parallel = parallel;
            cfg.batch_size = 4;
        });
        let got = entries(
            &c,
            &log_query(
                "{app=\"x\"}",
                T0 + 1_000,
                T0 + 1_200,
                0,
                Direction::Backward,
            ),
        )
        .await
        .unwrap();
        assert_eq!(keys(&got), expected, "parallel {parallel}");
        for r in stub.requests() {
            let s: i64 = r.param("start").unwrap().parse().unwrap();
            let e: i64 = r.param("end").unwrap().parse().unwrap();
            assert!(e - s <= 60, "slice {s}..{e} longer than max_query_length");
        }
    }
}

#[tokio::test]
async fn stub_answers_like_loki_above_the_5000_cap() {
    let stub = LokiStub::start();
    let url = format!(
        "{}/loki/api/v1/query_range?query=%7Bapp%3D%22vulnsentinel%22%7D&start={START}&end={END}&limit=100000",
        stub.url()
    );
    let resp = reqwest::get(&url).await.unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    assert_eq!(
        resp.headers()["content-type"].to_str().unwrap(),
        "text/plain; charset=utf-8"
    );
    let body = resp.bytes().await.unwrap();
    assert_eq!(&body[..], &fixture("10-qr-all-limit-100000.txt")[..]);
}

// ---------- faults ----------

#[tokio::test]
async fn refused_connection_names_the_address() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = LokiClient::new(LokiConfig {
        addr: format!("http://127.0.0.1:{port}"),
        retries: 0,
        ..LokiConfig::default()
    })
    .unwrap();
    let e = c.labels(0, 1).await.unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains(&format!("127.0.0.1:{port}")), "{msg}");
    assert!(msg.contains("--addr") && msg.contains("LOKI_ADDR"), "{msg}");
    assert!(msg.to_lowercase().contains("refused"), "{msg}");
    assert_eq!(e.exit_code(), 3);
}

#[tokio::test]
async fn bad_request_shows_loki_text_and_is_not_retried() {
    let stub = LokiStub::start();
    let text = String::from_utf8(fixture("40-err-syntax.txt")).unwrap();
    stub.push_fault(Fault::bad_request(&text));
    let c = client(&stub, |cfg| cfg.retries = 3);
    let e = entries(
        &c,
        &log_query(
            "{app=\"x\"} | json | level=",
            0,
            10,
            10,
            Direction::Backward,
        ),
    )
    .await
    .unwrap_err();
    assert!(
        e.to_string()
            .ends_with("parse error at line 1, col 37: syntax error: unexpected $end"),
        "{e}"
    );
    assert_eq!(stub.request_count("/loki/api/v1/query_range"), 1);
    assert_eq!(e.exit_code(), 5);
}

#[tokio::test]
async fn instant_log_query_shows_loki_refusal() {
    let stub = LokiStub::start();
    let c = client(&stub, |_| {});
    let e = c
        .query(
            &QueryRange {
                instant: true,
                ..log_query("{app=\"x\"}", 0, 10, 10, Direction::Backward)
            },
            &|_| {},
        )
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("log queries are not supported as an instant query type")
    );
}

#[tokio::test]
async fn auth_failure_never_echoes_the_secret() {
    let stub = LokiStub::start();
    stub.push_fault(Fault::reply(
        401,
        "text/plain; charset=utf-8",
        "invalid credentials for s3cr3t-pw",
    ));
    let c = client(&stub, |cfg| {
        cfg.username = Some("bob".into());
        cfg.password = Some(Secret::new("s3cr3t-pw"));
    });
    let e = c.labels(0, 1).await.unwrap_err();
    let (msg, dbg) = (e.to_string(), format!("{e:?} {c:?}"));
    assert!(msg.contains("authentication failed (HTTP 401)"), "{msg}");
    assert!(
        msg.contains("--username") && msg.contains("LOKI_BEARER_TOKEN"),
        "{msg}"
    );
    assert!(
        !msg.contains("s3cr3t-pw") && !dbg.contains("s3cr3t-pw"),
        "{msg} {dbg}"
    );
    assert_eq!(e.exit_code(), 4);
    // The credentials did go out, as basic auth.
    assert!(
        stub.requests()[0]
            .header("authorization")
            .unwrap()
            .starts_with("Basic ")
    );
}

#[tokio::test]
async fn rate_limit_then_success_is_retried() {
    let stub = LokiStub::start();
    stub.add_stream(&[("app", "x")], [(5, "hello".into())]);
    stub.fail_next(2, Fault::too_many_requests(0));
    let c = client(&stub, |cfg| cfg.retries = 3);
    let es = entries(
        &c,
        &log_query("{app=\"x\"}", 0, 10, 10, Direction::Backward),
    )
    .await
    .unwrap();
    assert_eq!(es.len(), 1);
    assert_eq!((es[0].ts, es[0].line.as_str()), (5, "hello"));
    assert_eq!(stub.request_count("/loki/api/v1/query_range"), 3);
    // Exhausted retries: a 429 message.
    stub.fail_next(3, Fault::too_many_requests(0));
    let c = client(&stub, |cfg| cfg.retries = 2);
    let e = c.labels(0, 10).await.unwrap_err();
    assert!(
        e.to_string().contains("rate limiting requests (HTTP 429)"),
        "{e}"
    );
    assert!(e.to_string().contains("3 attempts"), "{e}");
}

#[tokio::test]
async fn server_errors() {
    let stub = LokiStub::start();
    stub.add_stream(&[("app", "x")], [(5, "hello".into())]);
    // 500 is not retried.
    stub.push_fault(Fault::internal_error("rpc error: code = Unavailable"));
    let c = client(&stub, |cfg| cfg.retries = 3);
    let e = c.labels(0, 10).await.unwrap_err();
    assert!(
        e.to_string()
            .contains("HTTP 500: rpc error: code = Unavailable"),
        "{e}"
    );
    assert_eq!(stub.request_count("/loki/api/v1/labels"), 1);
    // 502 is retried.
    stub.push_fault(Fault::bad_gateway());
    assert_eq!(c.labels(0, 10).await.unwrap(), ["app"]);
    // An HTML 504 page from a proxy is summarised.
    stub.fail_next(4, Fault::html_504());
    let e = c.labels(0, 10).await.unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("HTTP 504") && msg.contains("\"504 Gateway Time-out\""),
        "{msg}"
    );
    assert!(
        !msg.contains("<html>") && !msg.contains("<center>"),
        "{msg}"
    );
    assert_eq!(e.exit_code(), 6);
}

#[tokio::test]
async fn missing_endpoint_suggests_the_path_prefix() {
    let stub = LokiStub::start();
    let c = LokiClient::new(LokiConfig {
        addr: format!("{}/wrong-prefix", stub.url()),
        retries: 3,
        ..LokiConfig::default()
    })
    .unwrap();
    let e = c.labels(0, 10).await.unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("/loki/api/v1/labels not found"), "{msg}");
    assert!(
        msg.contains("is this a Loki server") && msg.contains("path prefix"),
        "{msg}"
    );
    assert_eq!(stub.requests()[0].path, "/wrong-prefix/loki/api/v1/labels");
    assert_eq!(stub.requests().len(), 1, "404 is not retried");
}

#[tokio::test]
async fn timeout_says_after_how_long() {
    let stub = LokiStub::start();
    stub.push_fault(Fault::Delay(Duration::from_secs(3)));
    let c = client(&stub, |cfg| cfg.timeout = Duration::from_millis(300));
    let e = c.labels(0, 10).await.unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("did not answer within 0.3s"), "{msg}");
    assert!(msg.contains("--timeout"), "{msg}");
}

#[tokio::test]
async fn truncated_bodies_are_clear_errors() {
    let stub = LokiStub::start();
    stub.add_stream(&[("app", "x")], (0..50).map(|i| (i, format!("line {i}"))));
    stub.push_fault(Fault::TruncatedJson);
    let c = client(&stub, |_| {});
    let q = log_query("{app=\"x\"}", 0, 100, 100, Direction::Backward);
    let msg = entries(&c, &q).await.unwrap_err().to_string();
    assert!(
        msg.contains("could not read Loki's answer to /loki/api/v1/query_range"),
        "{msg}"
    );
    assert!(msg.contains("cut short"), "{msg}");
    stub.push_fault(Fault::CloseMidBody);
    let msg = entries(&c, &q).await.unwrap_err().to_string();
    assert!(msg.contains("network error talking to Loki"), "{msg}");
}

#[tokio::test]
async fn redirect_to_another_host_drops_credentials_and_tenant() {
    let target = LokiStub::start();
    target.add_stream(&[("app", "x")], [(5, "hello".into())]);
    let front = LokiStub::start();
    front.redirect_to(Some(target.url()));
    let c = client(&front, |cfg| {
        cfg.org_id = Some("tenant-1".into());
        cfg.bearer_token = Some(Secret::new("tok-123"));
        cfg.headers = vec![("X-Custom".into(), "v".into())];
    });
    assert_eq!(c.labels(0, 10).await.unwrap(), ["app"]);
    let first = &front.requests()[0];
    assert_eq!(first.header("authorization"), Some("Bearer tok-123"));
    assert_eq!(first.header("x-scope-orgid"), Some("tenant-1"));
    let second = &target.requests()[0];
    assert_eq!(second.path, "/loki/api/v1/labels");
    assert_eq!(second.header("authorization"), None);
    assert_eq!(second.header("x-scope-orgid"), None);
    assert_eq!(second.header("x-custom"), None);
}

#[tokio::test]
async fn redirect_on_the_same_host_keeps_credentials() {
    let stub = LokiStub::start();
    stub.add_stream(&[("app", "x")], [(5, "hello".into())]);
    let mut moved = Reply::new(307, "text/plain; charset=utf-8", Vec::new());
    moved.headers.push((
        "Location".into(),
        "/loki/api/v1/labels?start=0&end=10".into(),
    ));
    stub.push_fault(Fault::Reply(moved));
    let c = client(&stub, |cfg| {
        cfg.org_id = Some("tenant-1".into());
        cfg.username = Some("bob".into());
        cfg.password = Some(Secret::new("pw"));
    });
    assert_eq!(c.labels(0, 10).await.unwrap(), ["app"]);
    let reqs = stub.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].header("x-scope-orgid"), Some("tenant-1"));
    assert!(
        reqs[1]
            .header("authorization")
            .unwrap()
            .starts_with("Basic ")
    );
}
