//! Evaluates a metric plan over the step grid, one step at a time: each range aggregation's
//! samples are extracted once ([`super::sampling`]), then every step computes its windows ([`super::table`]) and
//! runs the vector operators on them.

use super::agg::{Element, aggregate};
use super::binop::{BinOp, Matching, scalar_scalar, vector_scalar, vector_vector};
use super::extract::Extractor;
use super::labels::{Grouping, label_replace};
use super::range_fn::RangeOp;
use super::sampling::Sampling;
use super::table::RangeTable;
use crate::logql::LogqlError;
use crate::logql::ast::VectorOp;
use crate::model::{Labels, LogEntry};

/// A metric expression ready to evaluate.
#[derive(Debug, Clone)]
pub enum Plan {
    Range(RangePlan),
    Vector {
        op: VectorOp,
        /// `topk`/`bottomk`'s parameter.
        k: usize,
        grouping: Option<Grouping>,
        inner: Box<Plan>,
    },
    Binary {
        op: BinOp,
        return_bool: bool,
        matching: Matching,
        lhs: Box<Plan>,
        rhs: Box<Plan>,
    },
    Literal(f64),
    VectorLit(f64),
    LabelReplace {
        inner: Box<Plan>,
        dst: String,
        replacement: String,
        src: String,
        re: regex::Regex,
    },
}

/// A range aggregation and where its samples come from.
#[derive(Debug, Clone)]
pub struct RangePlan {
    pub op: RangeOp,
    pub extractor: Extractor,
    pub range_ns: i64,
    pub offset_ns: i64,
    /// Labels of `absent_over_time`'s sample: the selector's equality matchers.
    pub absent_labels: Labels,
}

/// A value at one step.
#[derive(Debug, Clone, PartialEq)]
pub enum StepValue {
    Scalar(f64),
    Vector(Vec<Element>),
}

impl Plan {
    /// The largest `range + offset` of any range aggregation, ns.
    pub fn lookback_ns(&self) -> i64 {
        match self {
            Plan::Range(r) => r.range_ns + r.offset_ns.max(0),
            Plan::Vector { inner, .. } | Plan::LabelReplace { inner, .. } => inner.lookback_ns(),
            Plan::Binary { lhs, rhs, .. } => lhs.lookback_ns().max(rhs.lookback_ns()),
            Plan::Literal(_) | Plan::VectorLit(_) => 0,
        }
    }

    /// Range aggregations, left to right.
    pub fn ranges(&self) -> Vec<&RangePlan> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a RangePlan>) {
        match self {
            Plan::Range(r) => out.push(r),
            Plan::Vector { inner, .. } | Plan::LabelReplace { inner, .. } => inner.collect(out),
            Plan::Binary { lhs, rhs, .. } => {
                lhs.collect(out);
                rhs.collect(out);
            }
            Plan::Literal(_) | Plan::VectorLit(_) => {}
        }
    }

    /// Evaluates at every step (ns, ascending) over entries held in memory; one value per
    /// step.
    pub fn eval(&self, entries: &[LogEntry], steps: &[i64]) -> Result<Vec<StepValue>, LogqlError> {
        let sampling = Sampling::new(self, steps.to_vec(), false);
        let set = sampling.add_all(entries);
        self.steps(sampling.tables(set), steps.to_vec()).collect()
    }

    /// One value per step (ns, ascending) from the range aggregations' tables, on demand: a
    /// consumer that stops early (the series limit) evaluates no further step, and no step's
    /// points outlive it.
    pub(super) fn steps(
        &self,
        mut tables: Vec<RangeTable>,
        steps: Vec<i64>,
    ) -> impl Iterator<Item = Result<StepValue, LogqlError>> + '_ {
        (0..steps.len()).map(move |i| {
            let mut next = 0;
            self.at(i, steps[i], &mut tables, &mut next)
        })
    }

    fn at(
        &self,
        i: usize,
        t_ns: i64,
        tables: &mut [RangeTable],
        next: &mut usize,
    ) -> Result<StepValue, LogqlError> {
        Ok(match self {
            Plan::Range(r) => {
                let t = &mut tables[*next];
                *next += 1;
                let v: Vec<Element> = t
                    .step(i, t_ns)?
                    .into_iter()
                    .map(|(s, v)| (t.labels(s).clone(), v))
                    .collect();
                if r.op == RangeOp::Absent {
                    if v.is_empty() {
                        StepValue::Vector(vec![(r.absent_labels.clone(), 1.0)])
                    } else {
                        StepValue::Vector(Vec::new())
                    }
                } else {
                    StepValue::Vector(v)
                }
            }
            Plan::Vector {
                op,
                k,
                grouping,
                inner,
            } => match inner.at(i, t_ns, tables, next)? {
                StepValue::Vector(v) => StepValue::Vector(aggregate(*op, *k, grouping.as_ref(), v)),
                StepValue::Scalar(_) => {
                    return Err(LogqlError::msg(
                        "vector aggregation expects a vector, got a scalar",
                    ));
                }
            },
            Plan::Binary {
                op,
                return_bool,
                matching,
                lhs,
                rhs,
            } => {
                let l = lhs.at(i, t_ns, tables, next)?;
                let r = rhs.at(i, t_ns, tables, next)?;
                match (l, r) {
                    (StepValue::Scalar(a), StepValue::Scalar(b)) => {
                        StepValue::Scalar(scalar_scalar(*op, a, b))
                    }
                    (StepValue::Vector(v), StepValue::Scalar(s)) => {
                        StepValue::Vector(vector_scalar(*op, *return_bool, v, s, false))
                    }
                    (StepValue::Scalar(s), StepValue::Vector(v)) => {
                        StepValue::Vector(vector_scalar(*op, *return_bool, v, s, true))
                    }
                    (StepValue::Vector(a), StepValue::Vector(b)) => {
                        StepValue::Vector(vector_vector(*op, *return_bool, matching, a, b)?)
                    }
                }
            }
            Plan::Literal(v) => StepValue::Scalar(*v),
            Plan::VectorLit(v) => StepValue::Vector(vec![(Labels::new(), *v)]),
            Plan::LabelReplace {
                inner,
                dst,
                replacement,
                src,
                re,
            } => match inner.at(i, t_ns, tables, next)? {
                StepValue::Vector(v) => StepValue::Vector(
                    v.into_iter()
                        .map(|(l, x)| (label_replace(&l, dst, replacement, src, re), x))
                        .collect(),
                ),
                s => s,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::binop::Matching;
    use super::super::extract::tests::{KvSource, entry};
    use super::*;
    use std::sync::Arc;

    const S: i64 = 1_000_000_000;

    fn range(op: RangeOp, range_s: i64, unwrap: bool, grouping: Option<Grouping>) -> Plan {
        Plan::Range(RangePlan {
            op,
            extractor: Extractor {
                source: Arc::new(KvSource { unwrap }),
                grouping,
                bytes: false,
            },
            range_ns: range_s * S,
            offset_ns: 0,
            absent_labels: [("app".to_string(), "x".to_string())].into_iter().collect(),
        })
    }

    fn data() -> Vec<LogEntry> {
        vec![
            entry(10 * S, true, "m=a v=1"),
            entry(20 * S, true, "m=b v=4"),
            entry(30 * S, true, "m=a v=2"),
            entry(60 * S, true, "m=a v=8"),
        ]
    }

    fn vals(v: &StepValue) -> Vec<f64> {
        match v {
            StepValue::Vector(v) => v.iter().map(|e| e.1).collect(),
            StepValue::Scalar(s) => vec![*s],
        }
    }

    #[test]
    fn windows_are_left_open() {
        let p = range(RangeOp::Count, 30, false, None);
        let steps = [0, 30 * S, 60 * S, 90 * S];
        let out = p.eval(&data(), &steps).unwrap();
        // t=30: (0,30] holds 10 (a), 20 (b), 30 (a); t=60: (30,60] holds only 60.
        assert_eq!(vals(&out[0]), Vec::<f64>::new());
        assert_eq!(vals(&out[1]), vec![1.0, 1.0, 1.0]);
        assert_eq!(vals(&out[2]), vec![1.0]);
        assert_eq!(vals(&out[3]), Vec::<f64>::new());
    }

    #[test]
    fn aggregations_and_binaries() {
        let sum = Plan::Vector {
            op: VectorOp::Sum,
            k: 0,
            grouping: None,
            inner: Box::new(range(RangeOp::Count, 30, false, None)),
        };
        let steps = [30 * S, 60 * S];
        assert_eq!(vals(&sum.eval(&data(), &steps).unwrap()[0]), vec![3.0]);
        let by_m = range(RangeOp::Sum, 60, true, Some(Grouping::by(&["m"])));
        let out = by_m.eval(&data(), &[60 * S]).unwrap();
        assert_eq!(vals(&out[0]), vec![11.0, 4.0]);
        let ratio = Plan::Binary {
            op: BinOp::Div,
            return_bool: false,
            matching: Matching::default(),
            lhs: Box::new(by_m.clone()),
            rhs: Box::new(Plan::Literal(2.0)),
        };
        assert_eq!(
            vals(&ratio.eval(&data(), &[60 * S]).unwrap()[0]),
            vec![5.5, 2.0]
        );
        let lit = Plan::Binary {
            op: BinOp::Add,
            return_bool: false,
            matching: Matching::default(),
            lhs: Box::new(Plan::Literal(1.0)),
            rhs: Box::new(Plan::Literal(1.0)),
        };
        assert_eq!(lit.eval(&[], &[0]).unwrap()[0], StepValue::Scalar(2.0));
        let re = crate::logql::regex_go::compile_anchored("(.)").unwrap();
        let lr = Plan::LabelReplace {
            inner: Box::new(by_m),
            dst: "n".into(),
            replacement: "x$1".into(),
            src: "m".into(),
            re,
        };
        let StepValue::Vector(v) = &lr.eval(&data(), &[60 * S]).unwrap()[0] else {
            panic!()
        };
        assert_eq!(v[0].0.get("n").map(String::as_str), Some("xa"));
    }

    #[test]
    fn absent_and_offset() {
        let p = range(RangeOp::Absent, 10, false, None);
        let out = p.eval(&data(), &[10 * S, 50 * S]).unwrap();
        assert_eq!(out[0], StepValue::Vector(Vec::new()));
        assert_eq!(vals(&out[1]), vec![1.0]);
        let Plan::Range(mut r) = range(RangeOp::Count, 10, false, None) else {
            unreachable!()
        };
        r.offset_ns = 30 * S;
        let shifted = Plan::Range(r);
        assert_eq!(shifted.lookback_ns(), 40 * S);
        // At t=90 the window is (50, 60]: the line at 60.
        assert_eq!(
            vals(&shifted.eval(&data(), &[90 * S]).unwrap()[0]),
            vec![1.0]
        );
    }

    #[test]
    fn errored_series_fail_only_when_aggregated() {
        let mut es = data();
        es.push(entry(75 * S, true, "m=a v=oops"));
        let p = range(RangeOp::Sum, 10, true, Some(Grouping::by(&["m"])));
        // The bad line at 75 s is outside (50, 60] and (90, 100]: no error.
        assert!(p.eval(&es, &[60 * S, 100 * S]).is_ok());
        let e = p.eval(&es, &[80 * S]).unwrap_err();
        assert_eq!(e.message, "pipeline error: bad oops");
    }
}
