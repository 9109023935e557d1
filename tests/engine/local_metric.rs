//! Metric queries on local files (issue 13 and 12.3): lines are sampled as the file is read,
//! never held as entries. Results must not depend on the lines' order in the file, untimed
//! lines count at the time they inherit, and memory follows what the query asks for.

use vs_logs::model::{Direction, MetricResult, QueryOutput, QueryRange, Series};
use vs_logs::source::{LocalInput, LocalSource};

const S: i64 = 1_000_000_000;
/// 2026-11-25T08:52:40Z: a whole minute, so the step grids start on it.
const T0: i64 = 1_795_599_960;

fn stamp(secs: i64, millis: i64) -> String {
    chrono::DateTime::from_timestamp(T0 + secs, (millis * 1_000_000) as u32)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A VulnSentinel JSON line at `T0 + secs` (+ `millis`).
fn line(secs: i64, millis: i64, module: &str, duration: i64) -> String {
    format!(
        r#"{{"event":"request.end","duration_ms":{duration},"level":"info","logger":"vulnsentinel.{module}","timestamp":"{}"}}"#,
        stamp(secs, millis)
    )
}

fn range(query: &str, start_s: i64, end_s: i64, step_ms: i64) -> QueryRange {
    QueryRange {
        query: query.into(),
        start_ns: (T0 + start_s) * S,
        end_ns: (T0 + end_s) * S,
        limit: 0,
        direction: Direction::Forward,
        step_ms: Some(step_ms),
        instant: false,
    }
}

fn matrix(src: &LocalSource, req: &QueryRange) -> Vec<Series> {
    match src.query(req, &|_| {}) {
        Ok((QueryOutput::Metric(MetricResult::Matrix(m)), _)) => m,
        other => panic!("{}: {other:?}", req.query),
    }
}

fn source(lines: &[String]) -> LocalSource {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    LocalSource::from_bytes("t.jsonl", text.into_bytes(), "vulnsentinel")
}

const QUERIES: &[&str] = &[
    r#"sum by (module) (count_over_time({app="vulnsentinel"} | json | __error__="" [1m]))"#,
    r#"count_over_time({app="vulnsentinel"}[90s])"#,
    r#"rate({app="vulnsentinel"}[30s] offset 20s)"#,
    r#"bytes_over_time({app="vulnsentinel"}[2m])"#,
    r#"avg_over_time({app="vulnsentinel"} | json | unwrap duration_ms [1m]) by (module)"#,
    r#"first_over_time({app="vulnsentinel"} | json | unwrap duration_ms [1m]) by (module)"#,
    r#"last_over_time({app="vulnsentinel"} | json | unwrap duration_ms [1m]) by (module)"#,
    r#"quantile_over_time(0.9, {app="vulnsentinel"} | json | unwrap duration_ms [45s]) by (module)"#,
];

/// 600 lines over 10 minutes (several per second, some on the same millisecond).
fn ordered_lines() -> Vec<String> {
    let modules = ["api", "db", "agent"];
    (0..600)
        .map(|i: i64| {
            line(
                i,
                (i * 7) % 3 * 250,
                modules[(i % 3) as usize],
                i * 13 % 997,
            )
        })
        .collect()
}

#[test]
fn lines_out_of_time_order_give_what_sorted_lines_give() {
    let sorted = ordered_lines();
    // Reversed runs of 50 lines and a few lines moved far away: a file written by several
    // processes, or two logs concatenated.
    let mut shuffled: Vec<String> = sorted.chunks(50).rev().flatten().cloned().collect();
    shuffled.swap(3, 550);
    shuffled.swap(100, 20);
    let (a, b) = (source(&sorted), source(&shuffled));
    for q in QUERIES {
        for (step, range_end) in [(10_000, 600), (60_000, 600), (7_000, 590), (300_000, 900)] {
            let req = range(q, 0, range_end, step);
            let want = matrix(&a, &req);
            assert!(!want.is_empty(), "{q}: no result");
            assert_eq!(matrix(&b, &req), want, "{q} at step {step} ms");
        }
    }
    // And the figures are the windows' own: (0, 60 s] holds the lines at 1..=60 s, 20 each.
    let req = range(QUERIES[0], 0, 600, 60_000);
    let m = matrix(&b, &req);
    let api = m.iter().find(|s| s.metric["module"] == "api").unwrap();
    let at_60 = api
        .points
        .iter()
        .find(|p| p.t_ms == (T0 + 60) * 1000)
        .unwrap();
    assert_eq!(at_60.v, 20.0);
}

#[test]
fn untimed_lines_count_at_the_time_they_inherit() {
    // Untimed lines take the time of the stamped line before them (+1 ns each): each stamped
    // line here is followed by `i` untimed ones.
    let mut lines = Vec::new();
    for i in 0..20 {
        lines.push(line(i * 30, 0, "api", 1));
        for k in 0..i {
            lines.push(format!(r#"{{"event":"untimed {i}.{k}"}}"#));
        }
    }
    let src = source(&lines);
    let m = matrix(
        &src,
        &range(
            r#"sum(count_over_time({app="vulnsentinel"}[30s]))"#,
            0,
            600,
            30_000,
        ),
    );
    // The window (t - 30 s, t] ending at stamped line j's time holds it and the j - 1
    // followers of line j - 1 (they come 1 ns after it); the last one only those.
    let points: Vec<(i64, f64)> = m[0].points.iter().map(|p| (p.t_ms, p.v)).collect();
    let want: Vec<(i64, f64)> = (0..=20)
        .map(|j| ((T0 + j * 30) * 1000, j.clamp(1, 19) as f64))
        .collect();
    assert_eq!(points, want);
    // At a 60 s step with a 1 s range, only the even stamped lines are in a window (their
    // followers come just after it, the odd ones between windows).
    let m = matrix(
        &src,
        &range(
            r#"sum(count_over_time({app="vulnsentinel"}[1s]))"#,
            0,
            600,
            60_000,
        ),
    );
    let total: f64 = m[0].points.iter().map(|p| p.v).sum();
    assert_eq!(total, 10.0);
}

#[test]
fn untimed_lines_before_any_stamp_are_counted() {
    // Lines before the first stamped one get times just before it from the input's base;
    // an instant query wide enough to hold them all counts every line.
    let mut lines: Vec<String> = (0..1000).map(|k| format!("boot message {k}")).collect();
    lines.push(line(0, 0, "api", 1));
    let src = source(&lines);
    let req = QueryRange {
        query: r#"sum(count_over_time({app="vulnsentinel"}[30d]))"#.into(),
        start_ns: (T0 + 1) * S,
        end_ns: (T0 + 1) * S,
        limit: 0,
        direction: Direction::Forward,
        step_ms: None,
        instant: true,
    };
    let Ok((QueryOutput::Metric(MetricResult::Vector(v)), _)) = src.query(&req, &|_| {}) else {
        panic!("vector expected")
    };
    assert_eq!(v[0].point.v, 1001.0);
}

/// The child process runs the large query when this is set.
const CHILD_ENV: &str = "VS_LOGS_METRIC_MEMORY_CHILD";

/// The address space the large query must fit in, KiB: half of what the lines below took when
/// each became an entry (the bounded query passes under 320 MiB with twice as many lines).
const MEMORY_LIMIT_KIB: u64 = 384 << 10;

/// 1,000,000 short untimed lines (3 MB): each one became an entry of several hundred bytes
/// before evaluation (over 750 MB); sampled as read, a count holds one sample per window.
#[test]
fn metric_memory_child() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return; // run by `metric_queries_over_many_lines_run_in_bounded_memory`
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.log");
    let mut text = line(0, 0, "api", 1) + "\n";
    text.push_str(&"{}\n".repeat(1_000_000));
    std::fs::write(&path, text).unwrap();
    let src = LocalSource::open(vec![LocalInput::File(path)]).unwrap();
    let total = |q: &str| -> f64 {
        let m = matrix(&src, &range(q, 0, 120, 60_000));
        m.iter().flat_map(|s| &s.points).map(|p| p.v).sum()
    };
    let counted = total(r#"count_over_time({app="vulnsentinel"}[1m])"#);
    assert_eq!(counted, 1e6 + 1.0);
    let bytes = total(r#"sum(bytes_over_time({app="vulnsentinel"}[1m]))"#);
    assert!((2e6..2e6 + 1000.0).contains(&bytes), "{bytes}");
    println!("metric memory child done");
}

#[cfg(target_os = "linux")]
#[test]
fn metric_queries_over_many_lines_run_in_bounded_memory() {
    crate::support::bounded::child_test_under_ulimit(
        MEMORY_LIMIT_KIB,
        "local_metric::metric_memory_child",
        CHILD_ENV,
        "metric memory child done",
    );
}
