#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Runs every public metric case of `tests/fixtures/logql-conformance` (M*.json, recorded from a
//! real Loki 3.x) through the embedded engine: same series label sets, same timestamps, values
//! within a relative 1e-9; error cases must fail. topk/bottomk ties may pick any tied series.

use crate::support::conformance;

use std::collections::BTreeMap;

use serde_json::Value;
use vs_logs::logql::MetricQuery;
use vs_logs::model::{Labels, LogEntry, MetricResult};

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

fn run_case(case: &conformance::Case, data: &[LogEntry]) -> Vec<String> {
    let (id, query, req, expected) = (&case.id, &case.query, &case.request, &case.expected);
    let result = MetricQuery::compile(query).and_then(|q| match req.time {
        Some(t) => q.eval_instant(data, t),
        None => q.eval_range(
            data,
            req.start.unwrap(),
            req.end.unwrap(),
            (req.step_s.unwrap() * 1000.0) as i64,
        ),
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
    let data = conformance::dataset();
    let cases = conformance::cases("metric");
    assert!(cases.len() >= 19, "found {} metric cases", cases.len());
    let errs: Vec<String> = cases.iter().flat_map(|c| run_case(c, &data)).collect();
    assert!(
        errs.is_empty(),
        "{} problems:\n{}",
        errs.len(),
        errs.join("\n")
    );
}

/// Syntax Loki accepts (negative offsets, comments, keywords in any case, `label_replace` to
/// an empty name, range vectors up to the query-length limit): same answers as Loki 65e30f8.
#[test]
fn loki_syntax_metric_cases_match_loki() {
    let data = conformance::dataset();
    let cases = conformance::syntax_cases("metric");
    assert!(cases.len() >= 6, "found {} metric cases", cases.len());
    let errs: Vec<String> = cases.iter().flat_map(|c| run_case(c, &data)).collect();
    assert!(errs.is_empty(), "{}", errs.join("\n"));
}

/// Queries Loki refuses, refused here with Loki's exact text (parse errors, and the
/// query-length limit that counts a range vector's range).
#[test]
fn loki_syntax_error_cases_have_lokis_text() {
    let data = conformance::dataset();
    let cases = conformance::syntax_cases("error");
    assert!(cases.len() >= 12, "found {} error cases", cases.len());
    let mut errs = Vec::new();
    for case in &cases {
        let req = &case.request;
        let got = MetricQuery::compile(&case.query).and_then(|q| {
            q.eval_range(
                &data,
                req.start.unwrap(),
                req.end.unwrap(),
                (req.step_s.unwrap() * 1000.0) as i64,
            )
        });
        let got = match (got, vs_logs::logql::LogQuery::compile(&case.query)) {
            (Err(e), _) if !e.message.contains("log query") => e.message,
            (_, Err(e)) => e.message,
            _ => {
                errs.push(format!("{}: accepted {}", case.id, case.query));
                continue;
            }
        };
        let want = case.expected["body"].as_str().unwrap().trim_end();
        // Loki numbers the line of some syntax errors 0; the rest of the text must agree.
        if got != want && got != want.replace("at line 0,", "at line 1,") {
            errs.push(format!(
                "{}: {}\n  got  {got}\n  want {want}",
                case.id, case.query
            ));
        }
    }
    assert!(errs.is_empty(), "{}", errs.join("\n"));
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

/// Random compositions of metric syntax over the data set: whatever compiles must evaluate
/// (result or error) without panicking, for range and instant queries alike.
#[test]
fn random_metric_queries_never_panic() {
    let data = conformance::dataset();
    let ranges = [
        r#"count_over_time({app="vulnsentinel"}[5m])"#,
        r#"rate({app="vulnsentinel", module="api"} | json | event="request.end" [10m])"#,
        r#"bytes_over_time({app="vulnsentinel"} |= "error" [1h])"#,
        r#"sum_over_time({app="vulnsentinel", module="api"} | json | unwrap duration_ms | __error__="" [30m])"#,
        r#"quantile_over_time(0.5, {app="vulnsentinel", module="agent"} | json | unwrap duration_ms | __error__="" [1h]) by (tool)"#,
        r#"rate_counter({app="vulnsentinel", module="api"} | json | unwrap status | __error__="" [5m])"#,
        r#"absent_over_time({app="vulnsentinel", module="nope"}[5m] offset 1h)"#,
        r#"last_over_time({app="vulnsentinel", module="db"} | json | unwrap duration_ms | __error__="" [1h]) without (event)"#,
        "vector(2)",
        "3",
    ];
    let wrappers = [
        "sum by (module) ({})",
        "avg without (level) ({})",
        "topk(2, {})",
        "bottomk(1, {})",
        "count({})",
        "stddev({})",
        "sort_desc({})",
        "max({})",
        r#"label_replace({}, "x", "$1", "module", "(.*)")"#,
        "{}",
    ];
    let ops = [
        "+",
        "-",
        "*",
        "/",
        "%",
        "^",
        "==",
        ">",
        "< bool",
        "and",
        "or",
        "unless",
        "/ on (module)",
    ];
    let mut rng = fastrand::Rng::with_seed(11);
    let (start, end) = (1_795_514_400_000_000_000_i64, 1_795_585_848_695_220_000_i64);
    let pick = |rng: &mut fastrand::Rng| {
        let inner = ranges[rng.usize(..ranges.len())];
        wrappers[rng.usize(..wrappers.len())].replace("{}", inner)
    };
    for _ in 0..30 {
        let mut q = pick(&mut rng);
        if rng.bool() {
            q = format!("{q} {} {}", ops[rng.usize(..ops.len())], pick(&mut rng));
        }
        let Ok(m) = MetricQuery::compile(&q) else {
            continue;
        };
        let step = [300_000, 3_600_000][rng.usize(..2)];
        let _ = m.eval_range(&data, start, end, step);
        let _ = m.eval_instant(&data, end);
    }
}
