#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The binary against the Loki stub (`tests/support/loki_stub/`): paging through the CLI with
//! streams sharing boundary timestamps, push round trips, and faults with their exit codes.

use crate::support::bin::{run, vs_logs};
use crate::support::loki_stub::{Fault, LokiStub};

const T0: i64 = 1_795_507_260_000_000_000;

/// Three streams whose entries share timestamps (two entries per timestamp per stream too).
fn crowded_stub() -> LokiStub {
    let stub = LokiStub::start();
    for (i, module) in ["api", "agent", "engine"].iter().enumerate() {
        let entries = (0..700).map(|n| {
            let ts = T0 + (n / 2) as i64 * 1_000_000;
            (ts, format!(r#"{{"event":"e","n":{n},"s":{i}}}"#))
        });
        stub.add_stream(&[("app", "vulnsentinel"), ("module", module)], entries);
    }
    stub
}

fn query(stub: &LokiStub, extra: &[&str]) -> Vec<String> {
    let o = run(vs_logs()
        .args(["--addr", &stub.url(), "--retries", "0"])
        .args([
            "query",
            "{app=\"vulnsentinel\"}",
            "--from",
            "2026-11-24T00:00:00Z",
            "--to",
            "2026-11-25T00:00:00Z",
            "-o",
            "jsonl",
        ])
        .args(extra));
    assert_eq!(o.code, 0, "{}", o.stderr);
    o.stdout.lines().map(str::to_string).collect()
}

#[test]
fn paging_gives_the_same_result_whatever_the_batch() {
    let stub = crowded_stub();
    let all = query(&stub, &["--limit", "0", "--batch", "5000"]);
    assert_eq!(all.len(), 2100);
    for batch in ["7", "100", "999"] {
        assert_eq!(
            query(&stub, &["--limit", "0", "--batch", batch]),
            all,
            "batch {batch}"
        );
    }
    let forward = query(&stub, &["--limit", "0", "--batch", "100", "--forward"]);
    let mut reversed = forward.clone();
    reversed.reverse();
    let ts = |l: &String| {
        serde_json::from_str::<serde_json::Value>(l).unwrap()["ts_ns"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .unwrap()
    };
    assert_eq!(forward.len(), 2100);
    assert_eq!(
        reversed.iter().map(ts).collect::<Vec<_>>(),
        all.iter().map(ts).collect::<Vec<_>>()
    );
    let limited = query(&stub, &["--limit", "250", "--batch", "100"]);
    assert_eq!(limited, all[..250]);
}

/// The whole stdout of a query, bytes as they are.
fn query_bytes(stub: &LokiStub, extra: &[&str]) -> String {
    let o = run(vs_logs()
        .args(["--addr", &stub.url(), "--retries", "0"])
        .args([
            "query",
            "{app=\"vulnsentinel\"}",
            "--from",
            "2026-11-24T00:00:00Z",
            "--to",
            "2026-11-25T00:00:00Z",
            "--utc",
        ])
        .args(extra));
    assert_eq!(o.code, 0, "{}", o.stderr);
    o.stdout
}

#[test]
fn sliced_and_streamed_output_is_the_sequential_output_in_every_format() {
    let stub = crowded_stub();
    for format in ["raw", "jsonl", "json", "csv", "text"] {
        for dir in [&[][..], &["--forward"][..]] {
            let args = |more: &[&'static str]| {
                let mut a = vec!["-o", format, "--limit", "0", "--batch", "100"];
                a.extend_from_slice(dir);
                a.extend_from_slice(more);
                a
            };
            stub.clear_requests();
            let sequential = query_bytes(&stub, &args(&["--parallel", "1"]));
            assert_eq!(stub.request_count("/loki/api/v1/index/volume_range"), 0);
            assert!(sequential.len() > 2100 * 10, "{format}");
            stub.clear_requests();
            let sliced = query_bytes(&stub, &args(&[]));
            assert!(stub.request_count("/loki/api/v1/index/volume_range") > 0);
            assert!(sliced == sequential, "{format} {dir:?}: default differs");
            let three = query_bytes(&stub, &args(&["--parallel", "3"]));
            assert!(
                three == sequential,
                "{format} {dir:?}: --parallel 3 differs"
            );
        }
    }
}

#[test]
fn push_then_query_round_trip() {
    let stub = LokiStub::start();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.jsonl");
    std::fs::write(
        &f,
        concat!(
            r#"{"event":"request.end","level":"info","logger":"vulnsentinel.api","timestamp":"2026-11-24T08:01:00Z"}"#,
            "\n",
            r#"{"event":"agent.failed","level":"error","logger":"vulnsentinel.agent","timestamp":"2026-11-24T08:01:01Z"}"#,
            "\n",
        ),
    )
    .unwrap();
    let o = run(vs_logs()
        .args(["--addr", &stub.url(), "push"])
        .arg(&f)
        .args(["--batch-lines", "1"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout
            .contains("pushed 2 lines in 2 streams (2 requests)"),
        "{}",
        o.stdout
    );
    let pushed = stub.pushed();
    assert!(pushed.iter().any(
        |s| s.labels.get("module").map(String::as_str) == Some("agent")
            && s.labels.get("level").map(String::as_str) == Some("error")
    ));
    let o = run(vs_logs().args([
        "--addr",
        &stub.url(),
        "query",
        "{module=\"agent\"}",
        "--from",
        "2026-11-24",
        "--to",
        "2026-11-25",
        "--utc",
        "-o",
        "raw",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("agent.failed") && !o.stdout.contains("request.end"),
        "{}",
        o.stdout
    );
}

#[test]
fn faults_through_the_stub() {
    let stub = crowded_stub();
    let base = |s: &LokiStub| {
        let mut c = vs_logs();
        c.args(["--addr", &s.url(), "--retries", "2", "--timeout", "2s"]);
        c.args([
            "query",
            "{app=\"vulnsentinel\"}",
            "--from",
            "2026-11-24",
            "--to",
            "2026-11-25",
            "--utc",
            "--limit",
            "5",
            "-o",
            "raw",
        ]);
        c
    };
    stub.fail_next(1, Fault::too_many_requests(0));
    let o = run(&mut base(&stub));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.lines().count(), 5);

    stub.push_fault(Fault::bad_request(
        "parse error at line 1, col 37: syntax error: unexpected $end",
    ));
    let o = run(&mut base(&stub));
    assert_eq!(o.code, 5);
    assert!(
        o.stderr.contains("parse error at line 1, col 37"),
        "{}",
        o.stderr
    );

    stub.fail_next(3, Fault::html_504());
    let o = run(&mut base(&stub));
    assert_eq!(o.code, 6);
    assert!(
        o.stderr.contains("504") && !o.stderr.contains("<html"),
        "{}",
        o.stderr
    );

    stub.push_fault(Fault::unauthorized());
    let o = run(base(&stub).args(["--password", "s3cr3t-pw"]));
    assert_eq!(o.code, 4);
    assert!(o.stderr.contains("authentication failed") && !o.stderr.contains("s3cr3t-pw"));

    stub.push_fault(Fault::TruncatedJson);
    let o = run(&mut base(&stub));
    assert_eq!(o.code, 6, "{}", o.stderr);
    assert!(o.stdout.is_empty());
}
