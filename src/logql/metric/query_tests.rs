//! End-to-end tests of `MetricQuery` on small hand-made streams (query text in, points out).

use super::*;

const S: i64 = 1_000_000_000;

fn stream(pairs: &[(&str, &str)]) -> Arc<Labels> {
    Arc::new(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// Lines at 10 s .. 60 s: module api (logfmt `d=…ms st=…`) and db.
fn data() -> Vec<LogEntry> {
    let api = stream(&[("app", "a"), ("module", "api")]);
    let db = stream(&[("app", "a"), ("module", "db")]);
    let mut v = vec![
        LogEntry::new(10 * S, api.clone(), "d=100ms st=200 size=1KB"),
        LogEntry::new(20 * S, db.clone(), "d=2s st=500 size=2KB"),
        LogEntry::new(30 * S, api.clone(), "d=300ms st=500 size=1KiB"),
        LogEntry::new(40 * S, api.clone(), "d=1m st=200 size=10B"),
        LogEntry::new(60 * S, db, "d=5s st=200 size=1MB"),
    ];
    v.sort_by_key(|e| e.ts);
    v
}

fn range(q: &str, start_s: i64, end_s: i64, step_s: i64) -> Vec<(Labels, Vec<(i64, f64)>)> {
    let m = MetricQuery::compile(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    match m
        .eval_range(&data(), start_s * S, end_s * S, step_s * 1000)
        .unwrap_or_else(|e| panic!("{q}: {e}"))
    {
        MetricResult::Matrix(s) => s
            .into_iter()
            .map(|s| {
                (
                    s.metric,
                    s.points.iter().map(|p| (p.t_ms / 1000, p.v)).collect(),
                )
            })
            .collect(),
        other => panic!("{other:?}"),
    }
}

fn instant(q: &str, t_s: i64) -> MetricResult {
    MetricQuery::compile(q)
        .unwrap()
        .eval_instant(&data(), t_s * S)
        .unwrap()
}

fn l(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn counts_on_the_grid() {
    let r = range(r#"count_over_time({app="a"}[30s])"#, 5, 55, 30);
    // Grid rounded out: 0, 30, 60. Window (t-30s, t].
    assert_eq!(
        r,
        vec![
            (
                l(&[("app", "a"), ("module", "api")]),
                vec![(30, 2.0), (60, 1.0)]
            ),
            (
                l(&[("app", "a"), ("module", "db")]),
                vec![(30, 1.0), (60, 1.0)]
            ),
        ]
    );
    let r = range(r#"sum(rate({app="a"}[1m]))"#, 60, 60, 60);
    assert_eq!(
        r,
        vec![(Labels::new(), vec![(60, 3.0 / 60.0 + 2.0 / 60.0)])]
    );
    let r = range(
        r#"sum(bytes_over_time({app="a", module="db"}[1m]))"#,
        60,
        60,
        60,
    );
    assert_eq!(r[0].1, vec![(60, 40.0)]);
    let r = range(r#"sum(bytes_rate({app="a", module="db"}[1m]))"#, 60, 60, 60);
    assert_eq!(r[0].1, vec![(60, 40.0 / 60.0)]);
}

#[test]
fn unwrap_conversions_and_grouping() {
    let r = range(
        // Loki refuses `sum_over_time(…) by (…)` (grouping not allowed): group outside.
        r#"sum by (module) (sum_over_time({app="a"} | logfmt | unwrap duration(d) [1m]))"#,
        60,
        60,
        60,
    );
    assert_eq!(
        r,
        vec![
            (l(&[("module", "api")]), vec![(60, 60.4)]),
            (l(&[("module", "db")]), vec![(60, 7.0)])
        ]
    );
    let r = range(
        r#"max_over_time({app="a"} | logfmt | unwrap bytes(size) [1m]) by (module)"#,
        60,
        60,
        60,
    );
    assert_eq!(r[0].1, vec![(60, 1024.0)]);
    assert_eq!(r[1].1, vec![(60, 1e6)]);
    // Without grouping, every label but the unwrapped one is kept.
    let r = range(
        r#"min_over_time({app="a", module="db"} | logfmt | unwrap st [1m])"#,
        60,
        60,
        60,
    );
    assert_eq!(r.len(), 2);
    assert!(
        r.iter()
            .all(|(labels, _)| labels.contains_key("d") && !labels.contains_key("st"))
    );
    let r = range(
        r#"avg_over_time({app="a"} | logfmt | unwrap st | __error__="" [1m]) without (d, size)"#,
        60,
        60,
        60,
    );
    assert_eq!(
        r,
        vec![
            (l(&[("app", "a"), ("module", "api")]), vec![(60, 300.0)]),
            (l(&[("app", "a"), ("module", "db")]), vec![(60, 350.0)])
        ]
    );
}

#[test]
fn unwrap_errors_fail_the_query() {
    let q =
        MetricQuery::compile(r#"sum(sum_over_time({app="a"} | logfmt | unwrap d [1m]))"#).unwrap();
    let e = q.eval_range(&data(), 60 * S, 60 * S, 60_000).unwrap_err();
    assert!(
        e.message
            .starts_with("pipeline error: 'SampleExtractionErr'"),
        "{}",
        e.message
    );
    let q = MetricQuery::compile(
        r#"sum(sum_over_time({app="a"} | logfmt | unwrap d | __error__="" [1m]))"#,
    )
    .unwrap();
    assert!(
        matches!(q.eval_range(&data(), 60 * S, 60 * S, 60_000), Ok(MetricResult::Matrix(s)) if s.is_empty())
    );
}

#[test]
fn binary_operators() {
    let by_module = r#"sum by (module) (count_over_time({app="a"}[1m]))"#;
    let r = range(&format!("{by_module} > 2"), 60, 60, 60);
    assert_eq!(r, vec![(l(&[("module", "api")]), vec![(60, 3.0)])]);
    let r = range(&format!("{by_module} > bool 2"), 60, 60, 60);
    assert_eq!(r[1].1, vec![(60, 0.0)]);
    let r = range(
        &format!("{by_module} / on (module) {by_module}"),
        60,
        60,
        60,
    );
    assert_eq!(r[0].1, vec![(60, 1.0)]);
    let r = range(&format!("2 * {by_module} - 1"), 60, 60, 60);
    assert_eq!(r[0].1, vec![(60, 5.0)]);
    let r = range(
        &format!(
            "{by_module} / ignoring (module) group_left sum(count_over_time({{app=\"a\"}}[1m]))"
        ),
        60,
        60,
        60,
    );
    assert_eq!(
        r,
        vec![
            (l(&[("module", "api")]), vec![(60, 0.6)]),
            (l(&[("module", "db")]), vec![(60, 0.4)])
        ]
    );
    let r = range(
        &format!(
            "{by_module} unless on (module) sum by (module) (count_over_time({{module=\"db\"}}[1m]))"
        ),
        60,
        60,
        60,
    );
    assert_eq!(r.len(), 1);
    let r = range(
        r#"sum(count_over_time({module="nope"}[1m])) or vector(0)"#,
        0,
        60,
        60,
    );
    assert_eq!(r, vec![(Labels::new(), vec![(0, 0.0), (60, 0.0)])]);
    let r = range(&format!("{by_module} / 0"), 60, 60, 60);
    assert!(r[0].1[0].1.is_nan());
}

#[test]
fn aggregations_and_label_replace() {
    let r = range(
        r#"topk(1, sum by (module) (count_over_time({app="a"}[1m])))"#,
        60,
        60,
        60,
    );
    assert_eq!(r, vec![(l(&[("module", "api")]), vec![(60, 3.0)])]);
    let r = range(r#"count(count_over_time({app="a"}[1m]))"#, 60, 60, 60);
    assert_eq!(r[0].1, vec![(60, 2.0)]);
    let r = range(
        r#"label_replace(sum by (module) (count_over_time({app="a"}[1m])), "m", "x-$1", "module", "(a.)i")"#,
        60,
        60,
        60,
    );
    assert_eq!(r[0].0, l(&[("m", "x-ap"), ("module", "api")]));
    assert_eq!(r[1].0, l(&[("module", "db")]));
    let MetricResult::Vector(v) = instant(
        r#"sort_desc(sum by (module) (count_over_time({app="a"}[1m])))"#,
        60,
    ) else {
        panic!()
    };
    assert_eq!(
        v.iter().map(|s| s.point.v).collect::<Vec<_>>(),
        vec![3.0, 2.0]
    );
    let MetricResult::Vector(v) = instant(
        r#"sort(sum by (module) (count_over_time({app="a"}[1m])))"#,
        60,
    ) else {
        panic!()
    };
    assert_eq!(
        v.iter().map(|s| s.point.v).collect::<Vec<_>>(),
        vec![2.0, 3.0]
    );
}

#[test]
fn instants_literals_absent_offset() {
    assert_eq!(
        instant("1 + 1", 60),
        MetricResult::Scalar(Point {
            t_ms: 60_000,
            v: 2.0
        })
    );
    let MetricResult::Vector(v) = instant(r#"count_over_time({app="a", module="db"}[10s])"#, 60)
    else {
        panic!()
    };
    assert_eq!(v.len(), 1);
    assert_eq!(
        v[0].point,
        Point {
            t_ms: 60_000,
            v: 1.0
        }
    );
    let r = range(
        r#"absent_over_time({app="a", module="nope", x=~"y"}[10s])"#,
        0,
        60,
        30,
    );
    assert_eq!(
        r,
        vec![(
            l(&[("app", "a"), ("module", "nope")]),
            vec![(0, 1.0), (30, 1.0), (60, 1.0)]
        )]
    );
    let r = range(
        r#"absent_over_time({app="a", module="db"}[10s])"#,
        0,
        60,
        30,
    );
    assert_eq!(r[0].1, vec![(0, 1.0), (30, 1.0)]);
    let r = range(
        r#"count_over_time({app="a", module="db"}[10s] offset 40s)"#,
        60,
        60,
        60,
    );
    assert_eq!(r[0].1, vec![(60, 1.0)]);
    let r = range("vector(3)", 0, 60, 30);
    assert_eq!(
        r,
        vec![(Labels::new(), vec![(0, 3.0), (30, 3.0), (60, 3.0)])]
    );
}

#[test]
fn limits_and_helpers() {
    let q =
        MetricQuery::compile(r#"count_over_time({app="a", module="db"} |= "st=5" [5m] offset 1m)"#)
            .unwrap();
    assert_eq!(q.lookback_ns(), 360 * S);
    assert!(q.prefilter(&l(&[("app", "a"), ("module", "db")]), "d=2s st=500"));
    assert!(!q.prefilter(&l(&[("app", "a"), ("module", "db")]), "d=2s st=200"));
    assert!(!q.prefilter(&l(&[("app", "a"), ("module", "api")]), "st=500"));
    assert_eq!(
        q.entries_window(100 * S, 610 * S, 300_000),
        (-360 * S, 900 * S)
    );
    assert_eq!(
        q.entries_window(600 * S, 900 * S, 300_000),
        (240 * S, 900 * S)
    );
    let e = q.eval_range(&data(), 0, 86_400 * S, 1_000).unwrap_err();
    assert!(
        e.message
            .starts_with("exceeded maximum resolution of 11,000 points")
    );
    assert!(MetricQuery::compile(r#"{app="a"}"#).is_err());
    assert!(MetricQuery::compile("sum(rate({app=\"a\"}))").is_err());
    // More than 500 result series is refused, as Loki does.
    let s = stream(&[("app", "a")]);
    let many: Vec<LogEntry> = (0..501)
        .map(|i| LogEntry::new(S + i, s.clone(), format!("id={i}")))
        .collect();
    let q = MetricQuery::compile(r#"count_over_time({app="a"} | logfmt [1m])"#).unwrap();
    assert!(
        q.eval_range(&many, 60 * S, 60 * S, 60_000)
            .unwrap_err()
            .message
            .starts_with("maximum number of series (500)")
    );
    assert!(
        MetricQuery::compile(r#"sum(count_over_time({app="a"} | logfmt [1m]))"#)
            .unwrap()
            .eval_range(&many, 60 * S, 60 * S, 60_000)
            .is_ok()
    );
}
