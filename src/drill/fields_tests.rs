#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use super::*;
use crate::model::Labels;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn field<'a>(s: &'a FieldStats, kind: FieldKind, name: &str) -> &'a FieldStat {
    s.fields
        .iter()
        .find(|f| f.kind == kind && f.name == name)
        .unwrap()
}

fn top(f: &FieldStat) -> Vec<(&str, u64)> {
    f.top.iter().map(|(v, n, _)| (v.as_str(), *n)).collect()
}

fn sample() -> Vec<LogEntry> {
    let info = Arc::new(labels(&[("app", "a"), ("level", "info")]));
    let error = Arc::new(labels(&[("app", "a"), ("level", "error")]));
    let mut e1 = LogEntry::new(
        1,
        info.clone(),
        r#"{"event":"x","took_ms":10,"level":"info"}"#,
    );
    e1.metadata = labels(&[("trace_id", "t1")]);
    let e2 = LogEntry::new(2, error, r#"{"event":"x","took_ms":30,"level":"error"}"#);
    let mut e3 = LogEntry::new(
        3,
        info.clone(),
        r#"{"event":"y","took_ms":20,"status":"500"}"#,
    );
    e3.parsed = labels(&[("status", "200")]);
    let e4 = LogEntry::new(4, info, "plain text");
    vec![e1, e2, e3, e4]
}

#[test]
fn every_kind_of_field_with_exact_counts() {
    let s = field_stats(&sample());
    assert_eq!(s.entries, 4);
    let names: Vec<(FieldKind, &str)> =
        s.fields.iter().map(|f| (f.kind, f.name.as_str())).collect();
    assert_eq!(
        names,
        vec![
            (FieldKind::Label, "app"),
            (FieldKind::Label, "level"),
            (FieldKind::Metadata, "trace_id"),
            (FieldKind::Parsed, "event"),
            (FieldKind::Parsed, "level"),
            (FieldKind::Parsed, "status"),
            (FieldKind::Parsed, "took_ms"),
        ]
    );
    let level = field(&s, FieldKind::Label, "level");
    assert_eq!((level.present, level.cardinality), (4, 2));
    assert_eq!(top(level), vec![("info", 3), ("error", 1)]);
    assert!((level.top[0].2 - 0.75).abs() < 1e-9);
    assert_eq!(level.numeric, None);
    assert_eq!(
        top(field(&s, FieldKind::Metadata, "trace_id")),
        vec![("t1", 1)]
    );
    assert_eq!(
        top(field(&s, FieldKind::Parsed, "event")),
        vec![("x", 2), ("y", 1)]
    );
    assert_eq!(
        top(field(&s, FieldKind::Parsed, "level")),
        vec![("error", 1), ("info", 1)]
    );
    // The pipeline's parsed label wins over the line's key of the same name.
    assert_eq!(
        top(field(&s, FieldKind::Parsed, "status")),
        vec![("200", 1)]
    );
    let took = field(&s, FieldKind::Parsed, "took_ms");
    assert_eq!(took.present, 3);
    let n = took.numeric.as_ref().unwrap();
    assert_eq!((n.min, n.p50, n.p95, n.max), (10.0, 20.0, 30.0, 30.0));
    assert_eq!(n.histogram, vec![1, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    assert!(!n.sampled);
}

#[test]
fn distinct_values_are_capped_and_said_so() {
    let l = Arc::new(labels(&[("app", "a")]));
    let mut b = FieldStatsBuilder::new(2, 100, 10, 4);
    for v in ["a", "b", "c", "a", "d"] {
        let mut e = LogEntry::new(0, l.clone(), "x");
        e.parsed = labels(&[("k", v)]);
        b.add(&e);
    }
    let s = b.finish();
    let k = field(&s, FieldKind::Parsed, "k");
    assert!(k.capped);
    assert_eq!(k.cardinality, 2);
    assert_eq!(top(k), vec![("a", 2), ("b", 1)]);
    assert_eq!(k.other, 2);
    assert!(!field(&s, FieldKind::Label, "app").capped);
}

#[test]
fn numbers_past_the_sample_cap_keep_exact_min_and_max() {
    let l = Arc::new(labels(&[("app", "a")]));
    let mut b = FieldStatsBuilder::new(1000, 5, 3, 4);
    for i in 1..=100 {
        let mut e = LogEntry::new(0, l.clone(), "x");
        e.parsed = labels(&[("n", &i.to_string())]);
        b.add(&e);
    }
    let s = b.finish();
    let n = field(&s, FieldKind::Parsed, "n");
    assert_eq!(n.top.len(), 3);
    assert_eq!(n.other, 97);
    let num = n.numeric.as_ref().unwrap();
    assert_eq!((num.min, num.max), (1.0, 100.0));
    assert!(num.sampled);
    assert_eq!(num.histogram.iter().sum::<u64>(), 5);
    assert!((1.0..=100.0).contains(&num.p50));
}

#[test]
fn a_field_with_any_non_number_is_not_numeric() {
    let l = Arc::new(labels(&[("app", "a")]));
    let mut b = FieldStatsBuilder::default();
    for v in ["1", "2", "n/a"] {
        let mut e = LogEntry::new(0, l.clone(), "x");
        e.parsed = labels(&[("k", v)]);
        b.add(&e);
    }
    assert_eq!(field(&b.finish(), FieldKind::Parsed, "k").numeric, None);
}
