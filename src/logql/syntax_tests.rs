//! Parser limits and syntax that Loki accepts or refuses (issue 12 item 1, issue 15 items
//! 3–4). Expected texts marked "Loki 65e30f8" were answered by a real Loki (main@65e30f8).

use super::metric::MetricQuery;
use super::parser::{MAX_BINARY_OPS, MAX_QUERY_BYTES};
use super::{LogQuery, parse};

#[test]
fn long_operator_chains_are_refused_cleanly() {
    for op in ["or", "and", "unless", "+", "-", "*", "/", "==", ">"] {
        let q = vec!["vector(1)"; 2_000].join(&format!(" {op} "));
        let e = parse(&q).expect_err(op);
        assert!(
            e.message.contains("too many binary operators"),
            "{op}: {}",
            e.message
        );
    }
}

#[test]
fn the_longest_accepted_chain_evaluates() {
    for op in ["or", "+", ">="] {
        let q = vec!["vector(1)"; MAX_BINARY_OPS + 1].join(&format!(" {op} "));
        let m = MetricQuery::compile(&q).expect(op);
        let r = m.eval_instant(&[], 1_000_000_000).expect(op);
        assert!(format!("{r:?}").contains("v: "), "{op}: {r:?}");
        let q = format!("{q} {op} vector(1)");
        assert!(parse(&q).is_err(), "{op}: one more is refused");
    }
}

#[test]
fn long_queries_are_refused_by_size() {
    let q = format!("{{app=\"a\"}}{}", " | json".repeat(MAX_QUERY_BYTES / 7 + 1));
    let e = parse(&q).expect_err("too long");
    assert!(e.message.contains("the query is too long"), "{}", e.message);
    // Just under the limit, thousands of stages still compile (linear, no recursion).
    let n = (MAX_QUERY_BYTES - 20) / 7;
    let q = format!("{{app=\"a\"}}{}", " | json".repeat(n));
    assert!(LogQuery::compile(&q).is_ok());
    let params: Vec<String> = (0..3_000).map(|i| format!("a{i}=\"b{i}\"")).collect();
    let q = format!("{{app=\"a\"}} | json {}, app=\"b1\"", params.join(", "));
    assert!(q.len() < MAX_QUERY_BYTES);
    let lq = LogQuery::compile(&q).expect("3,000 extraction parameters");
    // Every parameter becomes a label (linear bulk insert), a collision with a stream label
    // gets `_extracted`, missing keys are empty.
    let mut labels = crate::model::Labels::new();
    labels.insert("app".into(), "a".into());
    let e = crate::model::LogEntry::new(0, std::sync::Arc::new(labels), r#"{"b1":"x","b2":7}"#);
    let out = lq.process(&e).expect("kept");
    assert_eq!(out.parsed.len(), 3_001);
    assert_eq!(out.parsed.get("a1").map(String::as_str), Some("x"));
    assert_eq!(out.parsed.get("a2").map(String::as_str), Some("7"));
    assert_eq!(out.parsed.get("a2999").map(String::as_str), Some(""));
    assert_eq!(
        out.parsed.get("app_extracted").map(String::as_str),
        Some("x")
    );
}

/// `| json` repeated thousands of times runs once per entry (adjacent identical parsers
/// collapse), with the same labels as a single `| json`.
#[test]
fn repeated_parsers_run_once() {
    let mut labels = crate::model::Labels::new();
    labels.insert("app".into(), "a".into());
    let e = crate::model::LogEntry::new(0, std::sync::Arc::new(labels), r#"{"app":"x","n":1}"#);
    let once = LogQuery::compile(r#"{app="a"} | json"#).expect("one");
    let q = format!("{{app=\"a\"}}{}", " | json".repeat(5_000));
    let many = LogQuery::compile(&q).expect("many");
    let (a, b) = (
        once.process(&e).expect("kept"),
        many.process(&e).expect("kept"),
    );
    assert_eq!(a.parsed, b.parsed);
    assert_eq!(b.parsed.get("app_extracted").map(String::as_str), Some("x"));
    let bad = crate::model::LogEntry::new(0, e.labels.clone(), "not json");
    let (a, b) = (
        once.process(&bad).expect("kept"),
        many.process(&bad).expect("kept"),
    );
    assert_eq!(a.parsed, b.parsed);
    assert!(b.parsed.contains_key("__error__"));
}

#[test]
fn long_label_filter_chains_are_refused_cleanly() {
    for sep in [" and ", " or ", ", ", " "] {
        let filters: Vec<String> = (0..2_000).map(|i| format!("a{i}=\"x\"")).collect();
        let q = format!("{{app=\"a\"}} | json | {}", filters.join(sep));
        let e = parse(&q).expect_err(sep);
        assert!(
            e.message.contains("too many binary operators"),
            "{sep:?}: {}",
            e.message
        );
    }
}

#[test]
fn syntax_loki_accepts() {
    for q in [
        // Loki 65e30f8 runs each of these.
        r#"count_over_time({app="vulnsentinel"}[5m] offset -5m)"#,
        r#"{app="vulnsentinel"} |= "SIGKILL" // note"#,
        "{app=\"vulnsentinel\"} /* c */ |= \"SIGKILL\"\n",
        r#"{app="vulnsentinel"} |= "SIGKILL" # note"#,
        r#"COUNT_OVER_TIME({app="vulnsentinel"} |= "SIGKILL" [1h])"#,
        r#"sum BY (module) (count_over_time({app="vulnsentinel"} | JSON [1h]))"#,
        "vecTOR(1)",
        r#"label_replace(vector(1), "", "x", "", "")"#,
        r#"label_replace(vector(1), "a-b", "x", "", "")"#,
        r#"{app="vulnsentinel"} |= "SIGKILL" !> """#,
        r#"{app="vulnsentinel"} |> """#,
        r#"{app="vulnsentinel"} |= "x" or ip("10.0.0.0/8")"#,
        r#"{app="vulnsentinel"} | logfmt code="a_b""#,
        r#"{app="vulnsentinel"} | bytes="x""#,
        r#"{app="vulnsentinel"} | rate="x""#,
        r#"{app="vulnsentinel"} |= "SIGKILL" | line_format "{{ .event | ToUpper | .method }}""#,
        r#"avg_over_time({app="vulnsentinel"} | json | unwrap status [5m]) by (method)"#,
    ] {
        parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    }
    let Ok(super::ast::Expr::Metric(super::ast::MetricExpr::Range(r))) =
        parse(r#"count_over_time({app="a"}[5m] offset -5m)"#)
    else {
        panic!("range aggregation");
    };
    assert_eq!(r.range.offset_ns, -300_000_000_000);
}

#[test]
fn syntax_loki_refuses_with_its_text() {
    for (q, want) in [
        // Loki 65e30f8's answers.
        (
            "vector(1) and on() 1",
            "parse error : unexpected literal for right leg of logical/set binary operation (and): 1.000000",
        ),
        (
            "(1) or vector(1)",
            "parse error : unexpected literal for left leg of logical/set binary operation (or): 1.000000",
        ),
        (
            "1 unless 2",
            "parse error : unexpected literal for left leg of logical/set binary operation (unless): 1.000000",
        ),
        (
            r#"rate_counter({app="vulnsentinel"} | json | unwrap status [5m]) by (method)"#,
            "parse error : grouping not allowed for rate_counter aggregation",
        ),
        (
            r#"last_over_time BY (method) ({app="vulnsentinel"} | json | unwrap status [5m])"#,
            "parse error at line 1, col 16: syntax error: unexpected by, expecting (",
        ),
        (
            r#"count_over_time by (method) ({app="vulnsentinel"}[5m])"#,
            "parse error at line 1, col 17: syntax error: unexpected by, expecting (",
        ),
        (
            r#"{app="vulnsentinel"} | logfmt code="1a""#,
            "parse error : stage '| logfmt code=\"1a\"' : cannot parse expression [1a]: syntax error: unexpected $end, expecting STRING or KEY",
        ),
        (
            r#"{app="vulnsentinel"} | logfmt code="a-b""#,
            "parse error : stage '| logfmt code=\"a-b\"' : cannot parse expression [a-b]: unexpected char -",
        ),
        (
            r#"{app="vulnsentinel"} |> ip("10.0.0.0/8")"#,
            "parse error : stage '|> ip(\"10.0.0.0/8\")' : ip: invalid operation",
        ),
        (
            r#"{app="vulnsentinel"} | line_format="x""#,
            "parse error at line 1, col 35: syntax error: unexpected =, expecting STRING",
        ),
        (
            r#"{app="vulnsentinel"} | regexp="x""#,
            "parse error at line 1, col 30: syntax error: unexpected =, expecting STRING",
        ),
    ] {
        let e = parse(q).expect_err(q);
        assert_eq!(e.message, want, "{q}");
    }
    // Stage keywords are never label names (Loki: `unexpected =`).
    for q in [
        r#"{app="vulnsentinel"} | json="x""#,
        r#"{app="vulnsentinel"} | keep="x""#,
        r#"{app="vulnsentinel"} | decolorize="x""#,
        r#"{app="vulnsentinel"} | unpack="x""#,
    ] {
        assert!(parse(q).is_err(), "{q}");
    }
}

/// Loki 65e30f8 runs `{{ .event | ToUpper | .method }}` and marks the line with
/// `… executing "line" at <.method>: method is not a method but has arguments`.
#[test]
fn a_field_after_a_pipe_parses_and_fails_when_run() {
    let e = super::template::tests::render_err("{{ .event | ToUpper | .method }}");
    assert!(
        e.contains("method is not a method but has arguments"),
        "{e}"
    );
    assert!(super::template::Template::parse("{{ .a | \"x\" }}").is_err());
}

/// Found by the side-by-side run (Loki 65e30f8 on the lab): a sign makes a signed number
/// literal only, `==` compares numbers only, and one `label_format` sets a label once.
#[test]
fn signs_double_equals_and_label_format_twice() {
    use super::ast::{BinOp, Expr, MetricExpr};
    // Loki: `-2 ^ 2 + vector(0)` is 4, so `-2` is the literal.
    let Ok(Expr::Metric(MetricExpr::Binary(b))) = parse("-2 ^ 2") else {
        panic!("binary");
    };
    assert_eq!((b.op, &*b.lhs), (BinOp::Pow, &MetricExpr::Literal(-2.0)));
    assert!(parse("vector(0) * -2 ^ 2").is_ok());
    assert!(parse("+2 ^ 2 + vector(0)").is_ok());
    for (q, col) in [
        ("-vector(2) ^ 2", 2),
        ("-(2) ^ 2 + vector(0)", 2),
        ("- -2 + vector(0)", 3),
        ("+vector(1)", 2),
    ] {
        let e = parse(q).expect_err(q);
        assert!(
            e.message.starts_with(&format!(
                "parse error at line 1, col {col}: syntax error: unexpected "
            )),
            "{q}: {}",
            e.message
        );
        assert!(
            e.message.ends_with(", expecting NUMBER"),
            "{q}: {}",
            e.message
        );
    }
    assert!(parse(r#"{app="a"} | json | status == 200"#).is_ok());
    assert!(parse(r#"{app="a"} | json | method == "GET""#).is_err());
    assert!(parse(r#"{app="a"} | json | client == ip("10.0.5.0/24")"#).is_err());
    assert!(parse(r#"{app="a"} | json | client = ip("10.0.5.0/24")"#).is_ok());
    assert_eq!(
        parse(r#"{app="vulnsentinel", module="db"} | json | label_format a="{{.event}}", a="{{.level}}""#)
            .expect_err("twice")
            .message,
        "parse error : stage '| label_format a=\"{{.event}}\",a=\"{{.level}}\"' : multiple label name 'a' not allowed in a single format operation"
    );
    assert!(parse(r#"{app="a"} | label_format a=event, b=a"#).is_ok());
}
