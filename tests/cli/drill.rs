#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `patterns` and `fields` end to end: against the stub serving Loki's Drilldown endpoints in
//! their wire format (captures 35/35b; 39d for the pattern ingester switched off), and on
//! local input.

use crate::support::bin::{run, vs_logs};
use crate::support::fixture;
use crate::support::loki_stub::{LokiStub, Reply};

const AGENT: &str = r#"{app="vulnsentinel", module="agent"}"#;

fn cmd(addr: &str) -> assert_cmd::Command {
    let mut c = vs_logs();
    c.args(["--addr", addr, "--retries", "0"]);
    c
}

/// A stub holding the agent lines of capture 02 under their stream labels.
fn stub_with_agent_lines() -> (LokiStub, usize) {
    let v: serde_json::Value =
        serde_json::from_slice(&fixture("02-qr-ag456-forward.json")).unwrap();
    let stub = LokiStub::start();
    let mut n = 0;
    for s in v["data"]["result"].as_array().unwrap() {
        let labels: Vec<(String, String)> = s["stream"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        let labels: Vec<(&str, &str)> = labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let entries: Vec<(i64, String)> = s["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e[0].as_str().unwrap().parse().unwrap(),
                    e[1].as_str().unwrap().to_string(),
                )
            })
            .collect();
        n += entries.len();
        stub.add_stream(&labels, entries);
    }
    (stub, n)
}

// 2026-11-24T08:01:00Z .. 2026-11-25T08:07:23Z, the captures' range.
const FROM: &str = "1795507260";
const TO: &str = "1795594043";

#[test]
fn patterns_are_mined_locally_when_the_pattern_ingester_is_off() {
    let (stub, lines) = stub_with_agent_lines();
    let o =
        run(cmd(&stub.url()).args(["patterns", AGENT, "--from", FROM, "--to", TO, "-o", "json"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["origin"]["kind"], "local", "{v}");
    assert_eq!(v["total"], lines as u64);
    let pats = v["patterns"].as_array().unwrap();
    assert!(!pats.is_empty());
    let sum: u64 = pats.iter().map(|p| p["count"].as_u64().unwrap()).sum();
    assert_eq!(sum, lines as u64);
    let counts: Vec<u64> = pats.iter().map(|p| p["count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    // Loki was asked first, then the lines were fetched.
    let asked = stub.requests_to("/loki/api/v1/patterns");
    assert_eq!(asked[0].param("query"), Some(AGENT));
    assert!(stub.request_count("/loki/api/v1/query_range") >= 1);
    // Text output names the side that computed it.
    let o = run(cmd(&stub.url()).args(["patterns", AGENT, "--from", FROM, "--to", TO]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("computed locally from"), "{}", o.stdout);
    assert!(o.stdout.starts_with("    COUNT   SHARE"), "{}", o.stdout);
}

/// Loki's documented `/patterns` answer (the lab's Loki has the ingester off: 39d).
const PATTERNS: &str = r#"{"status":"success","data":[{"pattern":"<_> level=info msg=\"request done\" <_>","level":"info","samples":[[1795590000,3],[1795590600,4]]},{"pattern":"<_> level=error msg=<_>","level":"error","samples":[[1795590000,1]]}]}"#;

#[test]
fn patterns_come_from_loki_when_it_answers() {
    let (stub, _) = stub_with_agent_lines();
    stub.serve_path("/loki/api/v1/patterns", Reply::json(PATTERNS.to_string()));
    let o =
        run(cmd(&stub.url()).args(["patterns", AGENT, "--from", FROM, "--to", TO, "-o", "json"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["origin"]["kind"], "loki");
    assert_eq!(v["total"], 8);
    assert_eq!(v["patterns"][0]["count"], 7);
    assert_eq!(
        v["patterns"][0]["include"],
        r#"|> "<_> level=info msg=\"request done\" <_>""#
    );
    assert_eq!(
        v["patterns"][1]["exclude"],
        r#"!> "<_> level=error msg=<_>""#
    );
    // Loki's patterns were used: no lines fetched.
    assert_eq!(stub.request_count("/loki/api/v1/query_range"), 0);
    let req = &stub.requests_to("/loki/api/v1/patterns")[0];
    assert_eq!(req.param("start"), Some("1795507260000000000"));
    assert!(req.param("step").is_some_and(|s| s.ends_with('s')));
}

#[test]
fn fields_use_detected_fields_and_a_local_sample() {
    let (stub, lines) = stub_with_agent_lines();
    stub.serve_path(
        "/loki/api/v1/detected_fields",
        Reply::json_bytes(&fixture("35-detected-fields.json")),
    );
    let values = Reply::json_bytes(&fixture("35b-detected-field-values.json"));
    stub.serve_path("/loki/api/v1/detected_field/args_timeout_s/values", values);
    let o = run(cmd(&stub.url()).args(["fields", AGENT, "--from", FROM, "--to", TO, "-o", "json"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["origin"]["kind"], "mixed", "{v}");
    assert_eq!(v["entries"], lines as u64);
    let fields = v["fields"].as_array().unwrap();
    let find = |n: &str| fields.iter().find(|f| f["name"] == n).cloned();
    // A label only the sample has.
    let module = find("module").unwrap();
    assert_eq!(module["source"], "label");
    assert_eq!(module["top"][0][0], "agent");
    // Loki's type and cardinality win for a field both know.
    let dl = find("detected_level");
    if let Some(dl) = dl {
        assert_eq!(dl["type"], "string");
    }
    // A field only Loki knows gets its values from detected_field/<name>/values.
    let t = find("args_timeout_s").unwrap();
    assert_eq!(t["type"], "int");
    assert_eq!(t["cardinality"], 1);
    assert_eq!(t["top"][0][0], "patch_verifier");
    let q = &stub.requests_to("/loki/api/v1/detected_fields")[0];
    assert_eq!(q.param("query"), Some(AGENT));
    assert_eq!(
        stub.requests_to("/loki/api/v1/detected_field/args_timeout_s/values")[0].param("query"),
        Some(AGENT)
    );
}

#[test]
fn fields_without_detected_fields_are_sampled_locally() {
    let (stub, _) = stub_with_agent_lines();
    let o = run(cmd(&stub.url()).args(["fields", AGENT, "--from", FROM, "--to", TO]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("module (label, string) cardinality 1"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("computed locally from"), "{}", o.stdout);
}

const LINES: &str = concat!(
    r#"{"event":"request.end","level":"info","logger":"vulnsentinel.api","timestamp":"2026-01-10T08:00:00Z","status":200,"duration_ms":12}"#,
    "\n",
    r#"{"event":"request.end","level":"info","logger":"vulnsentinel.api","timestamp":"2026-01-10T08:00:01Z","status":200,"duration_ms":40}"#,
    "\n",
    r#"{"event":"agent.failed","level":"error","logger":"vulnsentinel.agent","timestamp":"2026-01-10T09:00:00Z","agent_id":"ag-1"}"#,
    "\n",
);

#[test]
fn patterns_and_fields_on_stdin_default_to_the_app_query() {
    let o = run(vs_logs()
        .args(["patterns", "--stdin", "-o", "json"])
        .write_stdin(LINES));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["query"], r#"{app="vulnsentinel"}"#);
    let pats = v["patterns"].as_array().unwrap();
    assert_eq!(pats.len(), 2, "{v}");
    assert_eq!(pats[0]["count"], 2);
    assert_eq!(pats[0]["event"], "request.end");
    let o = run(vs_logs().args(["fields", "--stdin"]).write_stdin(LINES));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("duration_ms (parsed, number)"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("min 12"), "{}", o.stdout);
}
