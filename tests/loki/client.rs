//! The Loki client against the stub: merging streams, gzip, default steps, discovery, push,
//! paging with shared boundary timestamps, the 5000 cap and range slicing.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::fixture;
use crate::support::loki_stub::{LokiStub, Reply};
use vs_logs::loki::{LokiClient, LokiConfig, LokiError};
use vs_logs::model::{Direction, LogEntry, MetricResult, QueryOutput, QueryRange};

pub(crate) const START: i64 = 1_795_507_260_000_000_000;
pub(crate) const END: i64 = 1_795_594_043_000_000_000;
/// Test data lives at realistic nanosecond times (Loki reads <= 10-digit integers as seconds).
const T0: i64 = 1_795_500_000_000_000_000;

pub(crate) fn client(stub: &LokiStub, f: impl FnOnce(&mut LokiConfig)) -> LokiClient {
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

pub(crate) fn log_query(
    q: &str,
    start: i64,
    end: i64,
    limit: usize,
    direction: Direction,
) -> QueryRange {
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

pub(crate) async fn entries(c: &LokiClient, req: &QueryRange) -> Result<Vec<LogEntry>, LokiError> {
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
    // The stub is on the loopback, where gzip is not asked for unless the user says so.
    let c = client(&stub, |cfg| {
        cfg.headers.push(("Accept-Encoding".into(), "gzip".into()))
    });
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
async fn a_loki_on_the_loopback_is_asked_for_plain_answers() {
    // No network to save bytes on, and gzip would be work for a Loki on our own cores.
    let stub = LokiStub::start();
    let labels = [("app", "x")];
    stub.add_stream(&labels, (0..50).map(|i| (START + i, format!("line {i}"))));
    let c = client(&stub, |_| {});
    let q = log_query("{app=\"x\"}", START, END, 0, Direction::Forward);
    assert_eq!(entries(&c, &q).await.unwrap().len(), 50);
    let sent = stub.requests();
    assert!(!sent.is_empty());
    for r in &sent {
        assert_eq!(r.header("accept-encoding"), Some("identity"), "{}", r.path);
    }
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
    // One progress report per page; the index requests that place the slices are not pages.
    let reqs = stub.requests_to("/loki/api/v1/query_range");
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
