#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The binary on local sources (`--file`, `--stdin`, `--demo`): no Loki involved.

#[path = "cli_support/mod.rs"]
#[allow(dead_code)]
mod support;

use support::{run, vs_logs};

const OLD_LINES: &str = concat!(
    r#"{"event":"request.end","level":"info","logger":"vulnsentinel.api","timestamp":"2026-01-10T08:00:00Z","status":200}"#,
    "\n",
    r#"{"event":"agent.failed","level":"error","logger":"vulnsentinel.agent","timestamp":"2026-01-10T09:00:00Z","agent_id":"ag-1"}"#,
    "\n",
);

#[test]
fn missing_file_and_directory_are_named() {
    let o = run(vs_logs().args(["errors", "--file", "/nonexistent/app.jsonl"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.starts_with("vs-logs: "), "{}", o.stderr);
    assert!(o.stderr.contains("/nonexistent/app.jsonl"), "{}", o.stderr);
    let dir = tempfile::tempdir().unwrap();
    let o = run(vs_logs().arg("errors").arg("--file").arg(dir.path()));
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains(&dir.path().display().to_string()),
        "{}",
        o.stderr
    );
}

#[test]
fn labels_and_series_from_stdin() {
    let o = run(vs_logs().args(["labels", "--stdin"]).write_stdin(OLD_LINES));
    assert_eq!(o.code, 0, "{}", o.stderr);
    for l in ["app", "level", "module"] {
        assert!(o.stdout.lines().any(|x| x == l), "{l}: {}", o.stdout);
    }
    let o = run(vs_logs()
        .args(["labels", "module", "--stdin", "-o", "json"])
        .write_stdin(OLD_LINES));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let got: Vec<String> = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(got, ["agent", "api"]);
    let o = run(vs_logs()
        .args(["series", "--stdin", "-o", "jsonl"])
        .write_stdin(OLD_LINES));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let sets: Vec<serde_json::Value> = o
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(sets.len(), 2);
    assert!(
        sets.iter()
            .any(|s| s["module"] == "agent" && s["level"] == "error")
    );
}

#[test]
fn since_counts_back_from_the_newest_line_of_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("old.jsonl");
    std::fs::write(&f, OLD_LINES).unwrap();
    // The file is months old: --since 30m still finds its last line (the agent one)...
    let o = run(vs_logs()
        .arg("--file")
        .arg(&f)
        .args(["labels", "module", "--since", "30m"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.lines().collect::<Vec<_>>(), ["agent"]);
    // ...while an absolute range relative to now finds nothing.
    let o = run(vs_logs()
        .arg("--file")
        .arg(&f)
        .args(["labels", "module", "--from", "now-30m"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "");
    // No range flag: the whole file.
    let o = run(vs_logs().arg("--file").arg(&f).args(["labels", "module"]));
    assert_eq!(o.stdout.lines().collect::<Vec<_>>(), ["agent", "api"]);
}

#[test]
fn demo_has_every_module() {
    let o = run(vs_logs().args(["labels", "module", "--demo"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    for m in ["agent", "api", "db", "engine"] {
        assert!(o.stdout.lines().any(|x| x == m), "{m}: {}", o.stdout);
    }
}
