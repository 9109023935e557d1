//! Paging against an adversarial fake Loki, range splitting and volume-balanced slices.

use super::*;

fn labels(s: &str) -> Arc<Labels> {
    let mut l = Labels::new();
    l.insert("s".into(), s.into());
    Arc::new(l)
}

/// A fake Loki: all entries of `data` in the window, in direction order with ties broken
/// by the REVERSE of our order (adversarial), first `limit`.
fn serve(data: &[LogEntry], dir: Direction, r: PageRequest) -> Vec<LogEntry> {
    let mut v: Vec<LogEntry> = data
        .iter()
        .filter(|e| e.ts >= r.start_ns && e.ts < r.end_ns)
        .cloned()
        .collect();
    v.sort_by(|a, b| {
        let t = match dir {
            Direction::Forward => a.ts.cmp(&b.ts),
            Direction::Backward => b.ts.cmp(&a.ts),
        };
        t.then_with(|| compare(dir, b, a))
    });
    v.truncate(r.limit);
    v
}

fn dataset() -> Vec<LogEntry> {
    let mut d = Vec::new();
    for i in 0..40i64 {
        // Many timestamps shared by three streams, some by two entries of one stream.
        let ts = 1000 + (i / 4) * 10;
        d.push(LogEntry::new(ts, labels("a"), format!("a{i}")));
        d.push(LogEntry::new(ts, labels("b"), format!("b{i}")));
        if i % 3 == 0 {
            d.push(LogEntry::new(ts, labels("c"), format!("c{i}")));
        }
    }
    d
}

fn run(data: &[LogEntry], limit: usize, batch: usize, dir: Direction) -> Vec<LogEntry> {
    let mut noop = |_: usize, _: usize| {};
    let fut = page_all(
        0,
        i64::MAX,
        limit,
        batch,
        dir,
        |r| {
            let page = serve(data, dir, r);
            async move { Ok(page) }
        },
        &mut noop,
    );
    futures_util::FutureExt::now_or_never(fut)
        .expect("ready")
        .expect("ok")
}

#[test]
fn identical_for_every_batch_size() {
    let data = dataset();
    for dir in [Direction::Backward, Direction::Forward] {
        let mut expected = data.clone();
        sort_entries(dir, &mut expected);
        for limit in [0usize, 1, 5, 37, 1000] {
            let want: Vec<_> = if limit == 0 {
                expected.clone()
            } else {
                expected.iter().take(limit).cloned().collect()
            };
            for batch in [1usize, 2, 3, 7, 1000] {
                let got = run(&data, limit, batch, dir);
                assert_eq!(got, want, "dir {dir:?} limit {limit} batch {batch}");
            }
        }
    }
}

#[test]
fn splits_ranges() {
    assert_eq!(split_range(0, 10, 4, 1), vec![(0, 4), (4, 8), (8, 10)]);
    assert_eq!(split_range(0, 10, 100, 2), vec![(0, 5), (5, 10)]);
    assert_eq!(split_range(0, 10, 100, 1), vec![(0, 10)]);
}

#[test]
fn finds_the_selector() {
    assert_eq!(selector_of(r#" {app="x"} |= "}""#), Some(r#"{app="x"}"#));
    assert_eq!(
        selector_of(r#"{a="q\"}", b=~`}`} | json"#),
        Some(r#"{a="q\"}", b=~`}`}"#)
    );
    assert_eq!(selector_of("sum(rate({a=\"b\"}[5m]))"), None);
    assert_eq!(selector_of("{a=\"b\""), None);
}

fn bucket(start_ns: i64, end_ns: i64, weight: f64) -> VolumeBucket {
    VolumeBucket {
        start_ns,
        end_ns,
        weight,
    }
}

#[test]
fn balances_slices_by_volume() {
    // All the weight in the last tenth: the cuts go there, not at equal times.
    let b = [bucket(0, 900, 0.0), bucket(900, 1000, 100.0)];
    assert_eq!(
        balanced_slices(0, 1000, &b, 4),
        vec![(0, 925), (925, 950), (950, 975), (975, 1000)]
    );
    // Uneven buckets: each slice gets a quarter of the weight.
    let b = [bucket(0, 100, 30.0), bucket(100, 200, 10.0)];
    assert_eq!(
        balanced_slices(0, 200, &b, 4),
        vec![(0, 33), (33, 66), (66, 100), (100, 200)]
    );
    // Buckets reaching past the range are clipped; no weight: one slice.
    assert_eq!(
        balanced_slices(50, 150, &[bucket(0, 100, 0.0)], 3),
        vec![(50, 150)]
    );
    // Too narrow to cut: fewer slices, still covering the range exactly.
    let got = balanced_slices(0, 10, &[bucket(4, 5, 9.0)], 5);
    assert_eq!(got.first().map(|s| s.0), Some(0));
    assert_eq!(got.last().map(|s| s.1), Some(10));
    assert!(got.windows(2).all(|w| w[0].1 == w[1].0 && w[0].0 < w[0].1));
}
