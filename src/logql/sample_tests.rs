use super::*;
use crate::logql::ast::{Expr, MetricExpr};
use crate::logql::parse;
use std::sync::Arc;

fn sampler(q: &str) -> RangeSampler {
    let Expr::Metric(MetricExpr::Range(r)) = parse(q).unwrap() else {
        panic!("{q}")
    };
    RangeSampler::compile(&r.range).unwrap()
}

fn entry(line: &str) -> LogEntry {
    let mut l = Labels::new();
    l.insert("app".into(), "a".into());
    l.insert("level".into(), "error".into());
    LogEntry::new(5, Arc::new(l), line)
}

#[test]
fn unwrap_value_and_labels() {
    let s = sampler(r#"sum_over_time({app="a"} | json | unwrap duration_ms [1m])"#);
    let out = s
        .sample(&entry(r#"{"duration_ms":20.5,"tool":"x","level":"info"}"#))
        .unwrap()
        .unwrap();
    assert_eq!(out.value, 20.5);
    assert_eq!(out.labels.get("duration_ms"), None);
    assert_eq!(out.labels.get("tool").map(String::as_str), Some("x"));
    assert_eq!(
        out.labels.get("level_extracted").map(String::as_str),
        Some("info")
    );
    let s = sampler(r#"avg_over_time({app="a"} | logfmt | unwrap duration(d) [1m])"#);
    assert_eq!(s.sample(&entry("d=1m30s")).unwrap().unwrap().value, 90.0);
    let s = sampler(r#"avg_over_time({app="a"} | logfmt | unwrap bytes(b) [1m])"#);
    assert_eq!(s.sample(&entry("b=2KiB")).unwrap().unwrap().value, 2048.0);
}

/// `sample_by` reads single labels; it must give what the full set narrowed by
/// `Grouping::apply` gives (unwrapped label, parsed/stream/metadata precedence, `drop`,
/// `_extracted` renames, empty values, errors with their full labels).
#[test]
fn sample_by_is_the_full_sample_narrowed() {
    use crate::logql::metric::labels::Grouping;
    let queries = [
        r#"count_over_time({app="a"} | json [1m])"#,
        r#"count_over_time({app="a"} | json | __error__="" [1m])"#,
        r#"sum_over_time({app="a"} | json | unwrap duration_ms [1m])"#,
        r#"count_over_time({app="a"} | json | drop tool, app [1m])"#,
        r#"count_over_time({app="a"} | logfmt | label_format tool="{{.level}}" [1m])"#,
        r#"count_over_time({app="a"} | logfmt | level_extracted!="" [1m])"#,
        r#"sum_over_time({app="a"} | logfmt | unwrap duration_ms | __error__="" [1m])"#,
        r#"count_over_time({app="a"} | json | tool!="zz" | __error__!="" [1m])"#,
    ];
    let lines = [
        r#"{"duration_ms":20.5,"tool":"x","level":"info"}"#,
        r#"{"duration_ms":"7","tool":"","module":"api"}"#,
        "tool=y level=warn duration_ms=3",
        "not json",
    ];
    let bys: [&[&str]; 5] = [
        &["tool"],
        &["level", "level_extracted", "duration_ms"],
        &["app", "module", "missing"],
        &["__error__"],
        &[],
    ];
    let mut buf = vec![("zz".to_string(), "old".to_string()); 3];
    for (q, grouped) in queries.iter().flat_map(|q| [(q, false), (q, true)]) {
        let mut s = sampler(q);
        if grouped {
            s.group_filtered_errors();
        }
        for line in lines {
            for by in bys {
                let g = Grouping::by(by);
                let full = s.sample(&entry(line)).map(|r| {
                    r.map(|mut x| {
                        if let Some((k, v)) = x.unwrapped.take() {
                            x.labels.insert(k, v);
                        }
                        (g.apply(&x.labels), x.value, x.line_bytes)
                    })
                });
                let narrow = s
                    .sample_by(&entry(line), &g.labels)
                    .map(|r| r.map(|x| (x.labels, x.value, x.line_bytes)));
                assert_eq!(full, narrow, "{q} on {line} by {by:?}");
                // The pipeline narrowed to `by` (only what is read is materialised).
                let mut n = s.clone();
                n.narrow_to(&g.labels);
                let narrowed = n
                    .sample_by(&entry(line), &g.labels)
                    .map(|r| r.map(|x| (x.labels, x.value, x.line_bytes)));
                assert_eq!(full, narrowed, "narrowed: {q} on {line} by {by:?}");
                // Into a buffer that held another line's labels.
                let into = n
                    .sample_by_into(&entry(line), &g.labels, &mut buf)
                    .map(|r| r.map(|(v, b)| (buf.iter().cloned().collect::<Labels>(), v, b)));
                assert_eq!(full, into, "into: {q} on {line} by {by:?}");
            }
        }
    }
}

#[test]
fn errors_fail_unless_filtered() {
    let s = sampler(r#"count_over_time({app="a"} | json [1m])"#);
    let e = s.sample(&entry("not json")).unwrap().unwrap_err();
    assert_eq!(
        e.message,
        "pipeline error: 'JSONParserErr' for series: '{__error__=\"JSONParserErr\", __error_details__=\"Value looks like object, but can't find closing '}' symbol\", app=\"a\", level=\"error\"}'.\nUse a label filter to intentionally skip this error. (e.g | __error__!=\"JSONParserErr\").\nTo skip all potential errors you can match empty errors.(e.g __error__=\"\")\nThe label filter can also be specified after unwrap. (e.g | unwrap latency | __error__=\"\" )"
    );
    let s = sampler(r#"sum_over_time({app="a"} | logfmt | unwrap x | __error__="" [1m])"#);
    assert!(s.sample(&entry("x=abc")).is_none());
    let s = sampler(r#"sum_over_time({app="a"} | logfmt | unwrap x [1m])"#);
    let e = s.sample(&entry("x=abc")).unwrap().unwrap_err();
    assert!(e.message.contains("SampleExtractionErr"), "{e}");
    assert!(e.message.contains(r#"x="abc""#), "{e}");
    // Loki skips the sample of a line without the unwrapped label (or with it empty).
    let s = sampler(r#"sum_over_time({app="a"} | logfmt | unwrap x [1m])"#);
    assert!(s.sample(&entry("y=1")).is_none());
    assert!(s.sample(&entry("x= y=1")).is_none());
    let out = s.sample(&entry("x=2 y=1")).unwrap().unwrap();
    assert_eq!(out.unwrapped, Some(("x".to_string(), "2".to_string())));
    assert!(!out.labels.contains_key("x"));
    let s = sampler(r#"bytes_over_time({app="a"} |= "x" [1m])"#);
    assert_eq!(s.sample(&entry("xyz")).unwrap().unwrap().line_bytes, 3.0);
    assert!(s.sample(&entry("abc")).is_none());
}
