//! End to end through `LocalSource`: the LogQL conformance data set (recorded from a real Loki)
//! written to a file, queried locally, must give Loki's answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;
use vs_logs::model::{Direction, Labels, MetricResult, QueryOutput, QueryRange};
use vs_logs::source::line::classify_line;
use vs_logs::source::{LocalInput, LocalSource};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/logql-conformance"
);

fn dataset() -> String {
    std::fs::read_to_string(format!("{DIR}/dataset.jsonl")).unwrap()
}

fn case(id: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/cases/{id}.json")).unwrap())
        .unwrap()
}

fn ns(v: &Value) -> i64 {
    v.as_str().unwrap().parse().unwrap()
}

/// The data set as a file of the given compression.
fn write_dataset(dir: &Path, compression: &str) -> PathBuf {
    let data = dataset();
    let path = dir.join(format!("dataset.jsonl{compression}"));
    let bytes = match compression {
        ".gz" => {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(data.as_bytes()).unwrap();
            enc.finish().unwrap()
        }
        ".zst" => zstd::encode_all(data.as_bytes(), 3).unwrap(),
        _ => data.into_bytes(),
    };
    std::fs::write(&path, bytes).unwrap();
    path
}

fn request(c: &Value) -> QueryRange {
    let r = &c["request"];
    let instant = !r["time"].is_null();
    QueryRange {
        query: c["query"].as_str().unwrap().to_string(),
        start_ns: if instant {
            ns(&r["time"])
        } else {
            ns(&r["start"])
        },
        end_ns: if instant {
            ns(&r["time"])
        } else {
            ns(&r["end"])
        },
        limit: r["limit"].as_u64().map_or(5000, |l| l as usize),
        direction: if r["direction"].as_str() == Some("backward") {
            Direction::Backward
        } else {
            Direction::Forward
        },
        step_ms: r["step"].as_i64().map(|s| s * 1000),
        instant,
    }
}

fn check_log_case(src: &LocalSource, id: &str) {
    let c = case(id);
    let (out, _) = src.query(&request(&c), &|_| {}).unwrap();
    let QueryOutput::Streams(got) = out else {
        panic!("{id}: expected streams");
    };
    let want = c["expected"]["entries"].as_array().unwrap();
    assert_eq!(got.len(), want.len(), "{id}: entry count");
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g.line, w["line"].as_str().unwrap(), "{id}");
        // A line printing no time of its own gets its predecessor's (Loki got a push time).
        if classify_line(&g.line, "vulnsentinel").ts_ns.is_some() {
            assert_eq!(g.ts, ns(&w["ts"]), "{id}: {}", g.line);
        }
        let want_labels: Labels = serde_json::from_value(w["labels"].clone()).unwrap();
        assert_eq!(g.all_labels(), want_labels, "{id}: {}", g.line);
    }
}

fn check_metric_case(src: &LocalSource, id: &str) {
    let c = case(id);
    let (out, _) = src.query(&request(&c), &|_| {}).unwrap();
    let QueryOutput::Metric(result) = out else {
        panic!("{id}: expected a metric");
    };
    let want = c["expected"]["series"].as_array().unwrap();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300);
    match result {
        MetricResult::Matrix(series) => {
            assert_eq!(series.len(), want.len(), "{id}: series count");
            for w in want {
                let metric: Labels = serde_json::from_value(w["metric"].clone()).unwrap();
                let s = series.iter().find(|s| s.metric == metric).unwrap();
                let values = w["values"].as_array().unwrap();
                assert_eq!(s.points.len(), values.len(), "{id} {metric:?}");
                for (p, v) in s.points.iter().zip(values) {
                    assert_eq!(p.t_ms, (v[0].as_f64().unwrap() * 1000.0).round() as i64);
                    assert!(close(p.v, v[1].as_str().unwrap().parse().unwrap()), "{id}");
                }
            }
        }
        MetricResult::Vector(samples) => {
            assert_eq!(samples.len(), want.len(), "{id}: sample count");
            for w in want {
                let metric: Labels = serde_json::from_value(w["metric"].clone()).unwrap();
                let s = samples.iter().find(|s| s.metric == metric).unwrap();
                assert!(close(
                    s.point.v,
                    w["value"][1].as_str().unwrap().parse().unwrap()
                ));
            }
        }
        MetricResult::Scalar(_) => panic!("{id}: unexpected scalar"),
    }
}

#[test]
fn conformance_log_cases_on_a_plain_file() {
    let dir = tempfile::tempdir().unwrap();
    let src = LocalSource::open(vec![LocalInput::File(write_dataset(dir.path(), ""))]).unwrap();
    for id in [
        "L01", "L01b", "L02", "L03", "L05", "L07", "L08", "L12", "L15", "L17", "L25", "L39",
    ] {
        check_log_case(&src, id);
    }
}

#[test]
fn conformance_log_cases_on_gzip_and_zstd_files() {
    let dir = tempfile::tempdir().unwrap();
    for comp in [".gz", ".zst"] {
        let src =
            LocalSource::open(vec![LocalInput::File(write_dataset(dir.path(), comp))]).unwrap();
        for id in ["L01b", "L15", "L17"] {
            check_log_case(&src, id);
        }
    }
}

#[test]
fn conformance_metric_cases() {
    let dir = tempfile::tempdir().unwrap();
    let src = LocalSource::open(vec![LocalInput::File(write_dataset(dir.path(), ""))]).unwrap();
    for id in ["M01", "M02", "M04", "M18", "M29"] {
        check_metric_case(&src, id);
    }
}

/// Every public case, run through a file: same answers as Loki (errors included).
#[test]
fn every_public_conformance_case_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let src = LocalSource::open(vec![LocalInput::File(write_dataset(dir.path(), ""))]).unwrap();
    let mut ids: Vec<String> = std::fs::read_dir(format!("{DIR}/cases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && !n.contains(".raw."))
        .map(|n| n.trim_end_matches(".json").to_string())
        .collect();
    ids.sort();
    assert!(ids.len() >= 55);
    for id in &ids {
        // topk ties: Loki's pick among tied series is arbitrary (see the README).
        if id == "M09" {
            continue;
        }
        let c = case(id);
        match c["kind"].as_str().unwrap() {
            "log" => check_log_case(&src, id),
            "metric" if c["status"] == 200 => check_metric_case(&src, id),
            _ => assert!(src.query(&request(&c), &|_| {}).is_err(), "{id} must fail"),
        }
    }
}

#[test]
fn labels_and_series_match_the_pushed_streams() {
    let dir = tempfile::tempdir().unwrap();
    let src = LocalSource::open(vec![LocalInput::File(write_dataset(dir.path(), ""))]).unwrap();
    let meta = std::fs::read_to_string(format!("{DIR}/dataset.meta.jsonl")).unwrap();
    let mut streams = BTreeSet::new();
    for l in meta.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        let mut labels: Labels = serde_json::from_value(v["labels"].clone()).unwrap();
        labels.insert("service_name".into(), "vulnsentinel".into());
        streams.insert(labels);
    }
    let (start, end) = (1_795_514_400_000_000_000, 1_795_585_848_695_220_000);
    assert_eq!(
        src.labels(start, end).unwrap(),
        vec!["app", "container", "level", "module", "service_name"]
    );
    let modules: BTreeSet<String> = streams.iter().map(|l| l["module"].clone()).collect();
    assert_eq!(
        src.label_values("module", start, end, None).unwrap(),
        modules.into_iter().collect::<Vec<_>>()
    );
    let series: BTreeSet<Labels> = src.series(&[], start, end).unwrap().into_iter().collect();
    assert_eq!(series, streams);
}

#[test]
fn selector_filtered_label_values_and_series() {
    let dir = tempfile::tempdir().unwrap();
    let src = LocalSource::open(vec![LocalInput::File(write_dataset(dir.path(), ""))]).unwrap();
    let (start, end) = (1_795_514_400_000_000_000, 1_795_585_848_695_220_000);
    let levels = src
        .label_values("level", start, end, Some(r#"{module="agent"}"#))
        .unwrap();
    assert!(levels.contains(&"debug".to_string()));
    let db = src
        .series(&[r#"{module="db"}"#.to_string()], start, end)
        .unwrap();
    assert!(!db.is_empty());
    assert!(db.iter().all(|l| l["module"] == "db"));
}

#[test]
fn demo_answers_the_seed_questions() {
    let src = LocalSource::open(vec![LocalInput::Demo]).unwrap();
    let end = src.newest_ns().unwrap() + 1;
    let run = |q: &str, since_h: i64| {
        let req = QueryRange {
            query: q.to_string(),
            start_ns: end - since_h * 3_600_000_000_000,
            end_ns: end,
            limit: 0,
            direction: Direction::Forward,
            step_ms: None,
            instant: false,
        };
        match src.query(&req, &|_| {}).unwrap().0 {
            QueryOutput::Streams(e) => e,
            QueryOutput::Metric(_) => panic!("log query expected"),
        }
    };
    let ag = run(
        r#"{app="vulnsentinel", module="agent"} | json | agent_id="ag-456""#,
        24,
    );
    assert_eq!(ag.len(), 14);
    let errors = run(r#"{app="vulnsentinel"} | json | level="error""#, 12);
    assert!(!errors.is_empty());
    assert!(errors.iter().all(|e| e.labels["level"] == "error"));
    let rl = run(
        r#"{app="vulnsentinel", module="engine"} |= "rate limit""#,
        24,
    );
    assert!(rl.len() > 10);
}

#[test]
fn gzip_piped_to_stdin_through_the_binary() {
    let data = dataset();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data.as_bytes()).unwrap();
    let gz = enc.finish().unwrap();
    let expected: Vec<&str> = data
        .lines()
        .filter(|l| l.contains(r#""event":"db.slow_query""#))
        .collect();
    let out = assert_cmd::Command::cargo_bin("vs-logs")
        .unwrap()
        .args([
            "query",
            "--stdin",
            r#"{app="vulnsentinel", module="db"} | json | event="db.slow_query""#,
            "-o",
            "raw",
            "--limit",
            "0",
            "--forward",
        ])
        .write_stdin(gz)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = String::from_utf8(out.stdout).unwrap();
    assert_eq!(got.lines().collect::<Vec<_>>(), expected);
}

/// Loki rounds a range query's grid out to the step, so the last point can fall after `end`
/// and counts the lines up to it; an instant query's window includes `time` itself.
#[test]
fn metric_windows_reach_the_rounded_last_step_and_the_instant_itself() {
    let line = |ts: &str| {
        format!(r#"{{"event":"x","level":"info","logger":"vulnsentinel.api","timestamp":"{ts}"}}"#)
    };
    // 10:00:10 is inside the range; 10:04:00 is after `end` (10:02:00) but before the last
    // grid point (10:05:00) that the rounding creates.
    let text = [line("2026-11-25T10:00:10Z"), line("2026-11-25T10:04:00Z")].join("\n") + "\n";
    let src = LocalSource::from_bytes("t.jsonl", text.into_bytes(), "vulnsentinel");
    let t = |hms: &str| {
        chrono::DateTime::parse_from_rfc3339(&format!("2026-11-25T{hms}Z"))
            .unwrap()
            .timestamp_nanos_opt()
            .unwrap()
    };
    let mut req = QueryRange {
        query: r#"sum(count_over_time({app="vulnsentinel"}[5m]))"#.into(),
        start_ns: t("10:00:00"),
        end_ns: t("10:02:00"),
        limit: 0,
        direction: Direction::Forward,
        step_ms: Some(300_000),
        instant: false,
    };
    let QueryOutput::Metric(MetricResult::Matrix(series)) = src.query(&req, &|_| {}).unwrap().0
    else {
        panic!("matrix expected")
    };
    let last = series[0].points.last().copied().unwrap();
    assert_eq!(last.t_ms, t("10:05:00") / 1_000_000);
    assert_eq!(
        last.v, 2.0,
        "the line after `end` counts at the rounded-up last step"
    );

    req.instant = true;
    req.end_ns = t("10:04:00");
    let QueryOutput::Metric(MetricResult::Vector(v)) = src.query(&req, &|_| {}).unwrap().0 else {
        panic!("vector expected")
    };
    assert_eq!(
        v[0].point.v, 2.0,
        "a line stamped exactly at `time` is inside the window"
    );
}

/// Issue 12.3: a high-cardinality metric query on a local file (each line its own series under
/// `| json`, at a 1 s step) fails with Loki's series-limit error instead of evaluating every
/// step for every series first; an aggregation over the same lines still answers.
#[test]
fn high_cardinality_metric_queries_stop_at_the_series_limit() {
    let t0 = 1_795_600_000i64; // 2026-11-25T...Z, seconds
    let text: String = (0..1000)
        .map(|i| {
            let ts = chrono::DateTime::from_timestamp(t0 + i, 0)
                .unwrap()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            format!(
                r#"{{"event":"request","request_id":"r{i}","level":"info","logger":"vulnsentinel.api","timestamp":"{ts}"}}"#
            ) + "\n"
        })
        .collect();
    let src = LocalSource::from_bytes("t.jsonl", text.into_bytes(), "vulnsentinel");
    let s = 1_000_000_000;
    let mut req = QueryRange {
        query: r#"count_over_time({app="vulnsentinel"} | json | __error__="" [5m])"#.into(),
        start_ns: t0 * s,
        end_ns: (t0 + 1000) * s,
        limit: 0,
        direction: Direction::Forward,
        step_ms: Some(1000),
        instant: false,
    };
    let e = src.query(&req, &|_| {}).unwrap_err().to_string();
    assert!(e.contains("maximum number of series (500)"), "{e}");
    req.query =
        r#"sum by (level) (count_over_time({app="vulnsentinel"} | json | __error__="" [5m]))"#
            .into();
    let QueryOutput::Metric(MetricResult::Matrix(series)) = src.query(&req, &|_| {}).unwrap().0
    else {
        panic!("matrix expected")
    };
    assert_eq!(series.len(), 1);
    let max = series[0].points.iter().map(|p| p.v).fold(0.0, f64::max);
    assert_eq!(max, 300.0, "a full 5 minute window");
}
