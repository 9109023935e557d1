#![allow(clippy::unwrap_used, clippy::expect_used)]
//! End to end: `vs-logs tail` against the scripted Loki, in jsonl mode, across a 1006 drop.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use support::ws_stub::{Conn, Ending, StubConfig, WsStub, lines};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tail_prints_history_then_live_lines_once_as_jsonl() {
    let all = lines(90, 3, true);
    let stub = WsStub::start(StubConfig {
        lines: all.clone(),
        published: 12,
        conns: vec![
            Conn {
                live: 40,
                ending: Ending::Drop,
                then_publish: 8,
            },
            Conn {
                live: 30,
                ending: Ending::Hold,
                then_publish: 0,
            },
        ],
        frame_size: 5,
        ..StubConfig::default()
    })
    .await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_vs-logs"))
        .args(["--addr", &stub.addr, "-o", "jsonl", "tail", r#"{app="t"}"#])
        .args(["--since", "30d", "--limit", "1000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let want = all.len();
    let reader = std::thread::spawn(move || {
        let mut got = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let v: serde_json::Value = serde_json::from_str(&line).expect("each line is JSON");
            got.push((
                v["labels"]["module"].as_str().unwrap().to_string(),
                v["line"].as_str().unwrap().to_string(),
            ));
            if got.len() == want {
                break;
            }
        }
        got
    });
    // A guard against a hang, not a timing assertion.
    let got = tokio::task::spawn_blocking(move || {
        for _ in 0..600 {
            if reader.is_finished() {
                return reader.join().unwrap();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("vs-logs tail did not print every line");
    })
    .await
    .unwrap();
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let mut got = got;
    got.sort();
    let mut sent: Vec<(String, String)> = all
        .iter()
        .map(|e| (e.labels["module"].clone(), e.line.clone()))
        .collect();
    sent.sort();
    assert_eq!(got, sent);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("reconnect"), "{stderr}");
}
