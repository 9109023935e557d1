//! The CLI's metric output end to end against Loki's own answers (issue 10): the binary runs a
//! conformance case's query over the conformance data set (`query --file dataset.jsonl` with the
//! case's start, end and step) and its table and CSV are checked cell by cell against the
//! case's `expected` series (`tests/fixtures/logql-conformance/cases/<id>.json`), which a real
//! Loki returned for the same data.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, SecondsFormat};
use serde_json::Value;

use crate::support::bin::{run, vs_logs};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/logql-conformance"
);

/// A case's query, and Loki's expected series: header text → (step seconds → value text).
struct Case {
    query: String,
    start_ns: i64,
    end_ns: i64,
    step_s: i64,
    series: BTreeMap<String, BTreeMap<i64, String>>,
}

fn case(id: &str) -> Case {
    let text = std::fs::read_to_string(format!("{DIR}/cases/{id}.json")).unwrap();
    let c: Value = serde_json::from_str(&text).unwrap();
    let ns = |v: &Value| v.as_str().unwrap().parse::<i64>().unwrap();
    let mut series = BTreeMap::new();
    for s in c["expected"]["series"].as_array().unwrap() {
        // a series' header as the table writes labels: {k="v", …} in label order
        let labels: Vec<String> = s["metric"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}=\"{}\"", v.as_str().unwrap()))
            .collect();
        let values = s["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_i64().unwrap(), p[1].as_str().unwrap().to_string()))
            .collect();
        series.insert(format!("{{{}}}", labels.join(", ")), values);
    }
    Case {
        query: c["query"].as_str().unwrap().to_string(),
        start_ns: ns(&c["request"]["start"]),
        end_ns: ns(&c["request"]["end"]),
        step_s: c["request"]["step"].as_i64().unwrap(),
        series,
    }
}

fn rfc3339(ns: i64) -> String {
    DateTime::from_timestamp_nanos(ns).to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Runs the case through the binary with `-o <output>`.
fn vs_logs_on(c: &Case, output: &str) -> String {
    let o = run(vs_logs().args([
        "query",
        "--file",
        &format!("{DIR}/dataset.jsonl"),
        "--utc",
        "--from",
        &rfc3339(c.start_ns),
        "--to",
        &rfc3339(c.end_ns),
        "--step",
        &format!("{}s", c.step_s),
        "-o",
        output,
        &c.query,
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    o.stdout
}

/// Every step time any series has, in order.
fn times(c: &Case) -> Vec<i64> {
    let t: BTreeSet<i64> = c.series.values().flat_map(|v| v.keys().copied()).collect();
    t.into_iter().collect()
}

/// The table's cells: the header's columns end where their (right-aligned) names end.
fn table_cells(out: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = out.lines();
    let head = lines.next().unwrap();
    let mut names = Vec::new();
    let mut ends = Vec::new();
    let mut at = 0;
    for name in head.split("  ").map(str::trim).filter(|s| !s.is_empty()) {
        let i = head[at..].find(name).unwrap() + at;
        at = i + name.len();
        names.push(name.to_string());
        ends.push(at);
    }
    assert_eq!(names[0], "time");
    let lines: Vec<&str> = lines.collect();
    // the time column is as wide as its longest time
    let time_width = lines
        .iter()
        .map(|l| l.find("  ").unwrap_or(l.len()))
        .max()
        .unwrap_or(4);
    ends[0] = time_width;
    let rows = lines
        .iter()
        .map(|l| {
            let mut row = vec![l[..time_width.min(l.len())].trim().to_string()];
            for w in ends.windows(2) {
                let cell = l.get(w[0] + 2..w[1].min(l.len())).unwrap_or("");
                row.push(cell.trim().to_string());
            }
            row
        })
        .collect();
    (names, rows)
}

/// Significant digits written (leading zeros and the point not counted).
fn significant(cell: &str) -> usize {
    cell.trim_start_matches('-')
        .replace('.', "")
        .trim_start_matches('0')
        .len()
}

fn check_table(id: &str) {
    let c = case(id);
    let out = vs_logs_on(&c, "text");
    let (names, rows) = table_cells(&out);
    let want: Vec<&String> = c.series.keys().collect();
    assert_eq!(
        names[1..].iter().collect::<Vec<_>>(),
        want,
        "{id}: one column per series"
    );
    let times = times(&c);
    assert_eq!(rows.len(), times.len(), "{id}: one row per step\n{out}");
    for (row, t) in rows.iter().zip(&times) {
        let when = DateTime::from_timestamp(*t, 0)
            .unwrap()
            .format("%Y-%m-%d %H:%M:%SZ")
            .to_string();
        assert_eq!(row[0], when, "{id}: the step time first");
        for (col, values) in c.series.values().enumerate() {
            let cell = &row[col + 1];
            let Some(v) = values.get(t) else {
                assert_eq!(cell, "", "{id} {when}: no point, a blank cell");
                continue;
            };
            let v: f64 = v.parse().unwrap();
            if v.fract() == 0.0 {
                assert_eq!(*cell, format!("{}", v as i64), "{id} {when}: a count");
                continue;
            }
            let got: f64 = cell
                .parse()
                .unwrap_or_else(|_| panic!("{id}: cell {cell:?}"));
            assert!(
                (got - v).abs() <= v.abs() * 1e-3,
                "{id} {when}: {cell} is not {v} rounded"
            );
            assert!(significant(cell) <= 5, "{id} {when}: {cell} is not rounded");
        }
    }
}

/// The fields of one RFC 4180 line.
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            ch => out.last_mut().unwrap().push(ch),
        }
    }
    out
}

fn check_csv(id: &str) {
    let c = case(id);
    let out = vs_logs_on(&c, "csv");
    let mut lines = out.lines();
    let head = csv_fields(lines.next().unwrap());
    let mut want = vec!["time".to_string()];
    want.extend(c.series.keys().cloned());
    assert_eq!(head, want, "{id}: a header per series");
    let rows: Vec<&str> = lines.collect();
    let times = times(&c);
    assert_eq!(rows.len(), times.len(), "{id}\n{out}");
    for (row, t) in rows.iter().zip(&times) {
        let cells = csv_fields(row);
        assert_eq!(cells.len(), c.series.len() + 1, "{id}: {row}");
        let when = DateTime::from_timestamp(*t, 0)
            .unwrap()
            .to_rfc3339_opts(SecondsFormat::Millis, true);
        assert_eq!(cells[0], when);
        for (col, values) in c.series.values().enumerate() {
            let got = &cells[col + 1];
            let Some(want) = values.get(t) else {
                assert_eq!(got, "", "{id} {when} column {col}: no point");
                continue;
            };
            let v: f64 = want.parse().unwrap();
            if v.fract() == 0.0 {
                assert_eq!(got, want, "{id} {when} column {col}: a count");
                continue;
            }
            // the full value, not rounded: as close as the conformance tests ask of the engine
            // (its float sums may differ from Loki's in the last bit)
            let g: f64 = got.parse().unwrap();
            assert!(
                (g - v).abs() <= 1e-9 * v.abs(),
                "{id} {when} column {col}: {got} vs Loki's {want}"
            );
            assert!(
                significant(got) >= significant(want).min(12) - 1,
                "{id} {when}: {got} is rounded"
            );
        }
    }
}

#[test]
fn counts_by_module_table_matches_loki() {
    // M02: counts (integers), five modules, steps where some have no point
    check_table("M02");
}

#[test]
fn rates_by_module_table_is_rounded_and_matches_loki() {
    // M18: per-second averages such as 0.0016666666666666668
    check_table("M18");
}

#[test]
fn csv_has_loki_values_unrounded() {
    check_csv("M02");
    check_csv("M18");
}
