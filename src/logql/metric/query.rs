//! `MetricQuery`: compiles a parsed metric expression into an evaluation plan and runs it as
//! Loki's `query_range` (matrix on the step grid) or `query` (vector or scalar at one instant).

use std::sync::Arc;

use super::binop::{Card, Matching};
use super::eval::{Plan, RangePlan, StepValue};
use super::extract::{Extractor, SampleSource};
use super::labels::Grouping;
use super::range_fn::RangeOp;
use super::sampling::{SampleSet, Sampling};
use super::{glue, grid, pushdown, series_limit};
use crate::logql::{LogqlError, ast};
use crate::model::{Labels, LogEntry, MetricResult, Point, Sample};

/// Loki's default `max_query_length`, 30d1h.
const MAX_QUERY_LENGTH_NS: i64 = (30 * 24 + 1) * 3_600 * 1_000_000_000;

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

    fn with_plan(mut plan: Plan) -> Result<Self, LogqlError> {
        pushdown::narrow(&mut plan);
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
        (
            first.saturating_sub(self.lookback_ns()),
            last.saturating_add(self.lookahead_ns()),
        )
    }

    /// How far after a step a window reaches (the largest negative offset), ns.
    pub fn lookahead_ns(&self) -> i64 {
        let ranges = self.plan.ranges();
        ranges
            .iter()
            .map(|r| r.offset_ns.saturating_neg().max(0))
            .max()
            .unwrap_or(0)
    }

    /// Loki's `max_query_length` (30d1h) for a range query: the step grid's span plus the
    /// longest range of any range vector (`sum(rate({…}[1y]))` is refused however short the
    /// query range); offsets do not count, and instant queries are not checked.
    fn check_query_length(&self, steps: &[i64]) -> Result<(), LogqlError> {
        let span = match (steps.first(), steps.last()) {
            (Some(a), Some(b)) => b - a,
            _ => 0,
        };
        let ranges = self.plan.ranges();
        let longest = ranges.iter().map(|r| r.range_ns).max().unwrap_or(0);
        let length = span.saturating_add(longest);
        if length > MAX_QUERY_LENGTH_NS {
            return Err(LogqlError::msg(format!(
                "the query time range exceeds the limit (query length: {}, limit: 30d1h)",
                crate::timespec::format_go_duration(length)
            )));
        }
        Ok(())
    }

    /// Evaluates on Loki's step grid. `entries` are raw (un-piped) entries, in input order
    /// (a source reads lines in file order, whatever their times).
    pub fn eval_range(
        &self,
        entries: &[LogEntry],
        start_ns: i64,
        end_ns: i64,
        step_ms: i64,
    ) -> Result<MetricResult, LogqlError> {
        let sampling = self.range_sampling(start_ns, end_ns, step_ms)?;
        let set = sampling.add_all(entries);
        sampling.finish(set)
    }

    /// Evaluates at one instant (Loki's `/query`): a vector, or a scalar for literals.
    pub fn eval_instant(
        &self,
        entries: &[LogEntry],
        time_ns: i64,
    ) -> Result<MetricResult, LogqlError> {
        let sampling = self.instant_sampling(time_ns);
        let set = sampling.add_all(entries);
        sampling.finish(set)
    }

    /// A range query (`query_range`) to feed entries to one at a time ([`Sampling::add`]),
    /// from any number of threads ([`SampleSet::absorb`]), then [`Sampling::finish`].
    pub fn range_sampling(
        &self,
        start_ns: i64,
        end_ns: i64,
        step_ms: i64,
    ) -> Result<Sampling<'_>, LogqlError> {
        let steps = grid::steps(start_ns, end_ns, step_ms)?;
        self.check_query_length(&steps)?;
        Ok(Sampling::new(&self.plan, steps, false))
    }

    /// An instant query (`query`) at `time_ns`, fed like [`MetricQuery::range_sampling`].
    pub fn instant_sampling(&self, time_ns: i64) -> Sampling<'_> {
        Sampling::new(&self.plan, vec![time_ns], true)
    }
}

impl Sampling<'_> {
    /// Evaluates the plan on the samples gathered: a matrix for a range query (refused as
    /// soon as a step brings the 501st series), a vector or scalar for an instant.
    pub fn finish(self, set: SampleSet) -> Result<MetricResult, LogqlError> {
        let tables = self.tables(set);
        if !self.instant {
            let steps = self.steps.clone();
            return series_limit::collect_matrix(&steps, self.plan.steps(tables, self.steps));
        }
        let time_ns = self.steps.first().copied().unwrap_or(0);
        let t_ms = grid::to_ms(time_ns);
        let value = self
            .plan
            .steps(tables, vec![time_ns])
            .next()
            .transpose()?
            .unwrap_or(StepValue::Vector(Vec::new()));
        Ok(match value {
            StepValue::Scalar(v) => MetricResult::Scalar(Point { t_ms, v }),
            StepValue::Vector(mut v) => {
                let keep_order = matches!(
                    self.plan,
                    Plan::Vector {
                        op: ast::VectorOp::Sort | ast::VectorOp::SortDesc,
                        ..
                    }
                );
                if !keep_order {
                    v.sort_by(|a, b| a.0.cmp(&b.0));
                }
                series_limit::check(v.len())?;
                if v.windows(2).any(|w| w[0].0 == w[1].0) {
                    return Err(series_limit::duplicate_labelset());
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

fn grouping(g: &Option<ast::Grouping>) -> Option<Grouping> {
    g.as_ref().map(|g| Grouping {
        without: g.without,
        labels: g.labels.clone(),
    })
}

fn plan(e: &ast::MetricExpr) -> Result<Plan, LogqlError> {
    Ok(match e {
        ast::MetricExpr::Range(r) => Plan::Range(range_plan(r, false, None)?),
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
            let needs_k = matches!(v.op, ast::VectorOp::Topk | ast::VectorOp::Bottomk);
            if needs_k && k.is_none() {
                return Err(LogqlError::msg(format!(
                    "parse error : {} requires a parameter",
                    v.op.name()
                )));
            }
            let inner = match &*v.expr {
                ast::MetricExpr::Range(r) => {
                    Plan::Range(range_plan(r, needs_no_labels(v), sum_pushdown(v))?)
                }
                inner => plan(inner)?,
            };
            Plan::Vector {
                op: v.op,
                k: k.unwrap_or(0),
                grouping: grouping(&v.grouping),
                inner: Box::new(inner),
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
                op: b.op,
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

/// Loki pushes a label-less `sum` (no `by`, or `by ()`) into a counting range aggregation over
/// it, and then parsers whose labels nothing reads are not run at all (so they set no
/// `__error__`): `sum(count_over_time({…} | json [1h]))` succeeds on non-JSON lines.
fn needs_no_labels(v: &ast::VectorAggregation) -> bool {
    use ast::RangeOp as R;
    let ast::MetricExpr::Range(r) = &*v.expr else {
        return false;
    };
    v.op == ast::VectorOp::Sum
        && v.grouping
            .as_ref()
            .is_none_or(|g| !g.without && g.labels.is_empty())
        && r.grouping.is_none()
        && r.range.unwrap.is_none()
        && matches!(
            r.op,
            R::CountOverTime | R::Rate | R::BytesOverTime | R::BytesRate
        )
}

/// Only lines are counted: Loki skips a `line_format` whose output nothing reads.
fn counts_lines(r: &ast::RangeAggregation) -> bool {
    use ast::RangeOp as R;
    r.range.unwrap.is_none() && matches!(r.op, R::CountOverTime | R::Rate)
}

/// The `by` labels of a `sum [by (…)]` right over a range aggregation Loki pushes its grouping
/// into (observed on 65e30f8): then `sum by (status) (sum_over_time(… | unwrap status …))`
/// keeps `status`, and errored lines of a pipeline that filters on `__error__` are counted in
/// their group instead of failing the query.
fn sum_pushdown(v: &ast::VectorAggregation) -> Option<Vec<String>> {
    use ast::RangeOp as R;
    let ast::MetricExpr::Range(r) = &*v.expr else {
        return None;
    };
    let by = match &v.grouping {
        None => Vec::new(),
        Some(g) if !g.without => g.labels.clone(),
        Some(_) => return None,
    };
    (v.op == ast::VectorOp::Sum
        && r.grouping.is_none()
        && matches!(
            r.op,
            R::CountOverTime | R::Rate | R::BytesOverTime | R::BytesRate | R::SumOverTime
        ))
    .then_some(by)
}

fn range_plan(
    r: &ast::RangeAggregation,
    no_labels: bool,
    pushed: Option<Vec<String>>,
) -> Result<RangePlan, LogqlError> {
    let op = RangeOp::from_name(r.op.name(), r.param).ok_or_else(|| {
        LogqlError::msg(format!(
            "parse error : {} requires a parameter",
            r.op.name()
        ))
    })?;
    let absent_labels = absent_labels(&r.range.log.selector);
    let grouped = r.grouping.is_some() || pushed.is_some();
    let mut range_grouping = grouping(&r.grouping);
    if range_grouping.is_none() && r.range.unwrap.is_some() {
        range_grouping = pushed.map(|labels| Grouping {
            without: false,
            labels,
        });
    }
    Ok(RangePlan {
        op,
        extractor: Extractor {
            source: glue::sample_source(&r.range, no_labels, counts_lines(r), grouped)?,
            grouping: range_grouping,
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

#[cfg(test)]
#[path = "query_limit_tests.rs"]
mod limit_tests;
