#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The binary's `replay` and `agents` against a Loki-shaped server answering with the real
//! ag-456 capture: the figures come from the capture's lines, not from this file.

use crate::support::bin::{run, vs_logs};
use crate::support::fixture;
use crate::support::loki_stub::{LokiStub, Reply};

fn cmd(addr: &str) -> assert_cmd::Command {
    let mut c = vs_logs();
    c.args(["--addr", addr, "--retries", "0"]);
    c
}

/// The capture's `agent.done` and `fetch_commit_diff` result lines, parsed.
fn capture_facts() -> (serde_json::Value, serde_json::Value) {
    let v: serde_json::Value =
        serde_json::from_slice(&fixture("02-qr-ag456-forward.json")).unwrap();
    let lines: Vec<serde_json::Value> = v["data"]["result"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["values"].as_array().unwrap().clone())
        .map(|pair| serde_json::from_str(pair[1].as_str().unwrap()).unwrap())
        .collect();
    let done = lines
        .iter()
        .find(|l| l["event"] == "agent.done")
        .unwrap()
        .clone();
    let fetch = lines
        .iter()
        .find(|l| l["event"] == "tool.result" && l["tool"] == "fetch_commit_diff")
        .unwrap()
        .clone();
    (done, fetch)
}

#[test]
fn replay_ag456_against_loki() {
    let stub = LokiStub::canned(vec![Reply::json_bytes(&fixture(
        "02-qr-ag456-forward.json",
    ))]);
    let out = run(cmd(&stub.url()).args(["replay", "ag-456"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (done, fetch) = capture_facts();
    let t = &out.stdout;
    assert!(!t.contains('\u{1b}'), "piped output is plain");
    assert!(t.contains("── Turn 1/5"));
    assert!(t.contains("── Turn 2/5"));
    assert!(!t.contains("── Turn 3"));
    assert!(t.contains(&format!("fetch_commit_diff · {} ms", fetch["duration_ms"])));
    assert!(t.contains("submit_classification · 18 ms"));
    assert!(t.contains("tokens 3,200 in / 450 out"));
    assert!(t.contains(&format!("cost ${} (from agent.done)", done["cost"])));
    let req = &stub.requests()[0];
    assert_eq!(req.path, "/loki/api/v1/query_range");
    assert_eq!(req.param("direction"), Some("forward"));
    assert!(req.param("query").unwrap().contains(r#"agent_id="ag-456""#));
}

#[test]
fn replay_ag456_json_against_loki() {
    let stub = LokiStub::canned(vec![Reply::json_bytes(&fixture(
        "02-qr-ag456-forward.json",
    ))]);
    let out = run(cmd(&stub.url()).args(["-o", "json", "replay", "ag-456"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (done, fetch) = capture_facts();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let run = &v["runs"][0];
    assert_eq!(run["totals"]["turns"], done["turns"]);
    assert_eq!(run["totals"]["input_tokens"], done["input_tokens"]);
    assert_eq!(run["totals"]["output_tokens"], done["output_tokens"]);
    assert_eq!(run["totals"]["cost"]["usd"], done["cost"]);
    assert_eq!(run["totals"]["cost"]["estimated"], false);
    assert_eq!(
        run["totals"]["tools"]["fetch_commit_diff"]["total_ms"].as_f64(),
        fetch["duration_ms"].as_f64()
    );
    assert_eq!(run["totals"]["tools"]["submit_classification"]["calls"], 1);
}

#[test]
fn agents_against_loki() {
    let stub = LokiStub::canned(vec![Reply::json_bytes(&fixture(
        "02-qr-ag456-forward.json",
    ))]);
    let out = run(cmd(&stub.url()).args(["agents", "--since", "30d"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("ag-456"));
    assert!(out.stdout.contains("$0.0012"));
    let reqs = stub.requests();
    let q = reqs[0].param("query").unwrap();
    assert!(
        q.starts_with(r#"{app="vulnsentinel", module="agent"} | json | event=~"#),
        "{q}"
    );
}

#[test]
fn replay_unknown_id_says_how_to_widen() {
    let empty = br#"{"status":"success","data":{"resultType":"streams","result":[],"stats":{}}}"#;
    let stub = LokiStub::canned(vec![Reply::json_bytes(empty)]);
    let out = run(cmd(&stub.url()).args(["replay", "ag-404"]));
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("no lines for agent ag-404"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--since 90d"));
    // The default week, then 30 days.
    assert_eq!(stub.requests().len(), 2);
}

#[test]
fn replay_and_agents_on_the_demo() {
    let out = run(vs_logs().args(["replay", "ag-456", "--demo", "-o", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (done, fetch) = capture_facts();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let r = &v["runs"][0];
    assert_eq!(r["totals"]["turns"], 2);
    assert_eq!(r["totals"]["input_tokens"], done["input_tokens"]);
    assert_eq!(r["totals"]["output_tokens"], done["output_tokens"]);
    assert_eq!(r["totals"]["cost"]["usd"], done["cost"]);
    let steps = r["turns"][0]["steps"].as_array().unwrap();
    let call = steps.iter().find(|s| s["kind"] == "tool_call").unwrap();
    assert_eq!(call["tool"], "fetch_commit_diff");
    assert_eq!(call["duration_ms"].as_f64(), fetch["duration_ms"].as_f64());

    let out = run(vs_logs().args(["agents", "--demo", "--since", "2d", "--status", "failed"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Vec<&str> = out
        .stdout
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|l| l.contains(" failed ")), "{rows:?}");
}
