use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::source::line::{LineKind, classify_line};

fn capture_lines() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/loki-wire/02-qr-ag456-forward.json"
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut lines: Vec<String> = v["data"]["result"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["values"].as_array().unwrap().iter())
        .map(|pair| pair[1].as_str().unwrap().to_string())
        .collect();
    lines.sort_by_key(|l| {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        v["timestamp"].as_str().unwrap().to_string()
    });
    lines
}

#[test]
fn same_output_every_run() {
    assert_eq!(demo_lines(), demo_lines());
}

#[test]
fn ag456_reproduces_the_real_capture_exactly() {
    let demo: Vec<String> = demo_lines()
        .into_iter()
        .filter(|l| l.contains(r#""agent_id":"ag-456""#))
        .collect();
    assert_eq!(demo, capture_lines());
}

#[test]
fn time_ordered_newest_last_spanning_a_day() {
    let lines = demo_lines();
    let stamps: Vec<i64> = lines
        .iter()
        .filter_map(|l| classify_line(l, "vulnsentinel").ts_ns)
        .collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(stamps.last().copied(), Some(DEMO_END_NS));
    let span = DEMO_END_NS - stamps[0];
    assert!(
        span > 23 * 3_600_000_000_000 && span <= DEMO_SPAN_NS,
        "{span}"
    );
}

#[test]
fn shifting_moves_every_timestamp_by_the_same_amount() {
    let shift = 123_456_000_000_000;
    let a = demo_lines();
    let b = demo_lines_ending(DEMO_END_NS + shift);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        let tx = classify_line(x, "vs").ts_ns;
        let ty = classify_line(y, "vs").ts_ns;
        assert_eq!(tx.map(|t| t + shift), ty, "{x:.120}");
    }
}

#[test]
fn has_the_agent_runs_the_issue_asks_for() {
    let mut starts: BTreeMap<String, usize> = BTreeMap::new();
    let mut types = BTreeSet::new();
    let mut events = BTreeSet::new();
    let mut failed = 0;
    for l in demo_lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&l) else {
            continue;
        };
        let ev = v["event"].as_str().unwrap_or_default().to_string();
        if ev == "agent.start" {
            *starts
                .entry(v["agent_id"].as_str().unwrap().to_string())
                .or_default() += 1;
            types.insert(v["agent_type"].as_str().unwrap().to_string());
        }
        if ev == "agent.error" {
            failed += 1;
            assert!(v["exception"].as_str().unwrap().starts_with("Traceback"));
        }
        events.insert(ev);
    }
    assert!((1_000..1_100).contains(&starts.len()), "{}", starts.len());
    assert!(
        starts.values().any(|&n| n > 1),
        "a retried run reuses its id"
    );
    assert!(failed > 10);
    assert_eq!(types.len(), 3, "{types:?}");
    for e in [
        "agent.turn",
        "llm.request",
        "llm.response",
        "tool.call",
        "tool.result",
        "tool.error",
        "agent.message",
        "agent.done",
        "request.start",
        "request.end",
        "engine.scan.start",
        "engine.scan.done",
        "github.rate_limit",
        "db.slow_query",
    ] {
        assert!(events.contains(e), "{e}");
    }
}

#[test]
fn hostile_lines_are_there() {
    let lines = demo_lines();
    let kinds: Vec<LineKind> = lines.iter().map(|l| classify_line(l, "vs").kind).collect();
    assert!(kinds.contains(&LineKind::Console));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("[ERROR] Worker") && l.contains("SIGKILL"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l == "Traceback (most recent call last):")
    );
    assert!(lines.iter().any(|l| l.contains("\x1b]0;pwned\x07")));
    assert!(lines.iter().any(|l| l.contains("漏洞")));
    assert!(lines.iter().any(|l| l.len() > 19_000 && l.len() < 25_000));
    assert!(lines.iter().any(|l| l.contains("rate limit")));
    assert!(lines.iter().filter(|l| l.contains("evt-789")).count() > 14);
    assert!(lines.iter().any(|l| l.contains(r#""status":5"#)));
}

#[test]
fn js_escapes_like_serde_json() {
    for s in [
        "plain",
        "quote \" and \\ back",
        "nl\ncr\rtab\t",
        "\u{1b}[31m\u{7}",
        "漏洞",
    ] {
        let want = serde_json::Value::String(s.to_string()).to_string();
        assert_eq!(js(s), want);
    }
}

/// FNV-1a over every line and its newline.
fn fingerprint(lines: &[String]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for l in lines {
        for &b in l.as_bytes().iter().chain(b"\n") {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[test]
fn the_demo_is_pinned_byte_for_byte() {
    // Taken from the generator before it was rewritten for speed (format! → direct writes):
    // any change to the demo's bytes must be deliberate (tests and docs quote its lines).
    let lines = demo_lines();
    assert_eq!(
        (lines.len(), fingerprint(&lines)),
        (41_321, 14_990_217_862_814_363_230),
        "demo changed"
    );
}
