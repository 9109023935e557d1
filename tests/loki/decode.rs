//! Decoding every real wire capture (`tests/fixtures/loki-wire`): streams, categorize-labels,
//! gzip, matrix/vector/scalar time units, labels, series and index stats.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::support::fixture;
use vs_logs::loki::wire::{self, Decoded};
use vs_logs::model::{LogEntry, MetricResult};

fn streams(name: &str) -> Vec<LogEntry> {
    match wire::decode_query(&fixture(name)).unwrap().0 {
        Decoded::Streams(es) => es,
        other => panic!("{name}: expected streams, got {other:?}"),
    }
}

fn metric(name: &str) -> MetricResult {
    match wire::decode_query(&fixture(name)).unwrap().0 {
        Decoded::Metric(m) => m,
        other => panic!("{name}: expected a metric, got {other:?}"),
    }
}

fn gunzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(b), &mut out).unwrap();
    out
}

#[test]
fn decodes_5000_entry_page_with_stats() {
    let (d, stats) = wire::decode_query(&fixture("09-qr-all-limit-5000.json")).unwrap();
    let Decoded::Streams(es) = d else { panic!() };
    assert_eq!(es.len(), 5000);
    let label_sets: BTreeSet<_> = es.iter().map(|e| (*e.labels).clone()).collect();
    assert_eq!(label_sets.len(), 28);
    assert_eq!(
        es.iter().map(|e| e.ts).max(),
        Some(1_795_593_135_254_712_537)
    );
    assert_eq!(
        es.iter().map(|e| e.ts).min(),
        Some(1_795_584_606_687_788_622)
    );
    assert_eq!(stats.bytes_processed, 7_071_592);
    assert_eq!(stats.lines_processed, 24_664);
    // Entries of one stream share their labels.
    let shared = es
        .windows(2)
        .filter(|w| Arc::ptr_eq(&w[0].labels, &w[1].labels))
        .count();
    assert!(shared >= 5000 - 28, "{shared}");
}

#[test]
fn decodes_categorize_labels_three_element_values() {
    let es = streams("02b-qr-ag456-forward-categorize-labels.json");
    assert_eq!(es.len(), 14);
    let real: BTreeSet<_> = es.iter().map(|e| (*e.labels).clone()).collect();
    assert_eq!(real.len(), 2);
    let e = es
        .iter()
        .find(|e| e.ts == 1_795_583_881_977_893_740)
        .unwrap();
    assert_eq!(e.metadata["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(e.metadata["detected_level"], "debug");
    assert_eq!(e.parsed["agent_id"], "ag-456");
    assert_eq!(e.parsed["level_extracted"], "debug");
    assert_eq!(e.labels["level"], "debug");
    assert!(!e.labels.contains_key("trace_id"));
    // No parser: only structured metadata in the third element.
    let c = streams("02c-qr-ag456-linefilter-categorize-labels.json");
    assert_eq!(c.len(), 14);
    assert!(
        c.iter()
            .all(|e| e.parsed.is_empty() && e.metadata.contains_key("trace_id"))
    );
    let sm = streams("13-qr-api-last-hour-sm.json");
    assert_eq!(sm.len(), 40);
    assert_eq!(
        sm.iter()
            .filter(|e| e.metadata.contains_key("trace_id"))
            .count(),
        1
    );
}

#[test]
fn decodes_plain_streams() {
    let plain = streams("02-qr-ag456-forward.json");
    assert_eq!(plain.len(), 14);
    let sets: BTreeSet<_> = plain.iter().map(|e| (*e.labels).clone()).collect();
    assert_eq!(
        sets.len(),
        14,
        "one label set per line with | json and no flag"
    );
    let merged = streams("02d-qr-ag456-linefilter-plain.json");
    assert!(
        merged
            .iter()
            .all(|e| e.labels["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736")
    );
    assert_eq!(streams("11-qr-all-errors-json.json").len(), 344);
    let special = streams("12-qr-special-lines.json");
    let esc = special
        .iter()
        .find(|e| e.ts == 1_795_554_063_000_000_000)
        .unwrap();
    assert!(
        esc.line
            .starts_with("\u{1b}[33mWARNING\u{1b}[0m poc-runner")
    );
    let zh = streams("12c-qr-chinese.json");
    assert!(
        zh.iter()
            .any(|e| e.line.contains("漏洞扫描完成：curl 发现 3 个高危漏洞"))
    );
    let long = streams("12d-qr-long-line.json");
    assert_eq!(long[0].line.len(), 20_069);
}

#[test]
fn decodes_gzip_capture() {
    let es = match wire::decode_query(&gunzip(&fixture("17-qr-all-gzip.json.gz")))
        .unwrap()
        .0
    {
        Decoded::Streams(es) => es,
        _ => panic!(),
    };
    assert_eq!(es.len(), 200);
    assert_eq!(
        es.iter().map(|e| e.ts).max(),
        Some(1_795_593_135_254_712_537)
    );
    assert_eq!(
        es.iter().map(|e| e.ts).min(),
        Some(1_795_592_821_964_594_648)
    );
}

#[test]
fn decodes_matrix_seconds_to_ms() {
    let MetricResult::Matrix(m) = metric("07-qr-agent-starts-by-type-1h.json") else {
        panic!()
    };
    assert_eq!(m.len(), 3);
    assert_eq!(m[0].metric["agent_type"], "event_classifier");
    assert_eq!(m[0].points.len(), 24);
    assert_eq!(
        (m[0].points[0].t_ms, m[0].points[0].v),
        (1_795_510_800_000, 11.0)
    );
    let MetricResult::Matrix(p95) = metric("08-qr-api-p95-by-module.json") else {
        panic!()
    };
    assert_eq!(p95[0].points[0].v, 162.46999999999957);
    let MetricResult::Matrix(r) = metric("03e-qr-api-rate-drop-json-labels.json") else {
        panic!()
    };
    assert_eq!(r.len(), 11);
    assert_eq!(r[0].points.len(), 248);
    assert_eq!(r[0].points[0].t_ms, 1_795_507_431_000);
    assert_eq!(r[0].points[0].v, 0.056666666666666664);
    let MetricResult::Matrix(vr) = metric("33c-index-volume-range.json") else {
        panic!()
    };
    assert_eq!(vr[0].points[0].t_ms, 1_795_510_799_999);
    assert_eq!(vr[0].points[0].v, 203_810.0);
}

#[test]
fn decodes_vector_and_scalar_ms() {
    let MetricResult::Vector(v) = metric("20-q-instant-metric.json") else {
        panic!()
    };
    assert_eq!(v.len(), 4);
    assert_eq!(v[0].metric["level"], "debug");
    assert_eq!((v[0].point.t_ms, v[0].point.v), (1_795_594_043_000, 9558.0));
    let MetricResult::Vector(one) = metric("20b-q-instant-metric-scalar.json") else {
        panic!()
    };
    assert_eq!(one[0].point.v, 973.0);
    // Scalar timestamps are integer milliseconds on the wire.
    let MetricResult::Scalar(p) = metric("20c-q-instant-scalar-literal.json") else {
        panic!()
    };
    assert_eq!((p.t_ms, p.v), (1_795_594_058_017, 2.0));
    let MetricResult::Vector(vol) = metric("33b-index-volume-by-module.json") else {
        panic!()
    };
    assert_eq!(vol.len(), 5);
    assert_eq!(vol[0].metric["module"], "api");
    assert_eq!(vol[0].point.v, 4_895_744.0);
}

#[test]
fn decodes_labels_series_and_index_stats() {
    assert_eq!(
        wire::decode_string_list(&fixture("30-labels.json")).unwrap(),
        ["app", "container", "level", "module", "service_name"]
    );
    assert_eq!(
        wire::decode_string_list(&fixture("31-label-module-values.json")).unwrap(),
        ["agent", "api", "app", "db", "engine"]
    );
    assert!(
        wire::decode_string_list(&fixture("31c-label-unknown-values.json"))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        wire::decode_series(&fixture("32-series.json"))
            .unwrap()
            .len(),
        19
    );
    assert_eq!(
        wire::decode_series(&fixture("32b-series-two-matchers.json"))
            .unwrap()
            .len(),
        8
    );
    let all = wire::decode_series(&fixture("32c-series-without-match.json")).unwrap();
    assert_eq!(all.len(), 20);
    assert!(all.iter().any(|l| l["app"] == "vs-tailtest"));
    let s = wire::decode_index_stats(&fixture("34-index-stats.json")).unwrap();
    assert_eq!(
        (s.streams, s.chunks, s.bytes, s.entries),
        (37, 90, 11_643_186, 48_123)
    );
}
