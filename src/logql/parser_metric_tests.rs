//! Parser tests for metric queries: range and vector aggregations, binary operators.

use super::tests::metric;
use super::*;

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
