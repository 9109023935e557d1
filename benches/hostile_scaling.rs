//! Does the engine's work grow linearly with the size of a hostile input (issue 12, "time
//! linear in input size")? Each case builds its input at n, 2n and 4n, times parse + compile +
//! run (the fastest of several rounds), and prints the exponent fitted to time ~ n^k by least
//! squares on the logarithms: ~1 is linear, 2 quadratic. Tests hold no timings, so this is a
//! bench: `cargo bench --bench hostile_scaling` (`-- --quick` for one round per size). A case
//! whose exponent is above 1.3 is marked `NOT LINEAR`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use vs_logs::logql::{LogQuery, MetricQuery};
use vs_logs::model::{Labels, LogEntry};

const APP: &str = r#"{app="vulnsentinel"}"#;
const S: i64 = 1_000_000_000;

fn labels(pairs: &[(&str, &str)]) -> Arc<Labels> {
    Arc::new(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// `count` JSON lines, `fields` keys each (nested one level so `a.bN` paths resolve).
fn json_lines(count: usize, fields: usize) -> Vec<LogEntry> {
    let l = labels(&[("app", "vulnsentinel")]);
    (0..count)
        .map(|i| {
            let body: Vec<String> = (0..fields)
                .map(|f| format!(r#""b{f}":"v{i}_{f}""#))
                .collect();
            let line = format!(r#"{{"level":"info","n":{i},"a":{{{}}}}}"#, body.join(","));
            LogEntry::new(3600 * S + i as i64 * S, l.clone(), line)
        })
        .collect()
}

/// One case: a name, what n counts, and the input at size n (query, lines).
struct Case {
    name: &'static str,
    unit: &'static str,
    n: usize,
    build: fn(usize) -> (String, Vec<LogEntry>),
}

fn run_log(q: &str, data: &[LogEntry]) -> usize {
    let Ok(lq) = LogQuery::compile(q) else {
        return 0;
    };
    data.iter()
        .filter(|e| lq.matches_stream(&e.labels) && lq.line_prefilter(&e.line))
        .filter_map(|e| lq.process(e))
        .map(|e| e.line.len())
        .sum()
}

fn run_metric(q: &str, data: &[LogEntry]) -> usize {
    let Ok(m) = MetricQuery::compile(q) else {
        return 0;
    };
    m.eval_instant(data, 7200 * S).map_or(0, |r| match r {
        vs_logs::model::MetricResult::Vector(v) => v.len(),
        _ => 1,
    })
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "| json with n extraction parameters",
            unit: "parameters",
            n: 500,
            build: |n| {
                let params: Vec<String> = (0..n).map(|i| format!("p{i}=\"a.b{i}\"")).collect();
                (
                    format!("{APP} | json {}", params.join(", ")),
                    json_lines(20, n),
                )
            },
        },
        Case {
            name: "n repeated | json stages",
            unit: "stages",
            n: 1000,
            build: |n| (format!("{APP}{}", " | json".repeat(n)), json_lines(20, 8)),
        },
        Case {
            name: "n repeated label filters",
            unit: "stages",
            n: 1000,
            build: |n| {
                (
                    format!("{APP} | json{}", " | level=\"info\"".repeat(n)),
                    json_lines(20, 8),
                )
            },
        },
        Case {
            name: "operator chain of n operands (bound 256)",
            unit: "operands",
            n: 64,
            build: |n| {
                let q = vec![format!("count_over_time({APP}[1h])"); n].join(" + ");
                (q, json_lines(200, 4))
            },
        },
        Case {
            name: "line filter on a line of n KiB",
            unit: "KiB",
            n: 32,
            build: |n| {
                let l = labels(&[("app", "vulnsentinel")]);
                let line = "x".repeat(n << 10) + " needle";
                (
                    format!("{APP} |= \"needle\" |~ \"ne+dle$\" != \"nope\""),
                    vec![LogEntry::new(S, l, line)],
                )
            },
        },
        Case {
            name: "| json on a line of n KiB",
            unit: "KiB",
            n: 32,
            build: |n| {
                let l = labels(&[("app", "vulnsentinel")]);
                let line = format!(r#"{{"msg":"{}","k":1}}"#, "y".repeat(n << 10));
                (
                    format!("{APP} | json | k=1"),
                    vec![LogEntry::new(S, l, line)],
                )
            },
        },
        Case {
            name: "| logfmt on a line of n KiB",
            unit: "KiB",
            n: 32,
            build: |n| {
                let l = labels(&[("app", "vulnsentinel")]);
                let pairs: Vec<String> = (0..(n << 10) / 16)
                    .map(|i| format!("k{i}=v{i:08}"))
                    .collect();
                (
                    format!("{APP} | logfmt"),
                    vec![LogEntry::new(S, l, pairs.join(" "))],
                )
            },
        },
        Case {
            name: "| json over lines of n keys (n labels)",
            unit: "labels",
            n: 250,
            build: |n| (format!("{APP} | json | level=\"info\""), json_lines(20, n)),
        },
        Case {
            name: "stream of n labels, selector of n matchers",
            unit: "labels",
            n: 250,
            build: |n| {
                let names: Vec<(String, String)> =
                    (0..n).map(|i| (format!("l{i}"), format!("v{i}"))).collect();
                let l: Labels = names.iter().cloned().collect();
                let l = Arc::new(l);
                let sel: Vec<String> = names.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
                let data = (0..20)
                    .map(|i| LogEntry::new(i * S, l.clone(), format!("line {i}")))
                    .collect();
                (
                    format!("{{{}}} | label_format x=\"{{{{.l0}}}}\"", sel.join(", ")),
                    data,
                )
            },
        },
        Case {
            name: "metric query over lines of n labels",
            unit: "labels",
            n: 250,
            build: |n| {
                (
                    format!("sum by (level) (count_over_time({APP} | json [2h]))"),
                    json_lines(20, n),
                )
            },
        },
    ]
}

/// Fastest time of one parse + compile + run at this size.
fn time(q: &str, data: &[LogEntry], metric: bool, rounds: usize) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..rounds {
        let t = Instant::now();
        let mut iters = 0u32;
        // at least 50 ms or 3 runs per round, whichever takes longer
        while iters < 3 || t.elapsed() < Duration::from_millis(50) {
            black_box(if metric {
                run_metric(q, data)
            } else {
                run_log(q, data)
            });
            iters += 1;
        }
        best = best.min(t.elapsed() / iters);
    }
    best
}

/// The least-squares slope of ln t against ln n.
fn exponent(points: &[(f64, f64)]) -> f64 {
    let k = points.len() as f64;
    let (xs, ys): (Vec<f64>, Vec<f64>) = points.iter().map(|(n, t)| (n.ln(), t.ln())).unzip();
    let mx = xs.iter().sum::<f64>() / k;
    let my = ys.iter().sum::<f64>() / k;
    let cov: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let var: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    cov / var
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let rounds = if quick { 1 } else { 5 };
    println!(
        "{:<46} {:>22} {:>22} {:>22}  exponent",
        "case", "n", "2n", "4n"
    );
    for c in cases() {
        if filter
            .as_ref()
            .is_some_and(|f| !c.name.contains(f.as_str()))
        {
            continue;
        }
        let mut points = Vec::new();
        let mut cells = Vec::new();
        for n in [c.n, 2 * c.n, 4 * c.n] {
            let (q, data) = (c.build)(n);
            let metric = matches!(
                vs_logs::logql::parse(&q),
                Ok(vs_logs::logql::ast::Expr::Metric(_))
            );
            let t = time(&q, &data, metric, rounds);
            points.push((n as f64, t.as_secs_f64()));
            cells.push(format!("{n} {}: {:.3} ms", c.unit, t.as_secs_f64() * 1e3));
        }
        let k = exponent(&points);
        let mark = if k > 1.3 { "  NOT LINEAR" } else { "" };
        println!(
            "{:<46} {:>22} {:>22} {:>22}  {k:.2}{mark}",
            c.name, cells[0], cells[1], cells[2]
        );
    }
}
