#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Property test: random and mutated queries never panic or hang in highlighting, parsing,
//! compiling or running the pipeline, pathological regexes and hostile lines included.
//! Deterministic (fixed seeds) and bounded. The hostile inputs of issue 12 (operator chains of
//! 2,000 operands, 3,000 json parameters, `line_format` doubling, deep nesting, a
//! high-cardinality metric query) also run in a child process under `ulimit -v`, so a stack
//! overflow or an unbounded allocation fails the test instead of the machine.

use std::sync::Arc;

use vs_logs::logql::ast::Expr;
use vs_logs::logql::sample::RangeSampler;
use vs_logs::logql::{LogQuery, MetricQuery, highlight, kind_of, parse};
use vs_logs::model::{Labels, LogEntry};

const SEEDS: &[&str] = &[
    r#"{app="vulnsentinel"} | json | level="error""#,
    r#"{app="vulnsentinel", module=~"api|db"} |= "rate limit" or "timeout" != `x` |~ "(?i)err\\d+" |> "<_>limit<_>""#,
    r#"{app="vulnsentinel"} | json repo="args.repo", first="list[0]" | repo=~"curl/.*" | duration_ms > 250.5 and method!="GET""#,
    r#"{app="vulnsentinel"} | logfmt --strict --keep-empty | status >= 400, status < 500 or (a="1" b=~"x.*")"#,
    r#"{app="vulnsentinel"} | regexp "retrying in (?P<retry>\\d+)s" | retry > 30s | size < 20MB"#,
    r#"{app="vulnsentinel"} | pattern "<ip> - <_> [<ts>] \"<method> <path>\"" | decolorize | unpack"#,
    r#"{app="vulnsentinel"} | json | line_format "{{.event | ToUpper}} {{ default \"-\" .tool }}" | label_format code=status, x="{{.a}}""#,
    r#"{app="vulnsentinel"} | json | drop a, b="c" | keep event, status | addr = ip("10.0.0.0/8") |= ip("192.168.0.1-192.168.0.9")"#,
    r#"sum by (module) (count_over_time({app="vulnsentinel"} | json | __error__="" [5m] offset 1h)) / on (module) group_left sum(rate({app="x"}[1m])) > bool 0.5"#,
    r#"quantile_over_time(0.95, {app="vulnsentinel"} | json | unwrap duration(d) | __error__="" [5m]) by (module)"#,
    r#"topk(3, sum without (a) (bytes_rate({a="b"}[1h]))) or vector(0) unless label_replace(rate({a="b"}[1m]), "dst", "$1", "src", "(.*)")"#,
    r#"-2 ^ 3 ^ 2 % 5 - sort_desc(avg_over_time({a="b"} | logfmt | unwrap bytes(x) [1m]))"#,
    "COUNT_OVER_TIME({a=\"b\"} /* c */ | JSON | line_format \"{{ .x | ToUpper | .y }}\" [5m] offset -5m) // note",
    r#"label_replace(vecTOR(1), "", "x", "", "") or on() vector(1) and vector(2) unless vector(3)"#,
    r#"{a="b"} !> "" |> "" | logfmt code="a.b" |~ ip("10.0.0.0/8") | line_format== "x""#,
];

/// Regexes known to be slow on backtracking engines, and oversized ones.
const REGEXES: &[&str] = &[
    "(a+)+$",
    "(a|aa)*b",
    "(.*a){20}",
    "(x+x+)+y",
    "((a*)*)*b",
    "(a{100}){100}",
    "(?:[a-z]{1,50}){1,50}$",
    "(\\w+\\s?)+$",
];

const ALPHABET: &[&str] = &[
    "{", "}", "(", ")", "[", "]", "|", "=", "!", "~", ">", "<", "\"", "`", ",", " ", "\\", "-",
    "--", "5m", "1e9", ".", "#", "or", "and", "by", "json", "unwrap", "é", "漏", "\n", "\u{1b}",
    "<_>", "{{", "}}", "$", "^", "*", "+", "/", "%", "0",
];

fn lines() -> Vec<String> {
    let a = "a".repeat(5000);
    vec![
        String::new(),
        r#"{"event":"request.end","status":503,"duration_ms":13219.1,"level":"error","args":{"repo":"curl/curl"},"list":[1,{"x":2}],"d":"1m30s","x":"2KiB"}"#.into(),
        "2026-11-25T00:42:50Z [warning] github.rate_limit  msg=\"rate limit hit\" repo=a/b remaining=0 d=5s".into(),
        "\u{1b}[33mWARNING\u{1b}[0m x \u{1b}]0;pwned\u{7} 10.0.0.1 - - [ts] \"GET /x\"".into(),
        format!("{a}!"),
        format!("{}{}", "{\"a\":".repeat(3000), "1"),
        "漏洞 修复 \u{0}\u{7f} \\u001b \"unterminated".into(),
        "{\"_entry\":\"inner line\",\"k\":\"v\",\"n\":null,\"t\":true}".into(),
    ]
}

fn entries() -> Vec<LogEntry> {
    let labels: Labels = [
        ("app", "vulnsentinel"),
        ("module", "api"),
        ("level", "error"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let labels = Arc::new(labels);
    lines()
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let mut e = LogEntry::new(i as i64, labels.clone(), l);
            e.metadata.insert("detected_level".into(), "error".into());
            e
        })
        .collect()
}

fn mutate(rng: &mut fastrand::Rng, q: &str) -> String {
    let mut chars: Vec<String> = q.chars().map(String::from).collect();
    for _ in 0..rng.usize(1..4) {
        let pos = rng.usize(0..=chars.len());
        match rng.u8(0..4) {
            0 if pos < chars.len() => {
                chars.remove(pos);
            }
            1 => chars.insert(pos, ALPHABET[rng.usize(0..ALPHABET.len())].to_string()),
            2 if pos < chars.len() => {
                chars[pos] = ALPHABET[rng.usize(0..ALPHABET.len())].to_string();
            }
            _ => chars.truncate(pos),
        }
    }
    chars.concat()
}

/// Everything a query can go through; must return (errors are fine).
fn exercise(q: &str, data: &[LogEntry]) {
    let _ = highlight(q);
    let _ = kind_of(q);
    match parse(q) {
        Ok(Expr::Log(_)) => {
            if let Ok(lq) = LogQuery::compile(q) {
                for e in data {
                    let _ = lq.matches_stream(&e.labels);
                    let _ = lq.line_prefilter(&e.line);
                    let _ = lq.process(e);
                }
            }
        }
        Ok(Expr::Metric(m)) => {
            for r in m.log_ranges() {
                if let Ok(s) = RangeSampler::compile(r) {
                    for e in data {
                        let _ = s.sample(e);
                    }
                }
            }
        }
        Err(e) => {
            assert!(!e.message.is_empty());
        }
    }
}

#[test]
fn mutated_queries_never_panic() {
    let data = entries();
    let mut rng = fastrand::Rng::with_seed(0x5eed_1061);
    for seed in SEEDS {
        exercise(seed, &data);
        for _ in 0..150 {
            let q = mutate(&mut rng, seed);
            exercise(&q, &data);
        }
    }
}

#[test]
fn random_token_soup_never_panics() {
    let data = entries();
    let mut rng = fastrand::Rng::with_seed(42);
    for _ in 0..1500 {
        let n = rng.usize(0..30);
        let q: String = (0..n)
            .map(|_| ALPHABET[rng.usize(0..ALPHABET.len())])
            .collect();
        exercise(&q, &data);
        // Also behind a valid selector, to reach the pipeline stages.
        exercise(&format!("{{app=\"vulnsentinel\"}} | {q}"), &data);
    }
}

#[test]
fn pathological_regexes_finish() {
    let data = entries();
    for re in REGEXES {
        let quoted = re.replace('\\', "\\\\");
        for q in [
            format!(r#"{{app="vulnsentinel"}} |~ "{quoted}""#),
            format!(r#"{{app=~"{quoted}"}}"#),
            format!(r#"{{app="vulnsentinel"}} | logfmt | msg=~"{quoted}""#),
            format!(r#"{{app="vulnsentinel"}} | regexp "(?P<x>{quoted})""#),
        ] {
            exercise(&q, &data);
        }
    }
}

/// The child process runs the hostile inputs when this is set.
const CHILD_ENV: &str = "VS_LOGS_FUZZ_CHILD";

/// The address space the hostile inputs must fit in, KiB (the unbounded cases took 6-16 GB).
const MEMORY_LIMIT_KIB: u64 = 2 << 20;

const APP: &str = r#"{app="vulnsentinel"}"#;

/// Issue 12's hostile queries (each case of its rules 1 and 3, and the quadratic ones).
fn hostile_queries() -> Vec<String> {
    let mut v = Vec::new();
    for op in [
        "or", "+", "-", "*", "/", "==", ">", "and", "unless", "> bool",
    ] {
        v.push(vec!["vector(1)"; 2000].join(&format!(" {op} ")));
    }
    v.push(vec![format!("count_over_time({APP}[1m])"); 2000].join(" + "));
    v.push(format!("{}vector(1){}", "(".repeat(5000), ")".repeat(5000)));
    v.push(format!(
        "sum({}rate({APP}[1m]){})",
        "(".repeat(3000),
        ")".repeat(3000)
    ));
    let params: Vec<String> = (0..3000).map(|i| format!("p{i}=\"a.b{i}\"")).collect();
    v.push(format!("{APP} | json {}", params.join(", ")));
    v.push(format!("{APP}{}", " | json".repeat(5000)));
    let doubling = " | line_format \"{{__line__}}{{__line__}}\"".repeat(24);
    v.push(format!("{APP}{doubling}"));
    v.push(format!("count_over_time({APP}{doubling} [1h])"));
    v.push(format!(
        "{APP} | label_format l=\"{{{{__line__}}}}\"{}",
        " | label_format l=\"{{.l}}{{.l}}\"".repeat(24)
    ));
    v.push(format!(
        "{APP} | line_format \"{{{{ range 100000 }}}}{{{{ __line__ }}}}{{{{ end }}}}\""
    ));
    v.push(format!(
        "{APP} | line_format \"{{{{ repeat 100000000 __line__ }}}}\""
    ));
    v.push(format!(
        r#"{APP} | line_format "{{{{ printf \"%99999999d\" 1 }}}}""#
    ));
    v.push(format!(
        r#"count_over_time({APP} | json | __error__="" [1h])"#
    ));
    v.push(format!(
        r#"sum by (n) (count_over_time({APP} | json [1h]))"#
    ));
    v.push(format!(r#"{APP} |~ "{}""#, "(a+)+".repeat(500)));
    v
}

/// 2,000 JSON lines a second apart, each its own series under `| json`, and the hostile lines.
fn hostile_data() -> Vec<LogEntry> {
    let labels: Labels = [("app".to_string(), "vulnsentinel".to_string())]
        .into_iter()
        .collect();
    let labels = Arc::new(labels);
    let s = 1_000_000_000i64;
    let mut v: Vec<LogEntry> = (0..2000)
        .map(|i| {
            let line = format!(r#"{{"n":{i},"event":"e{i}","level":"info"}}"#);
            LogEntry::new(3600 * s + i * s, labels.clone(), line)
        })
        .collect();
    for (i, l) in lines().into_iter().enumerate() {
        v.push(LogEntry::new(
            3600 * s + i as i64 * 7 * s + 1,
            labels.clone(),
            l,
        ));
    }
    v.sort_by_key(|e| e.ts);
    v
}

/// Parses, compiles and runs one query end to end: log queries through the pipeline on the
/// small data, metric queries through the evaluator on a 1 s grid over two hours.
fn run_hostile(q: &str, small: &[LogEntry], data: &[LogEntry]) {
    exercise(q, small);
    if let Ok(Expr::Metric(_)) = parse(q)
        && let Ok(m) = MetricQuery::compile(q)
    {
        let s = 1_000_000_000i64;
        let _ = m.eval_range(data, 3600 * s, 7200 * s, 1000);
        let _ = m.eval_instant(data, 7200 * s);
    }
}

#[test]
fn hostile_inputs_child() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return; // run by `hostile_inputs_run_in_bounded_memory`, in a child process
    }
    let small = entries();
    let data = hostile_data();
    let mut rng = fastrand::Rng::with_seed(0x12_12);
    for q in hostile_queries() {
        run_hostile(&q, &small, &data);
        for _ in 0..5 {
            run_hostile(&mutate(&mut rng, &q), &small, &data);
        }
    }
    println!("hostile inputs done");
}

#[cfg(target_os = "linux")]
#[test]
fn hostile_inputs_run_in_bounded_memory() {
    crate::support::bounded::child_test_under_ulimit(
        MEMORY_LIMIT_KIB,
        "fuzz::hostile_inputs_child",
        CHILD_ENV,
        "hostile inputs done",
    );
}
