use super::*;

fn log(q: &str) -> LogExpr {
    match parse(q).unwrap_or_else(|e| panic!("{q}: {e}")) {
        Expr::Log(l) => l,
        Expr::Metric(m) => panic!("{q}: metric {m:?}"),
    }
}

fn metric(q: &str) -> MetricExpr {
    match parse(q).unwrap_or_else(|e| panic!("{q}: {e}")) {
        Expr::Metric(m) => m,
        Expr::Log(l) => panic!("{q}: log {l:?}"),
    }
}

fn err(q: &str) -> LogqlError {
    parse(q).expect_err(q)
}

fn m(name: &str, op: MatchOp, value: &str) -> Matcher {
    Matcher {
        name: name.into(),
        op,
        value: value.into(),
    }
}

#[test]
fn selector_ops() {
    let l = log(r#"{app="a", b!="x", c=~"y.*", d!~`z`}"#);
    assert_eq!(
        l.selector,
        vec![
            m("app", MatchOp::Eq, "a"),
            m("b", MatchOp::Neq, "x"),
            m("c", MatchOp::Re, "y.*"),
            m("d", MatchOp::Nre, "z")
        ]
    );
    assert!(l.pipeline.is_empty());
}

#[test]
fn line_filters_and_or_chains() {
    let l =
        log(r#"{a="b"} |= "x" or "y" != `z` |~ "r" !~ "s" |> "<_>p" !> "q" |= ip("10.0.0.0/8")"#);
    let ops: Vec<LineFilterOp> = l
        .pipeline
        .iter()
        .map(|s| match s {
            Stage::LineFilter(f) => f.op,
            _ => panic!(),
        })
        .collect();
    use LineFilterOp::*;
    assert_eq!(
        ops,
        vec![
            Contains,
            NotContains,
            Regex,
            NotRegex,
            Pattern,
            NotPattern,
            Contains
        ]
    );
    assert_eq!(
        l.pipeline[0],
        Stage::LineFilter(LineFilter {
            op: Contains,
            values: vec![
                LineFilterValue::Str("x".into()),
                LineFilterValue::Str("y".into())
            ]
        })
    );
    assert_eq!(
        l.pipeline[6],
        Stage::LineFilter(LineFilter {
            op: Contains,
            values: vec![LineFilterValue::Ip("10.0.0.0/8".into())]
        })
    );
}

#[test]
fn parsers() {
    let l = log(
        r#"{a="b"} | json | json repo="args.repo", first="list[0]", x | logfmt --strict --keep-empty a="b" | logfmt | regexp "(?P<r>\\d+)" | pattern "<ip> <_>" | unpack"#,
    );
    assert_eq!(l.pipeline[0], Stage::Parser(ParserStage::Json(vec![])));
    assert_eq!(
        l.pipeline[1],
        Stage::Parser(ParserStage::Json(vec![
            Extraction {
                label: "repo".into(),
                path: "args.repo".into()
            },
            Extraction {
                label: "first".into(),
                path: "list[0]".into()
            },
            Extraction {
                label: "x".into(),
                path: "x".into()
            }
        ]))
    );
    assert_eq!(
        l.pipeline[2],
        Stage::Parser(ParserStage::Logfmt {
            strict: true,
            keep_empty: true,
            extractions: vec![Extraction {
                label: "a".into(),
                path: "b".into()
            }]
        })
    );
    assert_eq!(
        l.pipeline[4],
        Stage::Parser(ParserStage::Regexp("(?P<r>\\d+)".into()))
    );
    assert_eq!(l.pipeline[6], Stage::Parser(ParserStage::Unpack));
}

#[test]
fn label_filters_precedence_and_forms() {
    let l = log(
        r#"{a="b"} | json | status >= 500 and status < 600 or level="error", x=~"y" z!="w" | d > 5s | s <= 20MB | n == -1.5 | (a="1" or b="2") c="3" | addr = ip("1.2.3.4")"#,
    );
    let Stage::LabelFilter(f) = &l.pipeline[1] else {
        panic!()
    };
    // `and` binds tighter than `or`; `,` and space are `and`.
    let LabelFilter::Or(lhs, rhs) = f else {
        panic!("{f:?}")
    };
    assert!(matches!(**lhs, LabelFilter::And(_, _)));
    assert!(matches!(**rhs, LabelFilter::And(_, _)));
    assert_eq!(
        l.pipeline[2],
        Stage::LabelFilter(LabelFilter::Duration {
            name: "d".into(),
            op: CmpOp::Gt,
            value: 5_000_000_000
        })
    );
    assert_eq!(
        l.pipeline[3],
        Stage::LabelFilter(LabelFilter::Bytes {
            name: "s".into(),
            op: CmpOp::Lte,
            value: 20e6
        })
    );
    assert_eq!(
        l.pipeline[4],
        Stage::LabelFilter(LabelFilter::Number {
            name: "n".into(),
            op: CmpOp::Eq,
            value: -1.5
        })
    );
    assert!(matches!(
        &l.pipeline[5],
        Stage::LabelFilter(LabelFilter::And(a, _)) if matches!(**a, LabelFilter::Or(_, _))
    ));
    assert_eq!(
        l.pipeline[6],
        Stage::LabelFilter(LabelFilter::Ip {
            name: "addr".into(),
            negated: false,
            pattern: "1.2.3.4".into()
        })
    );
}

#[test]
fn formats_drop_keep_decolorize() {
    let l = log(
        r#"{a="b"} | line_format "{{.x}}" | label_format code=status, y="{{.z}}" | drop a, b="c" | keep d, e=~"f.*" | decolorize"#,
    );
    assert_eq!(l.pipeline[0], Stage::LineFormat("{{.x}}".into()));
    assert_eq!(
        l.pipeline[1],
        Stage::LabelFormat(vec![
            LabelFmt::Rename {
                dst: "code".into(),
                src: "status".into()
            },
            LabelFmt::Template {
                dst: "y".into(),
                template: "{{.z}}".into()
            }
        ])
    );
    assert_eq!(
        l.pipeline[2],
        Stage::Drop(vec![
            LabelSel::Name("a".into()),
            LabelSel::Matcher(m("b", MatchOp::Eq, "c"))
        ])
    );
    assert_eq!(
        l.pipeline[3],
        Stage::Keep(vec![
            LabelSel::Name("d".into()),
            LabelSel::Matcher(m("e", MatchOp::Re, "f.*"))
        ])
    );
    assert_eq!(l.pipeline[4], Stage::Decolorize);
}

#[test]
fn keyword_named_labels_are_filters() {
    // Stage keywords (`pattern`, `json`, …) are never label names in Loki; other keywords are.
    let l = log(r#"{a="b"} | json | duration="x" | bytes > 1KB"#);
    assert!(matches!(
        l.pipeline[1],
        Stage::LabelFilter(LabelFilter::Matcher(_))
    ));
    assert!(matches!(
        l.pipeline[2],
        Stage::LabelFilter(LabelFilter::Bytes { .. })
    ));
}

#[test]
fn range_aggregations() {
    let MetricExpr::Range(r) = metric(r#"count_over_time({app="x"}[5m])"#) else {
        panic!()
    };
    assert_eq!(r.op, RangeOp::CountOverTime);
    assert_eq!(r.range.range_ns, 300_000_000_000);
    assert!(r.range.unwrap.is_none());

    let MetricExpr::Range(r) = metric(
        r#"quantile_over_time(0.95, {app="x"} | json | unwrap duration(latency) | __error__="" [1m] offset 1h) by (module)"#,
    ) else {
        panic!()
    };
    assert_eq!(r.op, RangeOp::QuantileOverTime);
    assert_eq!(r.param, Some(0.95));
    assert_eq!(r.range.offset_ns, 3_600_000_000_000);
    let u = r.range.unwrap.as_ref().unwrap();
    assert_eq!(u.label, "latency");
    assert_eq!(u.conversion, Conversion::Duration);
    assert_eq!(u.post_filters.len(), 1);
    assert_eq!(
        r.grouping,
        Some(Grouping {
            without: false,
            labels: vec!["module".into()]
        })
    );

    // Range right after the selector, pipeline after it.
    let MetricExpr::Range(r) = metric(r#"rate({app="x"}[5m] |= "a" | json)"#) else {
        panic!()
    };
    assert_eq!(r.range.log.pipeline.len(), 2);
    // Parenthesised log expression.
    let MetricExpr::Range(r) = metric(r#"bytes_rate(({app="x"} |= "a")[1h])"#) else {
        panic!()
    };
    assert_eq!(r.op, RangeOp::BytesRate);
    assert_eq!(r.range.range_ns, 3_600_000_000_000);
    for op in ["bytes_over_time", "absent_over_time", "rate"] {
        metric(&format!(r#"{op}({{app="x"}}[5m])"#));
    }
    for op in ["rate", "rate_counter", "absent_over_time"] {
        metric(&format!(r#"{op}({{app="x"}} | unwrap b [5m])"#));
        assert!(
            parse(&format!(r#"{op}({{app="x"}} | unwrap b [5m]) by (x)"#)).is_err(),
            "{op}"
        );
    }
    // Loki 65e30f8: "grouping not allowed for sum_over_time aggregation".
    assert!(parse(r#"sum_over_time({app="x"} | unwrap bytes(b) [5m]) without (x)"#).is_err());
    for op in [
        "avg_over_time",
        "min_over_time",
        "max_over_time",
        "stddev_over_time",
        "stdvar_over_time",
        "first_over_time",
        "last_over_time",
    ] {
        metric(&format!(
            r#"{op}({{app="x"}} | unwrap bytes(b) [5m]) without (x)"#
        ));
    }
}

#[test]
fn vector_aggregations_both_grouping_positions() {
    for q in [
        r#"sum by (a, b) (rate({x="y"}[1m]))"#,
        r#"sum(rate({x="y"}[1m])) by (a, b)"#,
    ] {
        let MetricExpr::Vector(v) = metric(q) else {
            panic!()
        };
        assert_eq!(v.op, VectorOp::Sum);
        assert_eq!(v.grouping.unwrap().labels, vec!["a", "b"]);
    }
    let MetricExpr::Vector(v) = metric(r#"topk(3, sum without (z) (rate({x="y"}[1m])))"#) else {
        panic!()
    };
    assert_eq!(v.param, Some(3.0));
    for op in [
        "avg",
        "min",
        "max",
        "count",
        "stddev",
        "stdvar",
        "sort",
        "sort_desc",
    ] {
        metric(&format!(r#"{op}(rate({{x="y"}}[1m]))"#));
    }
    metric(r#"bottomk(2, rate({x="y"}[1m]))"#);
}

#[test]
fn binary_precedence_and_modifiers() {
    let e = metric("1 + 2 * 3 ^ 2 ^ 1");
    let MetricExpr::Binary(b) = e else { panic!() };
    assert_eq!(b.op, BinOp::Add);
    let MetricExpr::Binary(mul) = *b.rhs else {
        panic!()
    };
    assert_eq!(mul.op, BinOp::Mul);
    let MetricExpr::Binary(pow) = *mul.rhs else {
        panic!()
    };
    assert_eq!(pow.op, BinOp::Pow);
    // right-associative
    assert!(matches!(*pow.rhs, MetricExpr::Binary(ref p) if p.op == BinOp::Pow));

    let MetricExpr::Binary(b) = metric(
        r#"sum by (a) (rate({x="y"}[1m])) > bool on (a) group_left (b) sum by (a) (rate({x="z"}[1m]))"#,
    ) else {
        panic!()
    };
    assert_eq!(b.op, BinOp::Gt);
    assert!(b.return_bool);
    assert_eq!(
        b.matching,
        Some(VectorMatching {
            on: true,
            labels: vec!["a".into()]
        })
    );
    assert_eq!(
        b.group,
        Some(GroupModifier {
            left: true,
            labels: vec!["b".into()]
        })
    );
    let MetricExpr::Binary(b) =
        metric(r#"rate({x="y"}[1m]) and rate({x="z"}[1m]) or rate({x="w"}[1m]) unless vector(1)"#)
    else {
        panic!()
    };
    assert_eq!(b.op, BinOp::Or);
    assert_eq!(metric("-1"), MetricExpr::Literal(-1.0));
    assert_eq!(metric("(2)"), MetricExpr::Literal(2.0));
    assert_eq!(metric("vector(0)"), MetricExpr::VectorLit(0.0));
    metric(r#"sum(rate({x="y"}[1m])) - ignoring (a) group_right sum(rate({x="y"}[1m])) % 2"#);
}

#[test]
fn label_replace() {
    let MetricExpr::LabelReplace(l) =
        metric(r#"label_replace(rate({x="y"}[1m]), "dst", "$1", "src", "(.*)")"#)
    else {
        panic!()
    };
    assert_eq!((l.dst.as_str(), l.regex.as_str()), ("dst", "(.*)"));
}

#[test]
fn loki_error_texts() {
    // The conformance error cases, verbatim.
    assert_eq!(
        err(r#"{app="vulnsentinel"} | json | level="#).message,
        "parse error at line 1, col 37: syntax error: unexpected $end"
    );
    assert_eq!(
        err("{}").message,
        "parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will"
    );
    assert_eq!(
        err(r#"{app="vulnsentinel"} |~ "(unclosed""#).message,
        "parse error : stage '|~ \"(unclosed\"' : error parsing regexp: missing closing ): `(unclosed`"
    );
    let e = err(r#"sum(rate({app="vulnsentinel"}))"#);
    assert_eq!(
        e.message,
        "parse error at line 1, col 30: syntax error: unexpected )"
    );
    assert_eq!((e.line, e.col), (Some(1), Some(30)));
    assert_eq!(
        err(r#"{app="vulnsentinel"} | unknownparser"#).message,
        "parse error at line 1, col 37: syntax error: unexpected $end"
    );
    assert_eq!(
        err(r#"{app="vulnsentinel"} |= "#).message,
        "parse error at line 1, col 25: syntax error: unexpected $end, expecting STRING or ip"
    );
    assert_eq!(err(r#"{app=~".*"}"#).message, err("{}").message);
}

#[test]
fn semantic_errors() {
    for q in [
        r#"sum_over_time({a="b"}[5m])"#,
        r#"count_over_time({a="b"} | unwrap x [5m])"#,
        r#"count_over_time({a="b"}[5m]) by (x)"#,
        r#"quantile_over_time({a="b"} | unwrap x [5m])"#,
        r#"topk(0, rate({a="b"}[5m]))"#,
        r#"{a="b"} | unwrap x"#,
        r#"{a="b"} | regexp "no named""#,
        r#"{a="b"} | pattern "<a><b>""#,
        r#"{a="b"} + 1"#,
        r#"rate({a="b"}[5m]) + {a="b"}"#,
        r#"{a="b"} |= "x" or"#,
        r#"{a="b"} | logfmt --bogus"#,
        r#"rate({a="b"}[5m]) foo"#,
        r#"label_replace(rate({a="b"}[5m]), "1x", "", "a", "(")"#,
        "{a=\"b\"} |= \"x\n",
        "sum(",
        "",
    ] {
        assert!(parse(q).is_err(), "{q}");
    }
    let e = err("{a=\"b\"}\n| json | x=");
    assert_eq!((e.line, e.col), (Some(2), Some(12)));
}

#[test]
fn kind_of_classifies() {
    use crate::logql::{QueryKind, kind_of};
    assert_eq!(kind_of(r#"{a="b"} | json"#), Ok(QueryKind::Log));
    assert_eq!(kind_of(r#"rate({a="b"}[1m])"#), Ok(QueryKind::Metric));
    assert!(kind_of("{").is_err());
}
