//! Pushing `sum by (…)` of `count_over_time` down into sample extraction.
//!
//! `sum by (g) (count_over_time(X [r]))` counts, per group and window, the samples of every
//! series of the group; so extracting the samples straight into their group gives the same
//! counts (whole numbers, exact in f64) without first building one series per distinct label
//! set — after `| json`, often one per line. Errored samples keep their own series either way,
//! so the query fails exactly when it did.

use super::eval::Plan;
use super::range_fn::RangeOp;
use crate::logql::ast::VectorOp;

/// Rewrites every `sum [by|without (…)] (count_over_time(…))` in the plan.
pub(super) fn push_down(plan: &mut Plan) {
    match plan {
        Plan::Vector {
            op: VectorOp::Sum,
            grouping,
            inner,
            ..
        } => {
            if let Plan::Range(r) = inner.as_mut()
                && r.op == RangeOp::Count
                && r.extractor.grouping.is_none()
            {
                r.extractor.grouping = Some(grouping.clone().unwrap_or_default());
                return;
            }
            push_down(inner);
        }
        Plan::Vector { inner, .. } | Plan::LabelReplace { inner, .. } => push_down(inner),
        Plan::Binary { lhs, rhs, .. } => {
            push_down(lhs);
            push_down(rhs);
        }
        Plan::Range(_) | Plan::Literal(_) | Plan::VectorLit(_) => {}
    }
}

/// Range aggregations grouped `by (…)` (their own, or a pushed-down `sum by`) get sources that
/// compute only the labels they keep ([`narrowed`]).
///
/// [`narrowed`]: super::extract::SampleSource::narrowed
pub(super) fn narrow(plan: &mut Plan) {
    match plan {
        Plan::Range(r) => {
            let ex = &mut r.extractor;
            if let Some(g) = ex.grouping.as_ref().filter(|g| !g.without)
                && let Some(s) = ex.source.narrowed(g)
            {
                ex.source = s;
            }
        }
        Plan::Vector { inner, .. } | Plan::LabelReplace { inner, .. } => narrow(inner),
        Plan::Binary { lhs, rhs, .. } => {
            narrow(lhs);
            narrow(rhs);
        }
        Plan::Literal(_) | Plan::VectorLit(_) => {}
    }
}

/// Whether a plan's range aggregation extracts into groups (for tests).
#[cfg(test)]
fn pushed(plan: &Plan) -> Option<super::labels::Grouping> {
    match plan {
        Plan::Vector { inner, .. } => match inner.as_ref() {
            Plan::Range(r) => r.extractor.grouping.clone(),
            other => pushed(other),
        },
        Plan::Binary { lhs, .. } => pushed(lhs),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logql::MetricQuery;
    use crate::logql::metric::labels::Grouping;
    use crate::model::{Labels, LogEntry};
    use std::sync::Arc;

    const S: i64 = 1_000_000_000;

    /// JSON lines with a unique field each (one series per line without the push-down), bad
    /// JSON, escapes and unicode, over a few modules and levels.
    fn entries() -> Vec<LogEntry> {
        let modules = ["api", "agent", "db"];
        (0..600)
            .map(|i: i64| {
                let module = modules[(i % 3) as usize];
                let mut l = Labels::new();
                l.insert("app".into(), "vs".into());
                l.insert("module".into(), module.into());
                l.insert(
                    "level".into(),
                    if i % 7 == 0 { "error" } else { "info" }.into(),
                );
                let line = match i % 11 {
                    0 => format!("not json {i}"),
                    1 => format!(r#"{{"event":"\u6f0f\u6d1e","n":{i},"module":"x\"y"}}"#),
                    _ => format!(
                        r#"{{"event":"e{}","n":{i},"duration_ms":{}}}"#,
                        i % 5,
                        i * 3
                    ),
                };
                LogEntry::new(i * 2 * S, Arc::new(l), line)
            })
            .collect()
    }

    fn both(
        q: &str,
    ) -> (
        Result<String, String>,
        Result<String, String>,
        Option<Grouping>,
    ) {
        let fast = MetricQuery::compile(q).unwrap();
        let plain = MetricQuery::compile_without_push_down(q);
        let e = entries();
        let run = |m: &MetricQuery| {
            m.eval_range(&e, 0, 1200 * S, 30_000)
                .map(|r| format!("{r:?}"))
                .map_err(|e| e.message)
        };
        (run(&fast), run(&plain), pushed(&fast.plan))
    }

    #[test]
    fn pushed_down_sums_give_the_same_answers() {
        for q in [
            r#"sum by (module) (count_over_time({app="vs"} | json | __error__="" [1m]))"#,
            r#"sum without (n) (count_over_time({app="vs"} | json | __error__="" [1m]))"#,
            r#"sum(count_over_time({app="vs"} | json | __error__="" [5m]))"#,
            r#"sum by (event) (count_over_time({app="vs"} | json | __error__="" [1m]))"#,
            r#"sum by (module) (count_over_time({app="vs"} |= "json" [1m]))"#,
            // Errors still fail the query (bad JSON reaches the aggregation).
            r#"sum by (module) (count_over_time({app="vs"} | json [1m]))"#,
            r#"sum by (level) (count_over_time({app="vs"} | json [1m])) > 3"#,
        ] {
            let (fast, plain, grouping) = both(q);
            assert!(grouping.is_some(), "{q}: not pushed down");
            assert_eq!(fast, plain, "{q}");
        }
        let (fast, _, _) = both(r#"sum by (module) (count_over_time({app="vs"} | json [1m]))"#);
        assert!(fast.unwrap_err().contains("JSONParserErr"));
    }

    #[test]
    fn only_sums_of_counts_are_pushed_down() {
        for q in [
            r#"sum by (module) (rate({app="vs"} | json | __error__="" [1m]))"#,
            r#"max by (module) (count_over_time({app="vs"} | json | __error__="" [1m]))"#,
            r#"count_over_time({app="vs"} [1m])"#,
        ] {
            let (fast, plain, grouping) = both(q);
            assert!(grouping.is_none(), "{q}");
            assert_eq!(fast, plain, "{q}");
        }
    }
}
