#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The binary on local sources (`--file`, `--stdin`, `--demo`): no Loki involved.

use crate::support::bin::{run, vs_logs};

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

fn jsonl(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn errors_on_the_demo_finds_error_lines() {
    let o = run(vs_logs().args(["errors", "--demo", "--since", "12h", "-o", "jsonl"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let entries = jsonl(&o.stdout);
    assert!(!entries.is_empty());
    for e in &entries {
        assert_eq!(e["labels"]["level"], "error", "{e}");
    }
    let o = run(vs_logs().args([
        "errors",
        "--demo",
        "--since",
        "12h",
        "--agent-type",
        "event_classifier",
        "-o",
        "jsonl",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let narrowed = jsonl(&o.stdout);
    assert!(!narrowed.is_empty() && narrowed.len() < entries.len());
    for e in &narrowed {
        assert_eq!(e["fields"]["agent_type"], "event_classifier", "{e}");
        assert_eq!(e["labels"]["module"], "agent");
    }
    // Newest first, and the text view has the same number of lines plus its header.
    let ts: Vec<i64> = entries
        .iter()
        .map(|e| e["ts_ns"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(ts.windows(2).all(|w| w[0] >= w[1]));
    let text = run(vs_logs().args(["errors", "--demo", "--since", "12h", "--color", "never"]));
    // The shared-labels header is a note on stderr (issue 11.21): stdout holds the records,
    // one record line per entry (multi-line records add indented lines under theirs).
    let records = text.stdout.lines().filter(|l| !l.starts_with(' ')).count();
    assert_eq!(records, entries.len());
    assert!(
        text.stdout.lines().count() > records,
        "tracebacks shown under their records"
    );
    assert!(text.stderr.starts_with("# "), "{}", text.stderr);
}

#[test]
fn event_command_is_oldest_first_and_limit_applies() {
    let o = run(vs_logs().args(["event", "evt-789", "--demo", "-o", "jsonl"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let entries = jsonl(&o.stdout);
    assert!(entries.len() > 2);
    let ts: Vec<i64> = entries
        .iter()
        .map(|e| e["ts_ns"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(ts.windows(2).all(|w| w[0] <= w[1]), "{ts:?}");
    assert!(
        entries
            .iter()
            .all(|e| e["line"].as_str().unwrap().contains("evt-789"))
    );
    let o = run(vs_logs().args(["event", "evt-789", "--demo", "-o", "raw", "--limit", "2"]));
    assert_eq!(o.stdout.lines().count(), 2);
    assert!(o.stderr.contains("--limit 0"), "{}", o.stderr);
}

#[test]
fn hostile_demo_lines_are_neutralised_in_text_and_kept_in_raw() {
    let q = ["query", "--demo", "{app=\"vulnsentinel\"} |= \"pwned\""];
    let raw = run(vs_logs().args(q).args(["-o", "raw"]));
    assert_eq!(raw.code, 0, "{}", raw.stderr);
    assert!(raw.stdout.contains('\u{1b}'), "the demo has an ESC line");
    let text = run(vs_logs().args(q).args(["--color", "always"]));
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(!text.stdout.contains("\u{1b}]0;"), "{}", text.stdout);
    assert!(text.stdout.contains("^[]0;pwned"), "{}", text.stdout);
}

#[test]
fn query_on_stdin_and_file_agree() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.jsonl");
    std::fs::write(&f, OLD_LINES).unwrap();
    let q = "{app=\"vulnsentinel\"} | json | level=\"error\"";
    let a = run(vs_logs()
        .args(["query", "--stdin", q, "-o", "raw"])
        .write_stdin(OLD_LINES));
    let b = run(vs_logs()
        .arg("--file")
        .arg(&f)
        .args(["query", q, "-o", "raw"]));
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.stdout.lines().count(), 1);
    assert!(a.stdout.contains("agent.failed"));
}

#[test]
fn scene_with_params_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.jsonl");
    std::fs::write(&f, OLD_LINES).unwrap();
    let o = run(vs_logs().arg("--file").arg(&f).args([
        "scene",
        "agent-replay",
        "--set",
        "agent_id=ag-1",
        "-o",
        "jsonl",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let e = jsonl(&o.stdout);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["fields"]["agent_id"], "ag-1");
}

#[test]
fn bad_logql_on_a_local_source_is_a_runtime_error() {
    let o = run(vs_logs().args(["query", "--demo", "{app=\"vulnsentinel\"} | json | level="]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.starts_with("vs-logs: "), "{}", o.stderr);
    assert!(o.stderr.contains("parse error"), "{}", o.stderr);
}

#[test]
fn following_the_demo_is_refused() {
    let o = run(vs_logs().args(["errors", "--demo", "-f"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("exactly one --file"), "{}", o.stderr);
}

#[test]
fn help_says_what_the_demo_holds_and_where_it_ends() {
    let o = run(vs_logs().arg("--help"));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let flat = o.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("start of the current hour"), "{flat}");
    assert!(flat.contains("ag-456"), "{flat}");
}

#[test]
fn untimed_lines_are_never_dropped() {
    // Issue 11.2: a line without a timestamp of its own inherits one, it is never dropped.
    let o = run(vs_logs()
        .args(["query", "--stdin", r#"{app="vulnsentinel"}"#, "-o", "raw"])
        .write_stdin("plain text line\n"));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "plain text line\n");
    let o = run(vs_logs()
        .args([
            "query",
            "--stdin",
            r#"{app="vulnsentinel"}"#,
            "--since",
            "1h",
            "-o",
            "raw",
        ])
        .write_stdin("plain text line\n"));
    assert_eq!(o.stdout, "plain text line\n", "{}", o.stderr);
    // The first line of a compose log, and an untimed line after the last stamped one.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("compose.log");
    std::fs::write(
        &path,
        "vulnsentinel  | INFO: Started server process [1]\n\
         vulnsentinel  | 2026-11-25T05:18:00Z [info] request.start method=GET\n\
         vulnsentinel  | plain tail\n",
    )
    .unwrap();
    for since in [None, Some("1m")] {
        let mut cmd = vs_logs();
        cmd.args(["query", r#"{app="vulnsentinel"}"#, "--forward", "-o", "raw"])
            .arg("--file")
            .arg(&path);
        if let Some(s) = since {
            cmd.args(["--since", s]);
        }
        let o = run(&mut cmd);
        assert_eq!(
            o.stdout,
            "INFO: Started server process [1]\n\
             2026-11-25T05:18:00Z [info] request.start method=GET\n\
             plain tail\n",
            "{since:?}: {}",
            o.stderr
        );
    }
}

#[test]
fn an_over_long_line_is_truncated_with_a_visible_marker() {
    // Issue 12.3: a single line is capped like Loki's max_line_size (256 KB).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.log");
    let long = "y".repeat(3 << 20);
    std::fs::write(&path, format!("before\n{long}\nafter\n")).unwrap();
    let o = run(vs_logs()
        .args([
            "query",
            r#"{app="vulnsentinel"}"#,
            "--forward",
            "-o",
            "raw",
            "--file",
        ])
        .arg(&path));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", o.stderr);
    assert_eq!(lines[0], "before");
    assert!(lines[1].starts_with(&"y".repeat(256 * 1024)));
    assert!(lines[1].len() < 256 * 1024 + 200);
    assert!(
        lines[1].contains("line truncated at 262144 bytes"),
        "{}",
        &lines[1][256 * 1024..]
    );
    assert_eq!(lines[2], "after");
    // Same through stdin.
    let o = run(vs_logs()
        .args(["query", "--stdin", r#"{app="vulnsentinel"}"#, "-o", "raw"])
        .write_stdin(format!("{long}\n")));
    assert!(
        o.stdout.contains("line truncated at 262144 bytes"),
        "{}",
        o.stderr
    );
    assert!(o.stdout.len() < 256 * 1024 + 200);
}

#[test]
fn stdin_over_its_cap_is_refused_with_what_to_do() {
    // Issue 12.3: stdin was read whole whatever its size; it is kept up to a configurable cap.
    let big = OLD_LINES.repeat(2 * 1024 * 1024 / OLD_LINES.len() + 1);
    let o = run(vs_logs()
        .args(["labels", "--stdin"])
        .env("VS_LOGS_MAX_STDIN_MB", "1")
        .write_stdin(big.clone()));
    assert_ne!(o.code, 0);
    assert!(o.stdout.is_empty(), "{}", o.stdout);
    assert!(
        o.stderr.contains("stdin") && o.stderr.contains("more than 1 MiB"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("--file") && o.stderr.contains("VS_LOGS_MAX_STDIN_MB"),
        "{}",
        o.stderr
    );
    let o = run(vs_logs()
        .args(["labels", "--stdin"])
        .env("VS_LOGS_MAX_STDIN_MB", "4")
        .write_stdin(big));
    assert_eq!(o.code, 0, "{}", o.stderr);
}
