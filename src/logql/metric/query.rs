//! `MetricQuery`: compiles a parsed metric expression into an evaluation plan and runs it as
//! Loki's `query_range` (matrix on the step grid) or `query` (vector or scalar at one instant).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::agg::VecOp;
use super::binop::{BinOp, Card, Matching};
use super::eval::{Plan, RangePlan, StepValue};
use super::extract::{Extractor, SampleSource};
use super::labels::Grouping;
use super::range_fn::RangeOp;
use super::{glue, grid, pushdown};
use crate::logql::{LogqlError, ast};
use crate::model::{Labels, LogEntry, MetricResult, Point, Sample, Series};

/// A compiled metric query.
#[derive(Debug, Clone)]
pub struct MetricQuery {
    pub(super) plan: Plan,
    selectors: Vec<Arc<dyn SampleSource>>,
}

impl MetricQuery {
    /// Parses, validates and compiles a metric query.
    pub fn compile(query: &str) -> Result<Self, LogqlError> {
        match crate::logql::parse(query)? {
            ast::Expr::Metric(m) => Self::from_ast(&m),
            ast::Expr::Log(_) => Err(LogqlError::msg(
                "this is a log query; a metric query (for example count_over_time({…}[5m])) is needed here",
            )),
        }
    }

    /// Compiles an already parsed metric expression.
    pub fn from_ast(expr: &ast::MetricExpr) -> Result<Self, LogqlError> {
        let mut plan = plan(expr)?;
        pushdown::push_down(&mut plan);
        Self::with_plan(plan)
    }

    /// The plan as written, without [`pushdown`] (to test that it changes no answer).
    #[cfg(test)]
    pub(super) fn compile_without_push_down(query: &str) -> Self {
        let Ok(ast::Expr::Metric(m)) = crate::logql::parse(query) else {
            panic!("{query}: not a metric query");
        };
        let Ok(q) = plan(&m).and_then(Self::with_plan) else {
            panic!("{query}: does not compile");
        };
        q
    }

    fn with_plan(plan: Plan) -> Result<Self, LogqlError> {
        let selectors = plan
            .ranges()
            .iter()
            .map(|r| Arc::clone(&r.extractor.source))
            .collect();
        Ok(Self { plan, selectors })
    }

    /// Whether any of the query's log selectors could use this entry (stream selector and
    /// leading line filters only): lets a scanner skip the rest early.
    pub fn prefilter(&self, labels: &Labels, line: &str) -> bool {
        self.selectors
            .iter()
            .any(|p| p.matches_stream(labels) && p.line_prefilter(line))
    }

    /// How far before `start` entries are needed (largest range plus offset), ns.
    pub fn lookback_ns(&self) -> i64 {
        self.plan.lookback_ns()
    }

    /// The entries a range evaluation reads, as `(lo, hi]` in ns: the grid is rounded out to
    /// the step (so its last point can fall after `end_ns`, and Loki counts entries up to it),
    /// and each window reaches `range + offset` further back.
    pub fn entries_window(&self, start_ns: i64, end_ns: i64, step_ms: i64) -> (i64, i64) {
        let step_ns = step_ms.max(1).saturating_mul(1_000_000);
        let first = start_ns.div_euclid(step_ns).saturating_mul(step_ns);
        let last = end_ns.div_euclid(step_ns).saturating_mul(step_ns)
            + if end_ns.rem_euclid(step_ns) == 0 {
                0
            } else {
                step_ns
            };
        (first.saturating_sub(self.lookback_ns()), last)
    }

    /// Evaluates on Loki's step grid. `entries` are raw (un-piped) entries sorted by `ts`.
    pub fn eval_range(
        &self,
        entries: &[LogEntry],
        start_ns: i64,
        end_ns: i64,
        step_ms: i64,
    ) -> Result<MetricResult, LogqlError> {
        let steps = grid::steps(start_ns, end_ns, step_ms)?;
        let values = self.plan.eval(entries, &steps)?;
        let mut series: BTreeMap<Labels, Vec<Point>> = BTreeMap::new();
        for (t, v) in steps.iter().zip(values) {
            let t_ms = grid::to_ms(*t);
            let elements = match v {
                StepValue::Scalar(x) => vec![(Labels::new(), x)],
                StepValue::Vector(v) => v,
            };
            for (labels, x) in elements {
                let points = series.entry(labels).or_default();
                if points.last().is_some_and(|p| p.t_ms == t_ms) {
                    return Err(duplicate_labelset());
                }
                points.push(Point { t_ms, v: x });
            }
        }
        check_series_limit(series.len())?;
        Ok(MetricResult::Matrix(
            series
                .into_iter()
                .map(|(metric, points)| Series { metric, points })
                .collect(),
        ))
    }

    /// Evaluates at one instant (Loki's `/query`): a vector, or a scalar for literals.
    pub fn eval_instant(
        &self,
        entries: &[LogEntry],
        time_ns: i64,
    ) -> Result<MetricResult, LogqlError> {
        let t_ms = grid::to_ms(time_ns);
        let value = self
            .plan
            .eval(entries, &[time_ns])?
            .pop()
            .unwrap_or(StepValue::Vector(Vec::new()));
        Ok(match value {
            StepValue::Scalar(v) => MetricResult::Scalar(Point { t_ms, v }),
            StepValue::Vector(mut v) => {
                let keep_order = matches!(
                    self.plan,
                    Plan::Vector {
                        op: VecOp::Sort | VecOp::SortDesc,
                        ..
                    }
                );
                if !keep_order {
                    v.sort_by(|a, b| a.0.cmp(&b.0));
                }
                check_series_limit(v.len())?;
                if v.windows(2).any(|w| w[0].0 == w[1].0) {
                    return Err(duplicate_labelset());
                }
                MetricResult::Vector(
                    v.into_iter()
                        .map(|(metric, v)| Sample {
                            metric,
                            point: Point { t_ms, v },
                        })
                        .collect(),
                )
            }
        })
    }
}

/// Loki's default `max_query_series`: a result with more series is refused, as Loki does.
pub const MAX_SERIES: usize = 500;

fn check_series_limit(n: usize) -> Result<(), LogqlError> {
    if n > MAX_SERIES {
        return Err(LogqlError::msg(format!(
            "maximum number of series ({MAX_SERIES}) reached for a single query; consider reducing query cardinality by adding more specific stream selectors, reducing the time range, or aggregating results with functions like sum(), count() or topk()"
        )));
    }
    Ok(())
}

fn duplicate_labelset() -> LogqlError {
    LogqlError::msg("vector cannot contain metrics with the same labelset")
}

fn grouping(g: &Option<ast::Grouping>) -> Option<Grouping> {
    g.as_ref().map(|g| Grouping {
        without: g.without,
        labels: g.labels.clone(),
    })
}

fn plan(e: &ast::MetricExpr) -> Result<Plan, LogqlError> {
    Ok(match e {
        ast::MetricExpr::Range(r) => Plan::Range(range_plan(r)?),
        ast::MetricExpr::Vector(v) => {
            let k = match v.param {
                Some(p) if p.fract() != 0.0 || p < 0.0 => {
                    return Err(LogqlError::msg(format!(
                        "parse error : invalid parameter {}({p}, …)",
                        v.op.name()
                    )));
                }
                Some(p) => Some(p as usize),
                None => None,
            };
            let op = VecOp::from_ast(v.op, k).ok_or_else(|| {
                LogqlError::msg(format!(
                    "parse error : {} requires a parameter",
                    v.op.name()
                ))
            })?;
            Plan::Vector {
                op,
                grouping: grouping(&v.grouping),
                inner: Box::new(plan(&v.expr)?),
            }
        }
        ast::MetricExpr::Binary(b) => {
            let card = match &b.group {
                None => Card::OneToOne,
                Some(g) if g.left => Card::ManyToOne(g.labels.clone()),
                Some(g) => Card::OneToMany(g.labels.clone()),
            };
            let (on, labels) = b
                .matching
                .as_ref()
                .map_or((false, Vec::new()), |m| (m.on, m.labels.clone()));
            Plan::Binary {
                op: binop(b.op),
                return_bool: b.return_bool,
                matching: Matching { on, labels, card },
                lhs: Box::new(plan(&b.lhs)?),
                rhs: Box::new(plan(&b.rhs)?),
            }
        }
        ast::MetricExpr::Literal(v) => Plan::Literal(*v),
        ast::MetricExpr::VectorLit(v) => Plan::VectorLit(*v),
        ast::MetricExpr::LabelReplace(l) => Plan::LabelReplace {
            inner: Box::new(plan(&l.expr)?),
            dst: l.dst.clone(),
            replacement: l.replacement.clone(),
            src: l.src.clone(),
            re: crate::logql::regex_go::compile_anchored(&l.regex).map_err(|e| {
                LogqlError::msg(format!(
                    "parse error : invalid regex in label_replace(): {e}"
                ))
            })?,
        },
    })
}

/// The labels of `absent_over_time`'s sample, as Prometheus derives them: each equality
/// matcher's value, unless the same name also appears in another matcher.
fn absent_labels(selector: &[ast::Matcher]) -> Labels {
    let mut out = Labels::new();
    let mut conflicting = Vec::new();
    for m in selector {
        if m.op == ast::MatchOp::Eq && !out.contains_key(&m.name) {
            out.insert(m.name.clone(), m.value.clone());
        } else {
            conflicting.push(m.name.as_str());
        }
    }
    for name in conflicting {
        out.remove(name);
    }
    out
}

fn binop(op: ast::BinOp) -> BinOp {
    use ast::BinOp as A;
    match op {
        A::Add => BinOp::Add,
        A::Sub => BinOp::Sub,
        A::Mul => BinOp::Mul,
        A::Div => BinOp::Div,
        A::Mod => BinOp::Mod,
        A::Pow => BinOp::Pow,
        A::Eq => BinOp::Eq,
        A::Neq => BinOp::Ne,
        A::Gt => BinOp::Gt,
        A::Gte => BinOp::Ge,
        A::Lt => BinOp::Lt,
        A::Lte => BinOp::Le,
        A::And => BinOp::And,
        A::Or => BinOp::Or,
        A::Unless => BinOp::Unless,
    }
}

fn range_plan(r: &ast::RangeAggregation) -> Result<RangePlan, LogqlError> {
    let op = RangeOp::from_name(r.op.name(), r.param).ok_or_else(|| {
        LogqlError::msg(format!(
            "parse error : {} requires a parameter",
            r.op.name()
        ))
    })?;
    let absent_labels = absent_labels(&r.range.log.selector);
    Ok(RangePlan {
        op,
        extractor: Extractor {
            source: glue::sample_source(&r.range)?,
            grouping: grouping(&r.grouping),
            bytes: op.uses_bytes(),
        },
        range_ns: r.range.range_ns,
        offset_ns: r.range.offset_ns,
        absent_labels,
    })
}

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
