//! The pattern miner on the LogQL conformance data set, checked through the embedded engine:
//! each exact pattern's `|> "…"` filter must return exactly the lines the pattern counted.

use std::collections::{BTreeMap, BTreeSet};

use vs_logs::drill::{PatternsConfig, Shape, mine_assigned};
use vs_logs::model::{Direction, QueryOutput, QueryRange};
use vs_logs::source::LocalSource;

const DATASET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/logql-conformance/dataset.jsonl"
);

fn lines() -> Vec<String> {
    std::fs::read_to_string(DATASET)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The `event` of a JSON line, read independently of the miner.
fn event_of(line: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    v.get("event")?.as_str().map(str::to_string)
}

#[test]
fn conformance_dataset_has_few_patterns_and_no_mixed_events() {
    let lines = lines();
    assert_eq!(lines.len(), 4031);
    let cfg = PatternsConfig::default();
    let (set, ids) = mine_assigned(lines.iter().map(|l| (0, l.as_str())), 0, 1, &cfg);
    for p in &set.patterns {
        eprintln!("{:5} exact={} {}", p.count, p.exact, p.template);
    }
    assert!(set.patterns.len() < 60, "{} patterns", set.patterns.len());
    assert_eq!(set.total, 4031);
    assert_eq!(set.unmatched, 0);
    let mut events: BTreeMap<usize, BTreeSet<Option<String>>> = BTreeMap::new();
    for (line, id) in lines.iter().zip(&ids) {
        events
            .entry(id.unwrap())
            .or_default()
            .insert(event_of(line));
    }
    for p in &set.patterns {
        let ev = &events[&p.id];
        assert_eq!(ev.len(), 1, "pattern {} mixes events {ev:?}", p.template);
        if let Shape::Structlog { event } = &p.shape {
            assert_eq!(ev.iter().next().unwrap().as_deref(), Some(event.as_str()));
        }
    }
}

fn engine_lines(src: &LocalSource, query: &str) -> Vec<String> {
    let req = QueryRange {
        query: query.to_string(),
        start_ns: 0,
        end_ns: i64::MAX / 2,
        limit: 0,
        direction: Direction::Forward,
        step_ms: None,
        instant: false,
    };
    let (out, _) = src.query(&req, &|_| {}).unwrap();
    let QueryOutput::Streams(streams) = out else {
        panic!("expected streams for {query}");
    };
    let mut lines: Vec<String> = streams.into_iter().map(|e| e.line).collect();
    lines.sort();
    lines
}

#[test]
fn include_filter_returns_exactly_the_counted_lines_on_the_embedded_engine() {
    let lines = lines();
    let text = lines.join("\n") + "\n";
    let src = LocalSource::from_bytes("dataset.jsonl", text.into_bytes(), "vulnsentinel");
    let selector = r#"{app="vulnsentinel"}"#;
    assert_eq!(engine_lines(&src, selector).len(), lines.len());
    let (set, ids) = mine_assigned(
        lines.iter().map(|l| (0, l.as_str())),
        0,
        1,
        &PatternsConfig::default(),
    );
    let exact: Vec<_> = set.patterns.iter().filter(|p| p.exact).collect();
    assert!(
        exact.len() * 10 >= set.patterns.len() * 7,
        "most patterns are exact"
    );
    let mut included = 0;
    for p in &set.patterns {
        let Some(include) = p.include_filter() else {
            assert!(!p.exact);
            continue;
        };
        let mut counted: Vec<String> = lines
            .iter()
            .zip(&ids)
            .filter(|(_, id)| **id == Some(p.id))
            .map(|(l, _)| l.clone())
            .collect();
        counted.sort();
        assert_eq!(counted.len() as u64, p.count);
        let got = engine_lines(&src, &format!("{selector} {include}"));
        assert_eq!(got, counted, "{include}");
        // Excluding it keeps every other line.
        let exclude = p.exclude_filter().unwrap();
        let rest = engine_lines(&src, &format!("{selector} {exclude}"));
        assert_eq!(rest.len(), lines.len() - counted.len(), "{exclude}");
        included += 1;
    }
    assert_eq!(included, exact.len());
}

#[test]
fn demo_data_has_few_patterns_and_no_mixed_events() {
    let lines = vs_logs::source::demo::demo_lines();
    let (set, ids) = mine_assigned(
        lines.iter().map(|l| (0, l.as_str())),
        0,
        1,
        &PatternsConfig::default(),
    );
    let events: BTreeSet<Option<String>> = lines.iter().map(|l| event_of(l)).collect();
    eprintln!(
        "demo: {} lines, {} events, {} patterns, {} exact",
        lines.len(),
        events.len(),
        set.patterns.len(),
        set.patterns.iter().filter(|p| p.exact).count()
    );
    assert_eq!(set.unmatched, 0);
    let mut by_pattern: BTreeMap<usize, BTreeSet<Option<String>>> = BTreeMap::new();
    for (line, id) in lines.iter().zip(&ids) {
        by_pattern
            .entry(id.unwrap())
            .or_default()
            .insert(event_of(line));
    }
    assert!(by_pattern.values().all(|ev| ev.len() == 1));
    assert!(
        set.patterns.len() <= 2 * events.len() + 20,
        "{} patterns",
        set.patterns.len()
    );
}
