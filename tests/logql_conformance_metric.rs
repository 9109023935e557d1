#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Runs every public metric case of `tests/fixtures/logql-conformance` (M*.json, recorded from a
//! real Loki 3.x) through the embedded engine: same series label sets, same timestamps, values
//! within a relative 1e-9; error cases must fail. topk/bottomk ties may pick any tied series.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;
use vs_logs::logql::MetricQuery;
use vs_logs::model::{Labels, LogEntry, MetricResult};

const DIR: &str = "tests/fixtures/logql-conformance";

/// The data set as Loki stored it: pushed labels plus `service_name`, and `detected_level`
/// structured metadata (`warning` normalised to `warn`).
fn dataset() -> Vec<LogEntry> {
    let lines = std::fs::read_to_string(Path::new(DIR).join("dataset.jsonl")).unwrap();
    let meta = std::fs::read_to_string(Path::new(DIR).join("dataset.meta.jsonl")).unwrap();
    let mut streams: HashMap<Labels, Arc<Labels>> = HashMap::new();
    let mut out = Vec::new();
    for (line, m) in lines.lines().zip(meta.lines()) {
        let m: Value = serde_json::from_str(m).unwrap();
        let mut labels: Labels = m["labels"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        let app = labels["app"].clone();
        labels.insert("service_name".into(), app);
        let level = match labels["level"].as_str() {
            "warning" => "warn".to_string(),
            other => other.to_string(),
        };
        let arc = streams
            .entry(labels.clone())
            .or_insert_with(|| Arc::new(labels))
            .clone();
        let mut e = LogEntry::new(m["ts_ns"].as_str().unwrap().parse().unwrap(), arc, line);
        e.metadata.insert("detected_level".into(), level);
        out.push(e);
    }
    out.sort_by_key(|e| e.ts);
    out
}

fn labels_of(v: &Value) -> Labels {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect()
}

fn value_of(v: &Value) -> f64 {
    match v.as_str().unwrap() {
        "NaN" => f64::NAN,
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        s => s.parse().unwrap(),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// (labels → (t_ms → value)) of a result.
type Points = BTreeMap<Labels, BTreeMap<i64, f64>>;

fn expected_points(expected: &Value) -> Points {
    let mut out = Points::new();
    for s in expected["series"].as_array().unwrap() {
        let pts = out.entry(labels_of(&s["metric"])).or_default();
        let values: Vec<&Value> = match s.get("values") {
            Some(v) => v.as_array().unwrap().iter().collect(),
            None => vec![&s["value"]],
        };
        for p in values {
            let t_ms = (p[0].as_f64().unwrap() * 1000.0).round() as i64;
            pts.insert(t_ms, value_of(&p[1]));
        }
    }
    out
}

fn actual_points(r: &MetricResult) -> Points {
    let mut out = Points::new();
    match r {
        MetricResult::Matrix(series) => {
            for s in series {
                out.insert(
                    s.metric.clone(),
                    s.points.iter().map(|p| (p.t_ms, p.v)).collect(),
                );
            }
        }
        MetricResult::Vector(samples) => {
            for s in samples {
                out.entry(s.metric.clone())
                    .or_default()
                    .insert(s.point.t_ms, s.point.v);
            }
        }
        MetricResult::Scalar(p) => {
            out.insert(Labels::new(), [(p.t_ms, p.v)].into_iter().collect());
        }
    }
    out
}

/// Compares step by step, accepting any tied series at the cut-off of topk/bottomk.
fn compare_ranked(id: &str, want: &Points, got: &Points) -> Vec<String> {
    let by_step = |p: &Points| {
        let mut m: BTreeMap<i64, Vec<(Labels, f64)>> = BTreeMap::new();
        for (l, pts) in p {
            for (t, v) in pts {
                m.entry(*t).or_default().push((l.clone(), *v));
            }
        }
        m
    };
    let (w, g) = (by_step(want), by_step(got));
    let mut errs = Vec::new();
    if w.keys().ne(g.keys()) {
        errs.push(format!("{id}: steps differ"));
        return errs;
    }
    for (t, wv) in &w {
        let gv = &g[t];
        let mut a: Vec<f64> = wv.iter().map(|x| x.1).collect();
        let mut b: Vec<f64> = gv.iter().map(|x| x.1).collect();
        a.sort_by(f64::total_cmp);
        b.sort_by(f64::total_cmp);
        if a.len() != b.len() || a.iter().zip(&b).any(|(x, y)| !close(*x, *y)) {
            errs.push(format!("{id}: at {t} values {a:?} != {b:?}"));
        }
        for (l, v) in gv {
            if let Some((_, x)) = wv.iter().find(|(wl, _)| wl == l)
                && !close(*x, *v)
            {
                errs.push(format!("{id}: at {t} {l:?}: want {x} got {v}"));
            }
        }
    }
    errs
}

fn compare(id: &str, want: &Points, got: &Points) -> Vec<String> {
    let mut errs = Vec::new();
    let wk: Vec<&Labels> = want.keys().collect();
    let gk: Vec<&Labels> = got.keys().collect();
    if wk != gk {
        errs.push(format!("{id}: series differ\n  want {wk:?}\n  got  {gk:?}"));
        return errs;
    }
    for (l, wp) in want {
        let gp = &got[l];
        if wp.keys().ne(gp.keys()) {
            let missing: Vec<_> = wp.keys().filter(|t| !gp.contains_key(t)).take(5).collect();
            let extra: Vec<_> = gp.keys().filter(|t| !wp.contains_key(t)).take(5).collect();
            errs.push(format!(
                "{id}: {l:?} timestamps differ: missing {missing:?}, extra {extra:?}"
            ));
            continue;
        }
        for (t, v) in wp {
            if !close(*v, gp[t]) {
                errs.push(format!("{id}: {l:?} at {t}: want {v} got {}", gp[t]));
                break;
            }
        }
    }
    errs
}

fn run_case(path: &Path, data: &[LogEntry]) -> Vec<String> {
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let id = case["id"].as_str().unwrap();
    let query = case["query"].as_str().unwrap();
    let req = &case["request"];
    let expected = &case["expected"];
    let result = MetricQuery::compile(query).and_then(|q| {
        if req["time"].is_string() {
            q.eval_instant(data, req["time"].as_str().unwrap().parse().unwrap())
        } else {
            let start: i64 = req["start"].as_str().unwrap().parse().unwrap();
            let end: i64 = req["end"].as_str().unwrap().parse().unwrap();
            q.eval_range(data, start, end, req["step"].as_i64().unwrap() * 1000)
        }
    });
    if expected.get("body").is_some() {
        return match result {
            Err(_) => Vec::new(),
            Ok(_) => vec![format!("{id}: expected an error, got a result")],
        };
    }
    let got = match result {
        Ok(r) => r,
        Err(e) => return vec![format!("{id}: {query}: {e}")],
    };
    let want_type = expected["resultType"].as_str().unwrap();
    let got_type = match got {
        MetricResult::Matrix(_) => "matrix",
        MetricResult::Vector(_) => "vector",
        MetricResult::Scalar(_) => "scalar",
    };
    if want_type != got_type {
        return vec![format!("{id}: result type {got_type}, want {want_type}")];
    }
    let (want, got) = (expected_points(expected), actual_points(&got));
    if query.starts_with("topk") || query.starts_with("bottomk") {
        compare_ranked(id, &want, &got)
    } else {
        compare(id, &want, &got)
    }
}

#[test]
fn every_public_metric_case_matches_loki() {
    let data = dataset();
    assert_eq!(data.len(), 4031);
    let mut paths: Vec<_> = std::fs::read_dir(Path::new(DIR).join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.starts_with('M') && name.ends_with(".json") && !name.contains(".raw")
        })
        .collect();
    paths.sort();
    assert!(paths.len() >= 19, "metric cases missing");
    let errs: Vec<String> = paths.iter().flat_map(|p| run_case(p, &data)).collect();
    assert!(
        errs.is_empty(),
        "{} problems:\n{}",
        errs.len(),
        errs.join("\n")
    );
}

#[test]
fn the_checker_can_fail() {
    let mut want = Points::new();
    want.insert(Labels::new(), [(1, 1.0)].into_iter().collect());
    let mut got = want.clone();
    assert!(compare("x", &want, &got).is_empty());
    got.get_mut(&Labels::new()).unwrap().insert(1, 1.000001);
    assert!(!compare("x", &want, &got).is_empty());
    got.get_mut(&Labels::new()).unwrap().insert(2, 1.0);
    assert!(!compare("x", &want, &got).is_empty());
}
