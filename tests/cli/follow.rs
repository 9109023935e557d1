#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `-f` on `query` and on scene commands, following a growing local file.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn line(level: &str, event: &str, ts: &str) -> String {
    format!(
        r#"{{"event":"{event}","level":"{level}","logger":"vulnsentinel.agent","timestamp":"{ts}"}}"#
    ) + "\n"
}

/// Runs the binary following `file`, returns a receiver of its stdout lines and the child.
fn follow(args: &[&str], file: &std::path::Path) -> (mpsc::Receiver<String>, std::process::Child) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vs-logs"))
        .env_clear()
        .env("XDG_CONFIG_HOME", "/nonexistent-vs-logs-test")
        .arg("--file")
        .arg(file)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for l in BufReader::new(stdout).lines() {
            let Ok(l) = l else { break };
            if tx.send(l).is_err() {
                break;
            }
        }
    });
    (rx, child)
}

fn next(rx: &mpsc::Receiver<String>) -> String {
    rx.recv_timeout(Duration::from_secs(60))
        .expect("a line within a minute")
}

fn check(args: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("app.jsonl");
    std::fs::write(
        &f,
        line("info", "agent.start", "2026-11-24T08:00:00Z")
            + &line("error", "agent.failed", "2026-11-24T08:00:01Z"),
    )
    .unwrap();
    let (rx, mut child) = follow(args, &f);
    let first = next(&rx);
    assert!(first.contains("agent.failed"), "history first: {first}");
    let mut w = std::fs::OpenOptions::new().append(true).open(&f).unwrap();
    w.write_all(line("info", "agent.turn", "2026-11-24T08:00:02Z").as_bytes())
        .unwrap();
    w.write_all(line("error", "tool.error", "2026-11-24T08:00:03Z").as_bytes())
        .unwrap();
    w.flush().unwrap();
    let second = next(&rx);
    assert!(
        second.contains("tool.error"),
        "then the new error: {second}"
    );
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn query_dash_f_follows_a_file() {
    check(&[
        "query",
        "{app=\"vulnsentinel\"} | json | level=\"error\"",
        "-f",
        "-o",
        "raw",
    ]);
}

#[test]
fn errors_dash_f_follows_a_file() {
    check(&["errors", "-f", "-o", "jsonl"]);
}

/// Issue 12 rule 4: SIGINT/SIGTERM end `query --file F -f` promptly even while stdout is
/// back-pressured (nobody reads it). 10 s is a correctness bound, not a timing measurement.
#[cfg(unix)]
#[test]
fn signals_end_a_follow_with_blocked_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("big.jsonl");
    let mut text = String::new();
    for i in 0..20_000 {
        text += &line(
            "error",
            &format!("agent.failed.{i}"),
            "2026-11-24T08:00:01Z",
        );
    }
    std::fs::write(&f, text).unwrap();
    for (sig, code) in [("-INT", 130), ("-TERM", 143)] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vs-logs"))
            .env_clear()
            .env("XDG_CONFIG_HOME", "/nonexistent-vs-logs-test")
            .arg("--file")
            .arg(&f)
            .args(["query", "{app=~\".+\"}", "--limit", "20000", "-f"])
            .stdout(Stdio::piped()) // never read: the pipe fills and writes block
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_secs(2));
        assert!(child.try_wait().unwrap().is_none(), "still following");
        let pid = child.id().to_string();
        assert!(
            Command::new("kill")
                .args([sig, &pid])
                .status()
                .unwrap()
                .success()
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break Some(s);
            }
            if std::time::Instant::now() > deadline {
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        if status.is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let status = status.unwrap_or_else(|| panic!("still running 10 s after kill {sig}"));
        assert_eq!(status.code(), Some(code), "{sig}");
    }
}
