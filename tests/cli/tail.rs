#![allow(clippy::unwrap_used, clippy::expect_used)]
//! End to end: `vs-logs tail` against the scripted Loki, in jsonl mode, across a 1006 drop.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::loki_stub::{Conn, Ending, LokiStub, TailScript, lines};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tail_prints_history_then_live_lines_once_as_jsonl() {
    let all = lines(90, 3, true);
    let stub = LokiStub::with_tail(TailScript {
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
        ..TailScript::default()
    });
    let mut child = Command::new(env!("CARGO_BIN_EXE_vs-logs"))
        .args(["--addr", &stub.url(), "-o", "jsonl", "tail", r#"{app="t"}"#])
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

#[test]
fn query_file_f_follows_appends_and_rotation_applying_the_query() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("app.log");
    let line = |i: u32, level: &str| {
        format!(
            r#"{{"event":"e{i}","level":"{level}","logger":"vulnsentinel.api","timestamp":"2026-11-25T08:00:{i:02}Z"}}"#
        )
    };
    std::fs::write(&p, format!("{}\n{}\n", line(1, "error"), line(2, "info"))).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vs-logs"))
        .arg("--file")
        .arg(&p)
        .args([
            "-o",
            "raw",
            "query",
            r#"{app="vulnsentinel"} | json | level="error""#,
        ])
        .args(["--since", "3650d", "-f"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = || out.next().expect("vs-logs ended early").unwrap();
    assert_eq!(next(), line(1, "error"));
    let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
    writeln!(f, "{}\n{}", line(3, "info"), line(4, "error")).unwrap();
    assert_eq!(next(), line(4, "error"));
    std::fs::rename(&p, dir.path().join("app.log.1")).unwrap();
    std::fs::write(&p, format!("{}\n", line(5, "error"))).unwrap();
    assert_eq!(next(), line(5, "error"));
    child.kill().unwrap();
    let _ = child.wait();
}

/// A minimal HTTP CONNECT proxy: tunnels to the requested host and records each target.
async fn connect_proxy() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = format!("http://{}", l.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = std::sync::Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut client, _)) = l.accept().await {
            let record = std::sync::Arc::clone(&record);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut b = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut b).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(b[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let mut parts = head.split_whitespace();
                let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                record.lock().unwrap().push(format!("{method} {target}"));
                if method != "CONNECT" {
                    let _ = client
                        .write_all(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
                        .await;
                    return;
                }
                let Ok(mut upstream) = tokio::net::TcpStream::connect(target).await else {
                    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
                    return;
                };
                let _ = client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    (addr, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tail_goes_through_the_users_http_proxy() {
    let all = lines(10, 2, false);
    let stub = LokiStub::with_tail(TailScript {
        lines: all.clone(),
        published: 4,
        conns: vec![Conn {
            live: 6,
            ending: Ending::Hold,
            then_publish: 0,
        }],
        ..TailScript::default()
    });
    let (proxy, seen) = connect_proxy().await;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vs-logs"));
    for v in [
        "NO_PROXY",
        "no_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "http_proxy",
    ] {
        cmd.env_remove(v);
    }
    let mut child = cmd
        .env("HTTP_PROXY", &proxy)
        .args(["--addr", &stub.url(), "-o", "raw", "tail", r#"{app="t"}"#])
        .args(["--since", "30d", "--limit", "100"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let got = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .take(10)
            .map(|l| l.unwrap())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    let want: Vec<String> = all.iter().map(|e| e.line.clone()).collect();
    assert_eq!(got, want);
    let url = stub.url();
    let target = url.trim_start_matches("http://");
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        [format!("CONNECT {target}")]
    );
}
