//! Large log queries fetched as concurrent time slices placed by Loki's volume index: the same
//! lines in the same order as the sequential fetch for every batch size and both directions
//! (lines sharing timestamps on the cuts included), in order and early through `query_logs`,
//! quietly sequential without the index endpoints, fewer requests in flight after a 429, and
//! cut on Loki's hourly split interval where the lines allow it.

use std::sync::Mutex;
use std::time::Duration;

use super::client::{client, entries, log_query};
use crate::support::loki_stub::{Fault, LokiStub, Reply};
use vs_logs::loki::LokiClient;
use vs_logs::model::{Direction, LogEntry};

const T0: i64 = 1_795_500_000_000_000_000;
const QUERY_RANGE: &str = "/loki/api/v1/query_range";
type Key = (String, i64, String);

/// Four entries on each of `times` (three streams, two lines of stream `a`).
fn stub(times: impl IntoIterator<Item = i64>) -> (LokiStub, Vec<Key>) {
    let stub = LokiStub::start();
    let mut all = Vec::new();
    let mut per: std::collections::BTreeMap<&str, Vec<(i64, String)>> = Default::default();
    for (i, ts) in times.into_iter().enumerate() {
        for (s, line) in [
            ("a", format!("a-{i}")),
            ("a", format!("a-{i}-again")),
            ("b", format!("b-{i}")),
            ("c", format!("c-{i}")),
        ] {
            all.push((s.to_string(), ts, line.clone()));
            per.entry(s).or_default().push((ts, line));
        }
    }
    for (s, es) in per {
        stub.add_stream(&[("app", "x"), ("s", s)], es);
    }
    (stub, all)
}

/// Entries on every nanosecond of `[T0, T0 + n)`: any cut lands on a shared timestamp.
fn dense(n: i64) -> (LokiStub, Vec<Key>) {
    stub(T0..T0 + n)
}

fn keys(es: &[LogEntry]) -> Vec<Key> {
    es.iter()
        .map(|e| (e.labels["s"].clone(), e.ts, e.line.clone()))
        .collect()
}

/// The merged order, computed from the data: time in `dir`, then stream, then line.
fn expected(all: &[Key], dir: Direction, limit: usize) -> Vec<Key> {
    let mut v = all.to_vec();
    v.sort_by(|a, b| {
        let t = match dir {
            Direction::Forward => a.1.cmp(&b.1),
            Direction::Backward => b.1.cmp(&a.1),
        };
        t.then(a.0.cmp(&b.0)).then(a.2.cmp(&b.2))
    });
    if limit > 0 {
        v.truncate(limit);
    }
    v
}

fn query(end: i64, limit: usize, dir: Direction) -> vs_logs::model::QueryRange {
    log_query("{app=\"x\"}", T0, end, limit, dir)
}

/// The distinct `[start, end)` windows of the page requests after the first `skip`.
fn windows_after(stub: &LokiStub, skip: usize) -> Vec<(i64, i64)> {
    let mut w: Vec<(i64, i64)> = stub
        .requests_to(QUERY_RANGE)
        .iter()
        .skip(skip)
        .map(|r| {
            let p = |n: &str| r.param(n).unwrap().parse::<i64>().unwrap();
            (p("start"), p("end"))
        })
        .collect();
    w.sort();
    w.dedup();
    w
}

fn windows(stub: &LokiStub) -> Vec<(i64, i64)> {
    windows_after(stub, 0)
}

#[tokio::test]
async fn sliced_fetch_equals_the_sequential_one_for_every_batch_and_direction() {
    let (stub, all) = dense(300);
    for dir in [Direction::Backward, Direction::Forward] {
        for limit in [0usize, 130, 1199] {
            let want = expected(&all, dir, limit);
            for batch in [7usize, 50, 1000, 5000] {
                for parallel in [0usize, 1, 3] {
                    stub.clear_requests();
                    let c = client(&stub, |cfg| {
                        cfg.batch_size = batch;
                        cfg.parallel = parallel;
                    });
                    let got = keys(&entries(&c, &query(T0 + 300, limit, dir)).await.unwrap());
                    let what = format!("{dir:?} limit {limit} batch {batch} parallel {parallel}");
                    assert_eq!(got.len(), want.len(), "{what}");
                    assert_eq!(got, want, "{what}");
                    // Planned only when the first page over the whole range came back full;
                    // the volume asked for only when the rest needs more than one slice
                    // (a little under a page; the stats count the range, not the limit).
                    let planned = stub.request_count("/loki/api/v1/index/stats") > 0;
                    let sliced = stub.request_count("/loki/api/v1/index/volume_range") > 0;
                    let multi_page = (limit == 0 || limit > batch) && all.len() >= batch;
                    assert_eq!(planned, parallel != 1 && multi_page, "{what}");
                    let rest = all.len().saturating_sub(batch);
                    assert_eq!(sliced, planned && rest > batch * 4 / 5, "{what}");
                }
            }
        }
    }
}

#[tokio::test]
async fn slices_follow_the_volume_not_the_clock() {
    // 100 timestamps over 9000 s, then 900 in the last 1000 s.
    const S: i64 = 1_000_000_000;
    let times = (0..100)
        .map(|i| T0 + i * 90 * S)
        .chain((0..900).map(|i| T0 + 9000 * S + i * S * 10 / 9));
    let (stub, all) = stub(times);
    let c = client(&stub, |cfg| cfg.batch_size = 500);
    let end = T0 + 10_000 * S;
    let got = entries(&c, &query(end, 0, Direction::Backward))
        .await
        .unwrap();
    assert_eq!(keys(&got), expected(&all, Direction::Backward, 0));
    // The first page (500 newest lines) over the whole range, then the rest, 3,500 lines at
    // about 400 a slice: nine slices, most of them inside the burst (the last 1000 s).
    let first = &stub.requests_to(QUERY_RANGE)[0];
    assert_eq!(first.param("start"), Some(T0.to_string().as_str()));
    let w = windows_after(&stub, 1);
    assert!((8..=10).contains(&w.len()), "{w:?}");
    let in_burst = w.iter().filter(|(s, _)| *s >= T0 + 8900 * S).count();
    assert!(in_burst + 2 >= w.len(), "{w:?}");
    assert!(
        w.windows(2).all(|p| p[0].1 == p[1].0),
        "slices must tile: {w:?}"
    );
    assert_eq!(w[0].0, T0);
}

#[tokio::test]
async fn without_the_index_endpoints_the_query_runs_as_before() {
    let (stub, all) = dense(300);
    let not_found = Reply::text(404, "404 page not found\n");
    stub.serve_path("/loki/api/v1/index/volume_range", not_found.clone());
    // Volume missing, stats there: equal-time slices, same result.
    let c = client(&stub, |cfg| cfg.batch_size = 100);
    for dir in [Direction::Backward, Direction::Forward] {
        let got = keys(&entries(&c, &query(T0 + 300, 0, dir)).await.unwrap());
        assert_eq!(got, expected(&all, dir, 0), "{dir:?}");
    }
    assert!(windows(&stub).len() > 1);
    // Both missing (an old Loki): one window, paged sequentially, same result, no error.
    stub.serve_path("/loki/api/v1/index/stats", not_found);
    stub.clear_requests();
    let got = keys(
        &entries(&c, &query(T0 + 300, 0, Direction::Forward))
            .await
            .unwrap(),
    );
    assert_eq!(got, expected(&all, Direction::Forward, 0));
    assert_eq!(windows(&stub).first(), Some(&(T0, T0 + 300)));
    assert!(windows(&stub).iter().all(|w| w.1 == T0 + 300));
}

/// Collects `query_logs` deliveries, noting how many page requests had been made at the first.
async fn deliveries(
    c: &LokiClient,
    stub: &LokiStub,
    limit: usize,
    stop_after: usize,
) -> (Vec<Vec<Key>>, usize) {
    let got: Mutex<Vec<Vec<Key>>> = Mutex::new(Vec::new());
    let first_at = Mutex::new(0usize);
    let mut each = |es: Vec<LogEntry>| {
        let mut g = got.lock().unwrap();
        if g.is_empty() {
            *first_at.lock().unwrap() = stub.request_count(QUERY_RANGE);
        }
        g.push(keys(&es));
        g.len() < stop_after
    };
    c.query_logs(
        &query(T0 + 1000, limit, Direction::Backward),
        &|_| {},
        &mut each,
    )
    .await
    .unwrap();
    let first = *first_at.lock().unwrap();
    (got.into_inner().unwrap(), first)
}

#[tokio::test]
async fn slices_are_delivered_in_order_as_their_turn_comes() {
    let (stub, all) = dense(1000);
    let c = client(&stub, |cfg| cfg.batch_size = 200);
    let (batches, first_at) = deliveries(&c, &stub, 0, usize::MAX).await;
    let total = stub.request_count(QUERY_RANGE);
    assert_eq!(batches.concat(), expected(&all, Direction::Backward, 0));
    assert!(batches.len() >= 10, "{} slices", batches.len());
    // The first slice went out while most were not even asked for (4 in flight).
    assert!(first_at * 2 < total, "{first_at} of {total}");
    // A limit cuts the last delivery; stopping early stops the fetch.
    let (batches, _) = deliveries(&c, &stub, 450, usize::MAX).await;
    assert_eq!(batches.concat(), expected(&all, Direction::Backward, 450));
    stub.clear_requests();
    let (batches, _) = deliveries(&c, &stub, 0, 2).await;
    assert_eq!(batches.len(), 2);
    assert!(stub.request_count(QUERY_RANGE) < total);
}

#[tokio::test]
async fn rate_limited_queries_back_off_and_fewer_go_at_once() {
    let (stub, all) = dense(600);
    stub.slow_path(QUERY_RANGE, Duration::from_millis(20));
    let c = client(&stub, |cfg| {
        cfg.batch_size = 200;
        cfg.retries = 5;
    });
    let want = expected(&all, Direction::Forward, 0);
    let got = keys(
        &entries(&c, &query(T0 + 600, 0, Direction::Forward))
            .await
            .unwrap(),
    );
    assert_eq!(got, want);
    let seen = stub.in_flight_at_arrival(QUERY_RANGE);
    assert!(seen.iter().any(|n| *n > 1), "slices overlap: {seen:?}");
    // The first page is refused three times (429, then 503): one request at a time after.
    stub.clear_requests();
    stub.fail_path(QUERY_RANGE, 2, Fault::too_many_requests(0));
    stub.fail_path(QUERY_RANGE, 1, Fault::service_unavailable());
    let got = keys(
        &entries(&c, &query(T0 + 600, 0, Direction::Forward))
            .await
            .unwrap(),
    );
    assert_eq!(got, want);
    let seen = stub.in_flight_at_arrival(QUERY_RANGE);
    assert!(seen.len() > 10, "{seen:?}");
    assert!(seen.iter().all(|n| *n == 1), "{seen:?}");
}

#[tokio::test]
async fn lines_bunched_in_a_long_range_get_a_finer_volume_histogram() {
    // A range of 100,000 s whose lines are all in its last 1000 s, most in the last 100 s.
    const S: i64 = 1_000_000_000;
    let times = (0..200)
        .map(|i| T0 + 99_000 * S + i * S * 9 / 2)
        .chain((0..800).map(|i| T0 + 99_900 * S + i * S / 8));
    let (stub, all) = stub(times);
    let c = client(&stub, |cfg| cfg.batch_size = 500);
    let end = T0 + 100_000 * S;
    let got = entries(&c, &query(end, 0, Direction::Backward))
        .await
        .unwrap();
    assert_eq!(keys(&got), expected(&all, Direction::Backward, 0));
    let volume = stub.requests_to("/loki/api/v1/index/volume_range");
    assert_eq!(volume.len(), 2, "the whole range, then where the lines are");
    // Over the hour holding the first line (the first answer's buckets are hours).
    assert!(volume[1].param("start").unwrap().parse::<i64>().unwrap() >= T0 + 97_200 * S);
    let w = windows_after(&stub, 1);
    let dense = w.iter().filter(|(s, _)| *s >= T0 + 99_890 * S).count();
    assert!(dense >= 6, "{w:?}");
    assert!(
        w.windows(2).all(|p| p[0].1 == p[1].0),
        "slices must tile: {w:?}"
    );
    assert_eq!(w[0].0, T0);
}

#[tokio::test]
async fn one_at_a_time_the_pages_are_delivered_as_they_arrive() {
    // `--parallel 1`: no slicing, one page after the other; each page's settled lines go out
    // before the next page is asked for, so memory holds a page, not the result.
    let (stub, all) = dense(1000);
    let c = client(&stub, |cfg| {
        cfg.batch_size = 200;
        cfg.parallel = 1;
    });
    let (batches, first_at) = deliveries(&c, &stub, 0, usize::MAX).await;
    let total = stub.request_count(QUERY_RANGE);
    assert_eq!(batches.concat(), expected(&all, Direction::Backward, 0));
    assert_eq!(stub.request_count("/loki/api/v1/index/volume_range"), 0);
    assert!(total >= 20, "{total} pages");
    assert_eq!(
        first_at, 1,
        "the first page's lines went out before the second request"
    );
    assert!(
        batches.len() + 1 >= total,
        "{} deliveries, {total} pages",
        batches.len()
    );
    assert!(
        batches.iter().all(|b| b.len() <= 204),
        "no delivery holds more than a page and the entries on its boundary"
    );
    // A limit cuts the result exactly; stopping early stops the paging.
    stub.clear_requests();
    let (batches, _) = deliveries(&c, &stub, 450, usize::MAX).await;
    assert_eq!(batches.concat(), expected(&all, Direction::Backward, 450));
    let n = stub.request_count(QUERY_RANGE);
    assert!(n * 3 < total, "{n} requests of {total}");
    stub.clear_requests();
    let (batches, _) = deliveries(&c, &stub, 0, 2).await;
    assert_eq!(batches.len(), 2);
    assert_eq!(stub.request_count(QUERY_RANGE), 2);
}

#[tokio::test]
async fn after_the_first_page_slices_are_cut_on_the_hour() {
    // Six hours, a timestamp every 30 s (480 lines an hour); 1,250 a page, so a slice holds
    // up to 1,000 lines: two whole hours, not three.
    const S: i64 = 1_000_000_000;
    const H: i64 = 3600 * S;
    assert_eq!(T0 % H, 0);
    let (stub, all) = stub((0..720).map(|i| T0 + i * 30 * S));
    let c = client(&stub, |cfg| cfg.batch_size = 1250);
    let got = entries(&c, &query(T0 + 6 * H, 0, Direction::Forward))
        .await
        .unwrap();
    assert_eq!(keys(&got), expected(&all, Direction::Forward, 0));
    // The first page ends inside timestamp 312 (T0 + 9,360 s); the rest: 192 lines to the
    // next hour and the 480 of the one after (672), then the last two hours (960).
    let edge = T0 + 9360 * S;
    assert_eq!(
        windows(&stub),
        vec![
            (T0, T0 + 6 * H),
            (edge, T0 + 4 * H),
            (T0 + 4 * H, T0 + 6 * H)
        ]
    );
}
