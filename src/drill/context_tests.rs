#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use super::*;

fn stream() -> Arc<Labels> {
    let mut l = Labels::new();
    l.insert("app".into(), "vulnsentinel".into());
    l.insert("module".into(), "agent".into());
    l.insert("level".into(), "info".into());
    Arc::new(l)
}

fn entries(spec: &[(i64, &str)]) -> Vec<LogEntry> {
    let s = stream();
    spec.iter()
        .map(|(ts, line)| LogEntry::new(*ts, s.clone(), *line))
        .collect()
}

fn lines<'a>(es: &[&'a LogEntry]) -> Vec<&'a str> {
    es.iter().map(|e| e.line.as_str()).collect()
}

#[test]
fn n_before_and_after_in_timestamp_order() {
    // Given out of order: selection sorts by timestamp.
    let es = entries(&[
        (5, "e"),
        (1, "a"),
        (2, "b"),
        (3, "c"),
        (4, "d"),
        (6, "f"),
        (7, "g"),
    ]);
    let w = select_context(&es, 4, "d", 0, 2);
    assert_eq!(lines(&w.before), vec!["b", "c"]);
    assert_eq!(w.anchor.map(|e| e.line.as_str()), Some("d"));
    assert_eq!(lines(&w.after), vec!["e", "f"]);
    // Near the edges the window is shorter.
    let w = select_context(&es, 1, "a", 0, 3);
    assert!(w.before.is_empty());
    assert_eq!(lines(&w.after), vec!["b", "c", "d"]);
}

#[test]
fn identical_timestamps_keep_their_order_around_the_anchor() {
    let es = entries(&[
        (1, "a"),
        (5, "x1"),
        (5, "anchor"),
        (5, "x2"),
        (5, "anchor"),
        (9, "z"),
    ]);
    let w = select_context(&es, 5, "anchor", 0, 2);
    assert_eq!(lines(&w.before), vec!["a", "x1"]);
    assert_eq!(lines(&w.after), vec!["x2", "anchor"]);
    // The second identical line is its own anchor.
    let w = select_context(&es, 5, "anchor", 1, 2);
    assert_eq!(lines(&w.before), vec!["anchor", "x2"]);
    assert_eq!(lines(&w.after), vec!["z"]);
}

#[test]
fn a_missing_anchor_splits_at_its_timestamp() {
    let es = entries(&[(1, "a"), (3, "c"), (4, "d")]);
    let w = select_context(&es, 3, "gone", 0, 5);
    assert_eq!(w.anchor, None);
    assert_eq!(lines(&w.before), vec!["a"]);
    assert_eq!(lines(&w.after), vec!["c", "d"]);
}

#[test]
fn queries_are_bounded_on_each_side_of_the_anchor() {
    let sel = Selector::of_stream(&stream());
    let q = ContextQueries::new(&sel, "", 1_000, 10, 500, 10);
    let want = r#"{app="vulnsentinel", level="info", module="agent"}"#;
    assert_eq!(q.before.query, want);
    assert_eq!((q.before.start_ns, q.before.end_ns), (500, 1_000));
    assert_eq!(q.before.limit, 10);
    assert_eq!(q.before.direction, Direction::Backward);
    assert_eq!((q.after.start_ns, q.after.end_ns), (1_000, 1_500));
    assert_eq!(q.after.limit, 21);
    assert_eq!(q.after.direction, Direction::Forward);
    // Both parse as LogQL.
    crate::logql::parse(&q.before.query).unwrap();
    let kept = ContextQueries::new(&sel, r#" | json | status="500" "#, 1_000, 10, 500, 0);
    assert_eq!(kept.after.query, format!(r#"{want} | json | status="500""#));
    crate::logql::parse(&kept.after.query).unwrap();
}

#[test]
fn the_selector_widens_by_dropping_labels_but_never_to_nothing() {
    let mut sel = Selector::of_stream(&stream());
    assert!(sel.drop_label("level"));
    assert!(!sel.drop_label("level"), "already dropped");
    assert!(!sel.drop_label("nope"));
    assert_eq!(sel.logql(), r#"{app="vulnsentinel", module="agent"}"#);
    assert!(sel.drop_label("module"));
    assert!(!sel.drop_label("app"), "the last matcher stays");
    assert_eq!(sel.logql(), r#"{app="vulnsentinel"}"#);
    assert!(sel.restore_label("level"));
    assert_eq!(sel.logql(), r#"{app="vulnsentinel", level="info"}"#);
}

#[test]
fn label_values_are_quoted() {
    let mut l = Labels::new();
    l.insert("app".into(), r#"a"} |= "x"#.into());
    let sel = Selector::of_stream(&l);
    assert_eq!(sel.logql(), r#"{app="a\"} |= \"x"}"#);
    crate::logql::parse(&sel.logql()).unwrap();
}
