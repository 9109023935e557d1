#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The websocket tail against a scripted Loki: every line sent is received exactly once across
//! each kind of disconnect; errors that retrying cannot fix end the tail at once.

use std::time::Duration;

use crate::support::loki_stub::{Conn, Ending, Fault, LokiStub, TailScript, lines};
use vs_logs::backend::Backend;
use vs_logs::loki::{LokiClient, LokiConfig};
use vs_logs::model::{Labels, LogEntry};
use vs_logs::secret::Secret;
use vs_logs::tail::{FollowOptions, TailEvent, TailSettings, spawn_with};

fn settings(categorize: bool) -> TailSettings {
    TailSettings {
        silence_timeout: Duration::from_millis(2000),
        max_failures: 2,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        dedupe_window: Duration::ZERO,
        settle: Duration::from_secs(60),
        categorize_labels: categorize,
        file_poll: Duration::from_millis(10),
    }
}

fn backend(addr: &str) -> Backend {
    Backend::Loki(
        LokiClient::new(LokiConfig {
            addr: addr.to_string(),
            org_id: Some("tenant-1".into()),
            bearer_token: Some(Secret::new("tok-123")),
            headers: vec![("X-Team".into(), "sec".into())],
            timeout: Duration::from_secs(5),
            ..LokiConfig::default()
        })
        .unwrap(),
    )
}

fn opts(limit: usize, delay: u32) -> FollowOptions {
    FollowOptions {
        query: r#"{app="t"}"#.into(),
        start_ns: 1_795_590_000_000_000_000,
        limit,
        delay_for_s: delay,
    }
}

/// Runs a tail to its end; entries received, and every other event in order.
async fn run(addr: &str, o: FollowOptions, s: TailSettings) -> (Vec<LogEntry>, Vec<TailEvent>) {
    let mut rx = spawn_with(backend(addr), o, s);
    let mut got = Vec::new();
    let mut events = Vec::new();
    let collect = async {
        while let Some(ev) = rx.recv().await {
            match ev {
                TailEvent::Entries(v) => got.extend(v),
                other => events.push(other),
            }
        }
    };
    // A guard against a hang, not a timing assertion.
    tokio::time::timeout(Duration::from_secs(60), collect)
        .await
        .expect("the tail never ended");
    (got, events)
}

fn keys(v: &[LogEntry]) -> Vec<(i64, Labels, String)> {
    let mut k: Vec<_> = v
        .iter()
        .map(|e| (e.ts, e.all_labels(), e.line.clone()))
        .collect();
    k.sort();
    k
}

fn failed(events: &[TailEvent]) -> &str {
    match events.last() {
        Some(TailEvent::Failed(m, _)) => m,
        other => panic!("expected Failed last, got {other:?}"),
    }
}

/// History, then live frames split in the middle of same-timestamp groups, ended by a 1006
/// drop, a 1011 close and silence in turn, with lines published during each gap; after the
/// script the stub refuses connections (503), so the tail gives up.
async fn every_disconnect_kind(categorize: bool, same_text: bool) {
    let all = lines(300, 3, same_text);
    let conns = vec![
        Conn {
            live: 50,
            ending: Ending::Drop,
            then_publish: 10,
        },
        Conn {
            live: 60,
            ending: Ending::Close1011,
            then_publish: 5,
        },
        Conn {
            live: 40,
            ending: Ending::Silent,
            then_publish: 7,
        },
        // A reset can lose frames still in flight: the next connection must recover them.
        Conn {
            live: 60,
            ending: Ending::Drop,
            then_publish: 0,
        },
        // The last one ends cleanly, so what it sent is all read before the tail gives up.
        Conn {
            live: 48,
            ending: Ending::Close1011,
            then_publish: 0,
        },
    ];
    let stub = LokiStub::with_tail(TailScript {
        lines: all.clone(),
        published: 20,
        conns,
        frame_size: 7,
        ..TailScript::default()
    });
    let (got, events) = run(&stub.url(), opts(1000, 0), settings(categorize)).await;

    let gl: std::collections::BTreeSet<String> = got.iter().map(|e| e.line.clone()).collect();
    let missing: Vec<&str> = all
        .iter()
        .map(|e| e.line.as_str())
        .filter(|l| !gl.contains(*l))
        .collect();
    assert_eq!(
        got.len(),
        all.len(),
        "none missing, none twice: missing {missing:?} events {events:?}"
    );
    assert_eq!(keys(&got), keys(&all));
    assert!(got.windows(2).all(|w| w[0].ts <= w[1].ts), "oldest first");
    let reconnects = events
        .iter()
        .filter(|e| matches!(e, TailEvent::Reconnected { .. }))
        .count();
    // One per scripted disconnect (more only if a loaded machine stalls the stub's pings).
    assert!(reconnects >= 4, "{events:?}");
    assert!(failed(&events).contains("gave up after 3 failed attempts"));

    let reqs = stub.requests_to("/loki/api/v1/tail");
    let first = &reqs[0];
    assert_eq!(first.param("query"), Some(r#"{app="t"}"#));
    assert_eq!(first.param("limit"), Some("1000"));
    assert_eq!(first.param("delay_for"), Some("0"));
    assert_eq!(first.param("start"), Some("1795590000000000000"));
    assert_eq!(first.header("X-Scope-OrgID"), Some("tenant-1"));
    assert_eq!(first.header("Authorization"), Some("Bearer tok-123"));
    assert_eq!(first.header("X-Team"), Some("sec"));
    assert_eq!(
        first.header("X-Loki-Response-Encoding-Flags"),
        categorize.then_some("categorize-labels")
    );
    // The second connection resumes at the last timestamp received (frames in flight when the
    // socket was reset may be lost, so at most the last one sent), not at the original start.
    let resumed: i64 = reqs[1].param("start").unwrap().parse().unwrap();
    assert!(
        resumed >= all[19].ts && resumed <= all[19 + 50].ts,
        "{resumed}"
    );
}

#[tokio::test]
async fn no_line_lost_or_repeated_across_1006_1011_and_silence() {
    every_disconnect_kind(true, true).await;
}

#[tokio::test]
async fn same_without_categorize_labels_and_distinct_texts() {
    every_disconnect_kind(false, false).await;
}

#[tokio::test]
async fn gap_longer_than_the_resumed_history_is_backfilled() {
    let all = lines(400, 2, true);
    let conns = vec![
        Conn {
            live: 30,
            ending: Ending::Drop,
            then_publish: 250,
        },
        Conn {
            live: 115,
            ending: Ending::Close1011,
            then_publish: 0,
        },
    ];
    let stub = LokiStub::with_tail(TailScript {
        lines: all.clone(),
        published: 5,
        conns,
        ..TailScript::default()
    });
    // limit 5: the resumed socket's history holds only the newest 100 of the 250-line gap.
    let (got, events) = run(&stub.url(), opts(5, 0), settings(true)).await;
    assert_eq!(got.len(), all.len(), "{events:?}");
    assert_eq!(keys(&got), keys(&all));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, TailEvent::Reconnected { backfilled } if *backfilled >= 150))
    );
    assert!(!stub.requests_to("/loki/api/v1/query_range").is_empty());
}

#[tokio::test]
async fn http_400_before_the_upgrade_fails_at_once_with_lokis_text() {
    let body = "parse error at line 1, col 36: syntax error: unexpected $end";
    let stub = LokiStub::start();
    stub.push_fault(Fault::bad_request(body));
    let (got, events) = run(&stub.url(), opts(10, 0), settings(true)).await;
    assert!(got.is_empty());
    assert_eq!(failed(&events), body);
    assert_eq!(
        stub.requests_to("/loki/api/v1/tail").len(),
        1,
        "never retried"
    );
}

#[tokio::test]
async fn metric_query_close_is_a_clear_error_not_a_retry() {
    let stub = LokiStub::with_tail(TailScript {
        conns: vec![Conn {
            live: 0,
            ending: Ending::MetricClose,
            then_publish: 0,
        }],
        ..TailScript::default()
    });
    let (_, events) = run(&stub.url(), opts(10, 0), settings(true)).await;
    let m = failed(&events);
    assert!(
        m.contains("log queries only") && m.contains("vs-logs query"),
        "{m}"
    );
    assert_eq!(stub.requests_to("/loki/api/v1/tail").len(), 1);
}

#[tokio::test]
async fn unreachable_loki_gives_up_after_bounded_attempts() {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = format!("http://{}", l.local_addr().unwrap());
    drop(l);
    let (_, events) = run(&addr, opts(10, 0), settings(true)).await;
    let m = failed(&events);
    assert!(
        m.contains("gave up after 3 failed attempts") && m.contains(&addr),
        "{m}"
    );
    let retries = events
        .iter()
        .filter(|e| matches!(e, TailEvent::Notice(n) if n.contains("reconnecting")))
        .count();
    assert_eq!(retries, 2);
}

#[tokio::test]
async fn delay_for_over_five_fails_without_connecting() {
    let stub = LokiStub::start();
    let (_, events) = run(&stub.url(), opts(10, 6), settings(true)).await;
    assert!(failed(&events).contains("0 to 5"));
    assert!(stub.requests_to("/loki/api/v1/tail").is_empty());
}

#[tokio::test]
async fn dropped_entries_are_reported_with_count_and_span() {
    let frame = r#"{"streams":[],"dropped_entries":[{"timestamp":"1795594000500000000","labels":"{app=\"t\"}"},{"timestamp":"1795594000100000000","labels":"{app=\"t\"}"}]}"#;
    let stub = LokiStub::with_tail(TailScript {
        lines: lines(3, 1, false),
        published: 3,
        conns: vec![Conn {
            live: 0,
            ending: Ending::Drop,
            then_publish: 0,
        }],
        extra_frames: vec![frame.into()],
        ..TailScript::default()
    });
    let (got, events) = run(&stub.url(), opts(10, 0), settings(true)).await;
    assert_eq!(got.len(), 3);
    assert!(events.contains(&TailEvent::Dropped {
        count: 2,
        from_ns: 1_795_594_000_100_000_000,
        to_ns: 1_795_594_000_500_000_000,
    }));
}

#[tokio::test]
async fn a_tail_that_never_connects_says_so_and_retries() {
    let (addr, _listener, _filler) = super::faults::unanswered_addr().await;
    let backend = Backend::Loki(
        LokiClient::new(LokiConfig {
            addr: addr.clone(),
            timeout: Duration::from_secs(2),
            ..LokiConfig::default()
        })
        .unwrap(),
    );
    let s = TailSettings {
        max_failures: 1,
        ..settings(false)
    };
    let mut rx = spawn_with(backend, opts(10, 0), s);
    let mut events = Vec::new();
    let collect = async {
        while let Some(ev) = rx.recv().await {
            events.push(ev);
        }
    };
    // A guard against a hang, not a timing assertion.
    tokio::time::timeout(Duration::from_secs(60), collect)
        .await
        .expect("the tail never ended");
    let m = failed(&events);
    assert!(
        m.contains("gave up after 2 failed attempts") && m.contains("no connection within 1s"),
        "{m}"
    );
    assert!(m.contains("cannot connect to Loki at"), "{m}");
}
