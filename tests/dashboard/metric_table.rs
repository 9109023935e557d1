//! The CLI metric table and CSV, fed with real Loki answers from the conformance data
//! (`tests/fixtures/logql-conformance/cases/*.raw.json`); expected cells come from the case's
//! `expected` values, rounded by hand.

use vs_logs::loki::wire::{Decoded, decode_query};
use vs_logs::model::MetricResult;
use vs_logs::output::metric_table::{MetricTableOptions, write_metric_csv, write_metric_table};

fn case(id: &str) -> MetricResult {
    let path = format!(
        "{}/tests/fixtures/logql-conformance/cases/{id}.raw.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let body = std::fs::read(path).unwrap();
    match decode_query(&body).unwrap().0 {
        Decoded::Metric(m) => m,
        Decoded::Streams(_) => panic!("{id} is not a metric case"),
    }
}

fn table(r: &MetricResult, pivot: bool) -> Vec<String> {
    let mut out = Vec::new();
    write_metric_table(&mut out, r, MetricTableOptions { pivot, utc: true }).unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn cells(line: &str) -> Vec<&str> {
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

#[test]
fn pivot_has_one_column_per_series_and_rounds() {
    // M05: p95 of API durations; Loki's first point is 77.86999999999999 at 1795565100.
    let r = case("M05");
    let lines = table(&r, true);
    assert_eq!(cells(&lines[0]), ["time", r#"{module="api"}"#]);
    // 1795565100 = 2026-11-25T00:05:00Z.
    assert_eq!(cells(&lines[1]), ["2026-11-25 00:05:00Z", "77.87"]);
    assert_eq!(cells(&lines[2]), ["2026-11-25 00:10:00Z", "58.95"]);
    assert!(
        !lines.iter().any(|l| l.contains("99999")),
        "unrounded value"
    );
}

#[test]
fn counts_are_integers_and_missing_steps_stay_blank() {
    // M02: five modules; `app` starts at 10:00Z the day before, the others much later.
    let r = case("M02");
    let lines = table(&r, true);
    let head = cells(&lines[0]);
    assert_eq!(head.len(), 6);
    assert_eq!(head[1], r#"{module="agent"}"#);
    assert_eq!(head[3], r#"{module="app"}"#);
    // First row: 1795514400 (2026-11-24 10:00Z): only `app` has a point (1).
    let first = &lines[1];
    assert!(first.starts_with("2026-11-24 10:00:00Z"), "{first}");
    assert_eq!(cells(first), ["2026-11-24 10:00:00Z", "1"]);
    // The `1` sits in the `app` column: right-aligned under its header.
    let col_end = lines[0].find(r#"{module="app"}"#).unwrap() + r#"{module="app"}"#.len();
    assert_eq!(&first[col_end - 1..col_end], "1");
    // Row for 1795565400 (00:10Z): agent 5, api 28, app 6, db 3, engine 6.
    let row = lines
        .iter()
        .find(|l| l.starts_with("2026-11-25 00:10:00Z"))
        .unwrap();
    assert_eq!(
        cells(row),
        ["2026-11-25 00:10:00Z", "5", "28", "6", "3", "6"]
    );
    assert!(!row.contains('.'), "counts must be integers: {row}");
}

#[test]
fn long_form_and_vectors() {
    let r = case("M12");
    let lines = table(&r, false);
    assert_eq!(cells(&lines[0]), ["time", "series", "value"]);
    assert_eq!(
        cells(&lines[1]),
        [
            "2026-11-25 00:10:00Z",
            r#"{agent_type="event_classifier"}"#,
            "0.0039"
        ]
    );
    // M29 is an instant vector at 1795585848.695: one row, milliseconds shown.
    let v = case("M29");
    let lines = table(&v, true);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        cells(&lines[1]),
        ["2026-11-25 05:50:48.695Z", "736", "38", "3054", "177"]
    );
}

#[test]
fn csv_keeps_loki_values_and_quotes_headers() {
    let r = case("M05");
    let mut out = Vec::new();
    write_metric_csv(
        &mut out,
        &r,
        MetricTableOptions {
            pivot: true,
            utc: true,
        },
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(r#"time,"{module=""api""}""#));
    assert_eq!(
        lines.next(),
        Some("2026-11-25T00:05:00.000Z,77.86999999999999")
    );
    let mut out = Vec::new();
    write_metric_csv(
        &mut out,
        &case("M02"),
        MetricTableOptions {
            pivot: true,
            utc: true,
        },
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().nth(1), Some("2026-11-24T10:00:00.000Z,,,1,,"));
}

#[test]
fn empty_result_writes_nothing() {
    let mut out = Vec::new();
    write_metric_table(
        &mut out,
        &MetricResult::Matrix(Vec::new()),
        MetricTableOptions::default(),
    )
    .unwrap();
    assert!(out.is_empty());
}
