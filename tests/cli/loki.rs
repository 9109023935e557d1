#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The binary against a Loki-shaped HTTP server answering with real wire captures: every
//! command and output mode (faults: `loki_faults.rs`).

use crate::support::bin::{run, vs_logs};
use crate::support::fixture;
use crate::support::loki_stub::{LokiStub, Reply};

fn cmd(addr: &str) -> assert_cmd::Command {
    let mut c = vs_logs();
    c.args(["--addr", addr, "--retries", "0"]);
    c
}

fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_slice(&fixture(name)).unwrap()
}

/// Every line of a streams fixture, newest first (as Loki's backward direction).
fn fixture_lines(name: &str) -> Vec<(i64, String)> {
    let v = fixture_json(name);
    let mut all = Vec::new();
    for s in v["data"]["result"].as_array().unwrap() {
        for e in s["values"].as_array().unwrap() {
            all.push((
                e[0].as_str().unwrap().parse::<i64>().unwrap(),
                e[1].as_str().unwrap().to_string(),
            ));
        }
    }
    all.sort_by_key(|e| std::cmp::Reverse(e.0));
    all
}

#[test]
fn query_raw_prints_every_line_newest_first() {
    let stub = LokiStub::canned(vec![Reply::json_bytes(&fixture(
        "02-qr-ag456-forward.json",
    ))]);
    let o = run(cmd(&stub.url()).args([
        "query",
        "{app=\"vulnsentinel\"}",
        "-o",
        "raw",
        "--since",
        "30d",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let expected: Vec<String> = fixture_lines("02-qr-ag456-forward.json")
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    assert_eq!(o.stdout.lines().collect::<Vec<_>>(), expected);
    let reqs = stub.requests();
    assert_eq!(reqs[0].path, "/loki/api/v1/query_range");
    assert_eq!(reqs[0].param("query"), Some("{app=\"vulnsentinel\"}"));
}

#[test]
fn query_json_and_jsonl_are_stable_objects() {
    let stub = LokiStub::canned(vec![Reply::json_bytes(&fixture(
        "02-qr-ag456-forward.json",
    ))]);
    let o = run(cmd(&stub.url()).args(["query", "{app=\"vulnsentinel\"}", "-o", "json"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let arr: Vec<serde_json::Value> = serde_json::from_str(&o.stdout).unwrap();
    let expected = fixture_lines("02-qr-ag456-forward.json");
    assert_eq!(arr.len(), expected.len());
    for (obj, (ts, line)) in arr.iter().zip(&expected) {
        assert_eq!(obj["ts_ns"], ts.to_string());
        assert_eq!(obj["line"], line.as_str());
        assert_eq!(obj["labels"]["app"], "vulnsentinel");
        assert!(obj["fields"].is_object());
    }
    let o = run(cmd(&stub.url()).args([
        "query",
        "{app=\"vulnsentinel\"}",
        "-o",
        "jsonl",
        "--forward",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let first: serde_json::Value = serde_json::from_str(o.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["ts_ns"], expected.last().unwrap().0.to_string());
    assert_eq!(stub.requests()[1].param("direction"), Some("forward"));
}

#[test]
fn query_text_has_header_and_sanitises() {
    let stub = LokiStub::canned(vec![Reply::json_bytes(&fixture(
        "12-qr-special-lines.json",
    ))]);
    let o = run(cmd(&stub.url()).args(["query", "{app=\"vulnsentinel\", module=\"app\"}"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    // The header is on stderr (issue 11.21), stdout is the lines only.
    assert!(o.stderr.starts_with("# "), "{}", o.stderr);
    assert!(o.stderr.contains("app=vulnsentinel"));
    assert!(!o.stdout.starts_with("# "), "{}", o.stdout);
    assert!(
        !o.stdout.contains('\u{1b}'),
        "raw ESC reached stdout: {:?}",
        o.stdout
    );
    assert!(o.stdout.contains("^["), "{}", o.stdout);
    // raw keeps the bytes.
    let o = run(cmd(&stub.url()).args([
        "query",
        "{app=\"vulnsentinel\", module=\"app\"}",
        "-o",
        "raw",
    ]));
    assert!(o.stdout.contains('\u{1b}'));
}

#[test]
fn metric_json_is_lokis_result_shape() {
    let stub = LokiStub::canned(vec![Reply::json_bytes(&fixture(
        "07-qr-agent-starts-by-type-1h.json",
    ))]);
    let q = "sum by (agent_type) (count_over_time({app=\"vulnsentinel\", module=\"agent\"} | json | event=\"agent.start\" [1h]))";
    let o = run(cmd(&stub.url()).args(["query", q, "--step", "1h", "-o", "json"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let got: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let want = fixture_json("07-qr-agent-starts-by-type-1h.json");
    assert_eq!(got["resultType"], "matrix");
    let norm = |v: &serde_json::Value| {
        let mut r = v.as_array().unwrap().clone();
        r.sort_by_key(|s| s["metric"].to_string());
        r
    };
    assert_eq!(norm(&got["result"]), norm(&want["data"]["result"]));
    assert_eq!(stub.requests()[0].param("step"), Some("3600"));
    // Text is the metric table (issue 10): one column per series, the step time first.
    let o = run(cmd(&stub.url()).args(["query", q, "--step", "1h"]));
    assert_eq!(o.code, 0);
    let head = o.stdout.lines().next().unwrap();
    assert!(
        head.starts_with("time ") && head.contains("{agent_type=\""),
        "{}",
        o.stdout
    );
}

#[test]
fn errors_scene_sends_the_narrowed_query() {
    let stub = LokiStub::canned(vec![Reply::json_bytes(&fixture(
        "01-qr-classifier-errors.json",
    ))]);
    let o = run(cmd(&stub.url()).args([
        "errors",
        "--agent-type",
        "event_classifier",
        "--since",
        "12h",
        "-o",
        "raw",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!o.stdout.is_empty());
    let r = &stub.requests()[0];
    assert_eq!(
        r.param("query"),
        Some(
            "{app=\"vulnsentinel\", module=\"agent\"} | json | level=\"error\" | agent_type=\"event_classifier\""
        )
    );
    let start: i64 = r.param("start").unwrap().parse().unwrap();
    let end: i64 = r.param("end").unwrap().parse().unwrap();
    assert_eq!(end - start, 12 * 3600 * 1_000_000_000);
}

#[test]
fn every_scene_command_queries_its_scene() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["rate-limits"],
            "{app=\"vulnsentinel\", module=\"engine\"} |= \"rate limit\"",
        ),
        (
            &["5xx"],
            "{app=\"vulnsentinel\", module=\"api\"} | json | event=\"request.end\" | status >= 500",
        ),
        (&["slow-tools", "--over", "2.5s"], "| duration_ms > 2500"),
        (
            // Issue 11.1: the id as a whole token, regex-escaped.
            &["event", "evt-789"],
            "{app=\"vulnsentinel\"} |~ \"(^|[^A-Za-z0-9_-])evt\\\\-789($|[^A-Za-z0-9_-])\"",
        ),
        (
            &["errors", "--module", "db"],
            "{app=\"vulnsentinel\", module=\"db\"} | json | level=\"error\"",
        ),
        (
            &["scene", "agent-replay", "--set", "agent_id=ag-456"],
            "agent_id=\"ag-456\"",
        ),
        (
            &["--app", "other", "rate-limits"],
            "{app=\"other\", module=\"engine\"}",
        ),
    ];
    for (args, want) in cases {
        let stub = LokiStub::canned(vec![Reply::json_bytes(&fixture(
            "04-qr-engine-rate-limit.json",
        ))]);
        let o = run(cmd(&stub.url()).args(*args));
        assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
        let reqs = stub.requests();
        let q = reqs[0].param("query").unwrap();
        assert!(q.contains(want), "{args:?}: {q}");
    }
}

#[test]
fn labels_and_series() {
    let stub = LokiStub::canned(vec![Reply::json_bytes(&fixture("30-labels.json"))]);
    let o = run(cmd(&stub.url()).arg("labels"));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let want: Vec<String> = fixture_json("30-labels.json")["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(o.stdout.lines().collect::<Vec<_>>(), want);
    assert_eq!(stub.requests()[0].path, "/loki/api/v1/labels");

    let stub = LokiStub::canned(vec![Reply::json_bytes(&fixture(
        "31-label-module-values.json",
    ))]);
    let o = run(cmd(&stub.url()).args(["labels", "module", "-o", "json"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let got: Vec<String> = serde_json::from_str(&o.stdout).unwrap();
    assert!(got.contains(&"agent".to_string()));
    assert_eq!(stub.requests()[0].path, "/loki/api/v1/label/module/values");

    let stub = LokiStub::canned(vec![Reply::json_bytes(&fixture("32-series.json"))]);
    let o = run(cmd(&stub.url()).args(["series", "{app=\"vulnsentinel\"}", "-o", "jsonl"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let n = fixture_json("32-series.json")["data"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(o.stdout.lines().count(), n);
    assert_eq!(
        stub.requests()[0].param("match[]"),
        Some("{app=\"vulnsentinel\"}")
    );
}

#[test]
fn push_sends_alloy_labels() {
    let stub = LokiStub::canned(vec![Reply::new(204, "text/plain", Vec::new())]);
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("app.jsonl");
    std::fs::write(
        &f,
        concat!(
            r#"{"event":"request.end","level":"info","logger":"vulnsentinel.api","timestamp":"2026-11-24T08:01:00Z","status":200}"#,
            "\n",
            r#"{"event":"tool.error","level":"error","logger":"vulnsentinel.agent","timestamp":"2026-11-24T08:01:01Z"}"#,
            "\n",
            "plain text [ERROR] line\n"
        ),
    )
    .unwrap();
    let o = run(cmd(&stub.url()).arg("push").arg(&f));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("pushed 3 lines in 3 streams"),
        "{}",
        o.stdout
    );
    let reqs = stub.requests();
    assert_eq!(reqs[0].path, "/loki/api/v1/push");
    let body: serde_json::Value = serde_json::from_slice(&reqs[0].body).unwrap();
    let streams = body["streams"].as_array().unwrap();
    let api = streams
        .iter()
        .find(|s| s["stream"]["module"] == "api")
        .unwrap();
    assert_eq!(api["stream"]["app"], "vulnsentinel");
    assert_eq!(api["stream"]["level"], "info");
    assert_eq!(api["values"][0][0], "1795507260000000000");
}
