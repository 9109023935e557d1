#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The binary against a Loki-shaped HTTP server answering with real wire captures: every
//! command and output mode, and every fault a user meets (asserting message and exit code).

#[path = "cli_support/mod.rs"]
#[allow(dead_code)]
mod support;

use support::{Canned, Reply, fixture, http, json_ok, refused_addr, run, vs_logs};

const PASSWORD: &str = "pw-hunter2-XYZ";
const TOKEN: &str = "tok-Zq81-secret";

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
    let stub = Canned::start(vec![json_ok(&fixture("02-qr-ag456-forward.json"))]);
    let o = run(cmd(&stub.addr).args([
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
    assert_eq!(reqs[0].path(), "/loki/api/v1/query_range");
    assert_eq!(
        reqs[0].param("query").as_deref(),
        Some("{app=\"vulnsentinel\"}")
    );
}

#[test]
fn query_json_and_jsonl_are_stable_objects() {
    let stub = Canned::start(vec![json_ok(&fixture("02-qr-ag456-forward.json"))]);
    let o = run(cmd(&stub.addr).args(["query", "{app=\"vulnsentinel\"}", "-o", "json"]));
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
    let o = run(cmd(&stub.addr).args([
        "query",
        "{app=\"vulnsentinel\"}",
        "-o",
        "jsonl",
        "--forward",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let first: serde_json::Value = serde_json::from_str(o.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["ts_ns"], expected.last().unwrap().0.to_string());
    assert_eq!(
        stub.requests()[1].param("direction").as_deref(),
        Some("forward")
    );
}

#[test]
fn query_text_has_header_and_sanitises() {
    let stub = Canned::start(vec![json_ok(&fixture("12-qr-special-lines.json"))]);
    let o = run(cmd(&stub.addr).args(["query", "{app=\"vulnsentinel\", module=\"app\"}"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.starts_with("# "), "{}", o.stdout);
    assert!(o.stdout.contains("app=vulnsentinel"));
    assert!(
        !o.stdout.contains('\u{1b}'),
        "raw ESC reached stdout: {:?}",
        o.stdout
    );
    assert!(o.stdout.contains("^["), "{}", o.stdout);
    // raw keeps the bytes.
    let o = run(cmd(&stub.addr).args([
        "query",
        "{app=\"vulnsentinel\", module=\"app\"}",
        "-o",
        "raw",
    ]));
    assert!(o.stdout.contains('\u{1b}'));
}

#[test]
fn metric_json_is_lokis_result_shape() {
    let stub = Canned::start(vec![json_ok(&fixture(
        "07-qr-agent-starts-by-type-1h.json",
    ))]);
    let q = "sum by (agent_type) (count_over_time({app=\"vulnsentinel\", module=\"agent\"} | json | event=\"agent.start\" [1h]))";
    let o = run(cmd(&stub.addr).args(["query", q, "--step", "1h", "-o", "json"]));
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
    assert_eq!(stub.requests()[0].param("step").as_deref(), Some("3600"));
    let o = run(cmd(&stub.addr).args(["query", q, "--step", "1h"]));
    assert_eq!(o.code, 0);
    assert!(
        o.stdout
            .lines()
            .next()
            .unwrap()
            .starts_with("{agent_type=\""),
        "{}",
        o.stdout
    );
}

#[test]
fn errors_scene_sends_the_narrowed_query() {
    let stub = Canned::start(vec![json_ok(&fixture("01-qr-classifier-errors.json"))]);
    let o = run(cmd(&stub.addr).args([
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
        r.param("query").as_deref(),
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
            &["event", "evt-789"],
            "{app=\"vulnsentinel\"} |= \"evt-789\"",
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
        let stub = Canned::start(vec![json_ok(&fixture("04-qr-engine-rate-limit.json"))]);
        let o = run(cmd(&stub.addr).args(*args));
        assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
        let q = stub.requests()[0].param("query").unwrap();
        assert!(q.contains(want), "{args:?}: {q}");
    }
}

#[test]
fn labels_and_series() {
    let stub = Canned::start(vec![json_ok(&fixture("30-labels.json"))]);
    let o = run(cmd(&stub.addr).arg("labels"));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let want: Vec<String> = fixture_json("30-labels.json")["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(o.stdout.lines().collect::<Vec<_>>(), want);
    assert_eq!(stub.requests()[0].path(), "/loki/api/v1/labels");

    let stub = Canned::start(vec![json_ok(&fixture("31-label-module-values.json"))]);
    let o = run(cmd(&stub.addr).args(["labels", "module", "-o", "json"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let got: Vec<String> = serde_json::from_str(&o.stdout).unwrap();
    assert!(got.contains(&"agent".to_string()));
    assert_eq!(
        stub.requests()[0].path(),
        "/loki/api/v1/label/module/values"
    );

    let stub = Canned::start(vec![json_ok(&fixture("32-series.json"))]);
    let o = run(cmd(&stub.addr).args(["series", "{app=\"vulnsentinel\"}", "-o", "jsonl"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let n = fixture_json("32-series.json")["data"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(o.stdout.lines().count(), n);
    assert_eq!(
        stub.requests()[0].param("match[]").as_deref(),
        Some("{app=\"vulnsentinel\"}")
    );
}

#[test]
fn push_sends_alloy_labels() {
    let stub = Canned::start(vec![http("204 No Content", "text/plain", "", b"")]);
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
    let o = run(cmd(&stub.addr).arg("push").arg(&f));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("pushed 3 lines in 3 streams"),
        "{}",
        o.stdout
    );
    let reqs = stub.requests();
    assert_eq!(reqs[0].path(), "/loki/api/v1/push");
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

// ---- faults ----

#[test]
fn connection_refused_names_the_address() {
    let addr = refused_addr();
    let o = run(cmd(&addr).args(["errors", "--password", PASSWORD]));
    assert_eq!(o.code, 1);
    assert!(o.stderr.starts_with("vs-logs: "), "{}", o.stderr);
    assert!(o.stderr.contains(&addr), "{}", o.stderr);
    assert!(o.stderr.contains("LOKI_ADDR"), "{}", o.stderr);
    assert!(!o.stderr.contains(PASSWORD));
}

#[test]
fn bad_request_shows_lokis_message_and_is_not_retried() {
    let body = fixture("40-err-syntax.txt");
    let stub = Canned::start(vec![http(
        "400 Bad Request",
        "text/plain; charset=utf-8",
        "",
        &body,
    )]);
    let mut c = vs_logs();
    c.args([
        "--addr",
        &stub.addr,
        "--retries",
        "3",
        "query",
        "{app=\"vulnsentinel\"} | json | level=",
    ]);
    let o = run(&mut c);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains(String::from_utf8_lossy(&body).trim()),
        "{}",
        o.stderr
    );
    assert_eq!(stub.requests().len(), 1, "a 400 must not be retried");
}

#[test]
fn unauthorized_never_echoes_the_secret() {
    let body = format!("unauthorized: bad credentials {PASSWORD} {TOKEN}");
    let stub = Canned::start(vec![http(
        "401 Unauthorized",
        "text/plain",
        "",
        body.as_bytes(),
    )]);
    for (flag, secret) in [("--password", PASSWORD), ("--bearer-token", TOKEN)] {
        let o = run(cmd(&stub.addr).args(["--username", "u", flag, secret, "errors"]));
        assert_eq!(o.code, 1);
        assert!(o.stderr.contains("authentication failed"), "{}", o.stderr);
        assert!(
            !o.stderr.contains(secret) && !o.stdout.contains(secret),
            "{}",
            o.stderr
        );
    }
}

#[test]
fn rate_limited_then_success() {
    let stub = Canned::start(vec![
        http(
            "429 Too Many Requests",
            "text/plain",
            "Retry-After: 0\r\n",
            b"too many outstanding requests",
        ),
        json_ok(&fixture("04-qr-engine-rate-limit.json")),
    ]);
    let mut c = vs_logs();
    c.args([
        "--addr",
        &stub.addr,
        "--retries",
        "2",
        "rate-limits",
        "-o",
        "raw",
    ]);
    let o = run(&mut c);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("rate limit"));
    assert_eq!(stub.requests().len(), 2);
}

#[test]
fn server_error() {
    let stub = Canned::start(vec![http(
        "500 Internal Server Error",
        "text/plain",
        "",
        b"rpc error: code = Internal",
    )]);
    let o = run(cmd(&stub.addr).arg("5xx"));
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("500"), "{}", o.stderr);
    assert!(o.stderr.contains("rpc error"), "{}", o.stderr);
}

#[test]
fn html_504_is_summarised() {
    let page = b"<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body><center><h1>504 Gateway Time-out</h1></center><hr><center>nginx</center></body></html>\r\n";
    let stub = Canned::start(vec![http("504 Gateway Time-out", "text/html", "", page)]);
    let o = run(cmd(&stub.addr).arg("errors"));
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("504 Gateway Time-out"), "{}", o.stderr);
    assert!(
        !o.stderr.contains("<html>") && !o.stderr.contains("<center>"),
        "{}",
        o.stderr
    );
}

#[test]
fn timeout_says_after_how_long() {
    let stub = Canned::start(vec![Reply::Hang]);
    let o = run(cmd(&stub.addr).args(["--timeout", "1s", "errors"]));
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("did not answer within 1s"),
        "{}",
        o.stderr
    );
}

#[test]
fn truncated_body_is_an_error_not_an_empty_result() {
    let full = fixture("04-qr-engine-rate-limit.json");
    let mut r = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        full.len()
    )
    .into_bytes();
    r.extend_from_slice(&full[..full.len() / 2]);
    let stub = Canned::start(vec![Reply::Raw(r)]);
    let o = run(cmd(&stub.addr).args(["rate-limits", "-o", "raw"]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.starts_with("vs-logs: "), "{}", o.stderr);
    assert!(o.stdout.is_empty());
}

#[test]
fn secrets_never_appear_in_any_output() {
    let stub = Canned::start(vec![json_ok(&fixture("02-qr-ag456-forward.json"))]);
    for format in ["text", "json", "jsonl", "raw"] {
        let o = run(cmd(&stub.addr)
            .env("LOKI_PASSWORD", PASSWORD)
            .env("LOKI_BEARER_TOKEN", TOKEN)
            .args([
                "--username",
                "u",
                "query",
                "{app=\"vulnsentinel\"}",
                "-o",
                format,
            ]));
        assert_eq!(o.code, 0, "{}", o.stderr);
        for s in [PASSWORD, TOKEN] {
            assert!(!o.stdout.contains(s) && !o.stderr.contains(s), "{format}");
        }
    }
    // --help shows that the variables exist, not their values.
    let o = run(vs_logs()
        .env("LOKI_PASSWORD", PASSWORD)
        .env("LOKI_BEARER_TOKEN", TOKEN)
        .arg("--help"));
    assert!(!o.stdout.contains(PASSWORD) && !o.stdout.contains(TOKEN));
    // The credentials did go to the server, as basic auth.
    let head = &stub.requests()[0].head.to_ascii_lowercase();
    assert!(head.contains("authorization: "), "{head}");
}

#[test]
fn env_then_flag_precedence_for_the_address() {
    let stub = Canned::start(vec![json_ok(&fixture("04-qr-engine-rate-limit.json"))]);
    let refused = refused_addr();
    // Env alone is used.
    let o = run(vs_logs()
        .env("LOKI_ADDR", &stub.addr)
        .args(["--retries", "0", "rate-limits"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    // The flag beats the env.
    let o = run(vs_logs().env("LOKI_ADDR", &stub.addr).args([
        "--retries",
        "0",
        "--addr",
        &refused,
        "rate-limits",
    ]));
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains(&refused), "{}", o.stderr);
    // The env beats the profile.
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(
        &cfg,
        format!(
            "default_profile = \"p\"\n[profiles.p]\naddr = \"{refused}\"\norg_id = \"tenant-7\"\n"
        ),
    )
    .unwrap();
    let o = run(vs_logs()
        .env("LOKI_ADDR", &stub.addr)
        .arg("--config")
        .arg(&cfg)
        .args(["--retries", "0", "rate-limits"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let head = stub.requests().last().unwrap().head.to_ascii_lowercase();
    assert!(head.contains("x-scope-orgid: tenant-7"), "{head}");
    // The profile beats the default.
    let o = run(vs_logs()
        .arg("--config")
        .arg(&cfg)
        .args(["--retries", "0", "rate-limits"]));
    assert!(o.stderr.contains(&refused), "{}", o.stderr);
}
