//! Metric queries and scenes on the command line (issue 10) and the scene fixes of issue 11:
//! tables, CSV, `--step`, ranges anchored at the data, whole-token ids, stated orders.

use crate::support::bin::{run, vs_logs};

const LINES: &str = concat!(
    r#"{"timestamp":"2026-11-20T10:00:00Z","level":"error","logger":"vulnsentinel.api","event":"request.failed","event_id":"evt-789"}"#,
    "\n",
    r#"{"timestamp":"2026-11-20T10:01:00Z","level":"info","logger":"vulnsentinel.api","event":"request.end","event_id":"evt-78988"}"#,
    "\n",
    r#"{"timestamp":"2026-11-20T10:02:00Z","level":"error","logger":"vulnsentinel.api","event":"request.failed","path":"/v1/events/evt-789"}"#,
    "\n",
    r#"{"timestamp":"2026-11-20T10:03:00Z","level":"error","logger":"vulnsentinel.engine","event":"scan.failed","event_id":"evt-78982"}"#,
    "\n",
);

#[test]
fn error_rate_scene_on_demo_prints_a_table() {
    let o = run(vs_logs().args(["scene", "error-rate", "--demo", "--utc"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let first = o.stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("time ") && first.contains("{module="),
        "{}",
        o.stdout
    );
    // Counts are integers, one row per 5-minute step (the scene's own step).
    let rows: Vec<&str> = o.stdout.lines().skip(1).collect();
    assert!(rows.len() > 2, "{}", o.stdout);
    assert!(rows.iter().all(|r| !r.contains('.') || r.contains(":00Z")));
    assert!(
        rows.iter()
            .all(|r| r[14..19].ends_with('0') || r[14..19].ends_with('5'))
    );
}

#[test]
fn scenes_accept_step_and_csv() {
    let o = run(vs_logs().args([
        "scene",
        "agent-runs",
        "--demo",
        "--step",
        "6h",
        "--utc",
        "-o",
        "csv",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.starts_with("time,"), "{}", o.stdout);
    for row in o.stdout.lines().skip(1) {
        // Steps of 6 h: hours 00, 06, 12 or 18.
        let hour = &row[11..13];
        assert!(["00", "06", "12", "18"].contains(&hour), "{row}");
    }
}

#[test]
fn metric_query_on_stdin_spans_the_data_not_the_epoch() {
    let o = run(vs_logs()
        .args([
            "query",
            "--stdin",
            "--utc",
            "--long",
            "-o",
            "text",
            r#"sum(count_over_time({app="vulnsentinel"} | json | level="error" [1m]))"#,
        ])
        .write_stdin(LINES));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.starts_with("time"), "{}", o.stdout);
    assert!(o.stdout.contains("2026-11-20 10:"), "{}", o.stdout);
    assert!(!o.stdout.contains("1970"), "{}", o.stdout);
}

#[test]
fn empty_metric_result_says_so_with_a_hint() {
    let o = run(vs_logs()
        .args([
            "query",
            "--stdin",
            r#"sum(count_over_time({app="nothing-here"} [1m]))"#,
        ])
        .write_stdin(LINES));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "");
    assert!(
        o.stderr.contains("no series") && o.stderr.contains("hint:"),
        "{}",
        o.stderr
    );
}

#[test]
fn event_matches_the_id_as_a_whole_token() {
    let o = run(vs_logs()
        .args(["event", "evt-789", "--stdin", "-o", "raw"])
        .write_stdin(LINES));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", o.stdout);
    assert!(!o.stdout.contains("evt-78988") && !o.stdout.contains("evt-78982"));
    // The scene says oldest first.
    assert!(lines[0].contains("10:00:00") && lines[1].contains("10:02:00"));
}

#[test]
fn agent_replay_scene_prints_oldest_first() {
    let o = run(vs_logs().args([
        "scene",
        "agent-replay",
        "--set",
        "agent_id=ag-456",
        "--demo",
        "-o",
        "jsonl",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let ts: Vec<i64> = o
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let t = &v["ts_ns"];
            t.as_i64()
                .or_else(|| t.as_str().and_then(|s| s.parse().ok()))
                .unwrap()
        })
        .collect();
    assert!(ts.len() > 2, "{}", o.stdout);
    let mut sorted = ts.clone();
    sorted.sort();
    assert_eq!(ts, sorted);
}

#[test]
fn csv_is_refused_where_there_is_no_table() {
    for cmd in [&["agents", "--demo"][..], &["scenes"][..]] {
        let o = run(vs_logs().args(cmd).args(["-o", "csv"]));
        assert_eq!(o.code, 2, "{cmd:?}: {}", o.stderr);
        assert!(o.stderr.contains("-o csv"), "{}", o.stderr);
        assert_eq!(o.stdout, "");
    }
}

#[test]
fn every_scene_command_accepts_step_and_a_metric_scene_uses_it() {
    for args in [
        &["errors"][..],
        &["rate-limits"],
        &["5xx"],
        &["slow-tools"],
        &["event", "evt-789"],
        &["scene", "errors"],
        &["scene", "api-rate"],
    ] {
        let o = run(vs_logs()
            .args(args)
            .args(["--demo", "--step", "30m", "--utc"]));
        assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
        assert!(!o.stdout.is_empty(), "{args:?}: no output");
    }
    // error-rate's own step is 5m; --step 30m replaces it
    let o = run(vs_logs().args([
        "scene",
        "error-rate",
        "--demo",
        "--step",
        "30m",
        "--utc",
        "-o",
        "csv",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let times: Vec<i64> = o
        .stdout
        .lines()
        .skip(1)
        .map(|l| {
            chrono::DateTime::parse_from_rfc3339(l.split(',').next().unwrap())
                .unwrap()
                .timestamp()
        })
        .collect();
    assert!(times.len() > 2, "{}", o.stdout);
    let gaps: Vec<i64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.iter().all(|g| g % 1800 == 0), "{gaps:?}");
    assert!(gaps.contains(&1800), "{gaps:?}");
}

const CONFORMANCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/logql-conformance/dataset.jsonl"
);

#[test]
fn a_metric_scene_on_an_old_file_uses_its_range_before_the_newest_line() {
    // the data ends 2026-11-25T05:49:48Z; error-rate's own range is 24h, its step 5m
    let o = run(vs_logs().args([
        "scene",
        "error-rate",
        "--file",
        CONFORMANCE,
        "--utc",
        "-o",
        "csv",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let newest = chrono::DateTime::parse_from_rfc3339("2026-11-25T05:49:48.695220Z").unwrap();
    let rows: Vec<&str> = o.stdout.lines().skip(1).collect();
    assert!(!rows.is_empty(), "{}", o.stdout);
    for r in rows {
        let t = chrono::DateTime::parse_from_rfc3339(r.split(',').next().unwrap()).unwrap();
        let back = newest - t;
        assert!(
            back <= chrono::Duration::hours(24) && back >= -chrono::Duration::minutes(5),
            "{r} is outside the day before the newest line"
        );
    }
}

#[test]
fn an_empty_metric_scene_says_so_on_stderr_with_a_hint() {
    // a day that ends before the data starts
    for out in ["text", "csv"] {
        let o = run(vs_logs().args([
            "scene",
            "error-rate",
            "--file",
            CONFORMANCE,
            "--to",
            "2026-11-24T09:00:00Z",
            "-o",
            out,
        ]));
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(
            o.stderr.contains("no series") && o.stderr.contains("hint:"),
            "{out}: {}",
            o.stderr
        );
        assert!(!o.stdout.contains(','), "{out}: no rows: {}", o.stdout);
    }
}
