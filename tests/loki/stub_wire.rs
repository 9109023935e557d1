//! The stub against the real captures: what it sends must be what Loki sent, byte for byte, so
//! tests against the stub say something about Loki.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::support::fixture;
use crate::support::loki_stub::{Conn, Ending, LokiStub, TailScript};
use vs_logs::model::{Labels, LogEntry};

/// A tail capture's text frames, as sent.
fn capture_frames(name: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&fixture(name)).unwrap();
    v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "frame")
        .map(|e| e["data"].as_str().unwrap().to_string())
        .collect()
}

fn labels(v: &serde_json::Value) -> Labels {
    v.as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// The entries of tail frames: stream labels, line, and the third element's categories.
fn frame_entries(frames: &[String]) -> Vec<LogEntry> {
    let mut out = Vec::new();
    for f in frames {
        let v: serde_json::Value = serde_json::from_str(f).unwrap();
        for s in v["streams"].as_array().unwrap() {
            let l = Arc::new(labels(&s["stream"]));
            for val in s["values"].as_array().unwrap() {
                let ts = val[0].as_str().unwrap().parse().unwrap();
                let mut e = LogEntry::new(ts, Arc::clone(&l), val[1].as_str().unwrap());
                e.metadata = labels(&val[2]["structuredMetadata"]);
                e.parsed = labels(&val[2]["parsed"]);
                out.push(e);
            }
        }
    }
    out
}

/// The first `n` text frames the stub sends on a tail of `query`.
async fn stub_frames(
    stub: &LokiStub,
    query: &str,
    extra: &str,
    categorize: bool,
    n: usize,
) -> Vec<String> {
    let q: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
    let url = format!(
        "{}/loki/api/v1/tail?query={q}{extra}",
        stub.url().replace("http://", "ws://")
    );
    let mut req = url.into_client_request().unwrap();
    if categorize {
        req.headers_mut().insert(
            "X-Loki-Response-Encoding-Flags",
            "categorize-labels".parse().unwrap(),
        );
    }
    let host = stub.url().trim_start_matches("http://").to_string();
    let tcp = tokio::net::TcpStream::connect(host).await.unwrap();
    let (mut ws, _) = tokio_tungstenite::client_async(req, tcp).await.unwrap();
    let mut got = Vec::new();
    while got.len() < n {
        let next = tokio::time::timeout(Duration::from_secs(30), ws.next()).await;
        match next.expect("a frame within 30 s") {
            Some(Ok(Message::Text(t))) => got.push(t.to_string()),
            Some(Ok(_)) => {}
            other => panic!("tail ended early: {other:?}"),
        }
    }
    got
}

#[tokio::test]
async fn history_frame_is_lokis_byte_for_byte() {
    let want = capture_frames("60-tail-history-limit5.json");
    let stub = LokiStub::with_tail(TailScript {
        lines: frame_entries(&want),
        published: 5,
        conns: vec![Conn {
            live: 0,
            ending: Ending::Hold,
            then_publish: 0,
        }],
        ..TailScript::default()
    });
    let q = r#"{app="vulnsentinel", module="api", level="info"}"#;
    let got = stub_frames(&stub, q, "&limit=5&start=0", false, want.len()).await;
    assert_eq!(got, want);
}

#[tokio::test]
async fn live_categorize_frames_are_lokis_byte_for_byte() {
    let want = capture_frames("62-tail-json-categorize-labels.json");
    let stub = LokiStub::with_tail(TailScript {
        lines: frame_entries(&want),
        published: 0,
        conns: vec![Conn {
            live: want.len(),
            ending: Ending::Hold,
            then_publish: 0,
        }],
        frame_size: 1,
        ..TailScript::default()
    });
    let got = stub_frames(&stub, r#"{app="vs-tailtest"} | json"#, "", true, want.len()).await;
    assert_eq!(got, want);
}

#[tokio::test]
async fn live_plain_frames_are_lokis_byte_for_byte() {
    // 61: five lines pushed in one request arrive as one frame of five stream objects.
    let want = capture_frames("61-tail-live-pushes.json");
    let entries = frame_entries(&want);
    assert_eq!(want.len(), 4);
    let stub = LokiStub::with_tail(TailScript {
        lines: entries[..2].to_vec(),
        published: 0,
        conns: vec![Conn {
            live: 2,
            ending: Ending::Hold,
            then_publish: 0,
        }],
        frame_size: 1,
        ..TailScript::default()
    });
    let got = stub_frames(&stub, r#"{app="vs-tailtest"}"#, "", false, 2).await;
    assert_eq!(got, want[..2]);
    let stub = LokiStub::with_tail(TailScript {
        lines: entries[2..7].to_vec(),
        published: 0,
        conns: vec![Conn {
            live: 5,
            ending: Ending::Hold,
            then_publish: 0,
        }],
        frame_size: 5,
        ..TailScript::default()
    });
    let got = stub_frames(&stub, r#"{app="vs-tailtest"}"#, "", false, 1).await;
    assert_eq!(got, want[2..3]);
}

#[tokio::test]
async fn tail_refusals_before_the_upgrade_are_lokis() {
    let stub = LokiStub::start();
    for (params, capture) in [
        ("&delay_for=10", "49d-err-tail-delay-too-big.txt"),
        ("", "49e-err-tail-no-upgrade.txt"),
    ] {
        let url = format!(
            "{}/loki/api/v1/tail?query=%7Bapp%3D%22vulnsentinel%22%7D{params}",
            stub.url()
        );
        let resp = reqwest::get(&url).await.unwrap();
        assert_eq!(resp.status().as_u16(), 400, "{capture}");
        assert_eq!(
            resp.headers()["content-type"].to_str().unwrap(),
            "text/plain; charset=utf-8"
        );
        assert_eq!(&resp.bytes().await.unwrap()[..], &fixture(capture)[..]);
    }
}
