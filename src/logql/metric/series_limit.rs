//! Loki's `max_query_series`, enforced while a result is built rather than after it: a query
//! fails as soon as its 501st series appears, so a high-cardinality query (`count_over_time(…
//! | json [1h])` at `--step 1s`) costs what 500 series cost, not what all of them would.

use std::collections::BTreeMap;

use super::eval::StepValue;
use super::grid;
use crate::logql::LogqlError;
use crate::model::{Labels, MetricResult, Point, Series};

/// Loki's default `max_query_series`: a result with more series is refused, as Loki does.
pub const MAX_SERIES: usize = 500;

/// The error of a result that would hold more than [`MAX_SERIES`] series (Loki's text).
fn too_many_series() -> LogqlError {
    LogqlError::msg(format!(
        "maximum number of series ({MAX_SERIES}) reached for a single query; consider reducing query cardinality by adding more specific stream selectors, reducing the time range, or aggregating results with functions like sum(), count() or topk()"
    ))
}

/// Fails when `n` series exceed [`MAX_SERIES`].
pub(super) fn check(n: usize) -> Result<(), LogqlError> {
    if n > MAX_SERIES {
        return Err(too_many_series());
    }
    Ok(())
}

pub(super) fn duplicate_labelset() -> LogqlError {
    LogqlError::msg("vector cannot contain metrics with the same labelset")
}

/// Builds a range query's matrix from its step values (one per step of `steps`, ns), pulling
/// them one at a time and checking the series limit after each: no step after the one that
/// brings the 501st series is evaluated.
pub(super) fn collect_matrix(
    steps: &[i64],
    values: impl Iterator<Item = Result<StepValue, LogqlError>>,
) -> Result<MetricResult, LogqlError> {
    let mut series: BTreeMap<Labels, Vec<Point>> = BTreeMap::new();
    for (t, v) in steps.iter().zip(values) {
        let t_ms = grid::to_ms(*t);
        let elements = match v? {
            StepValue::Scalar(x) => vec![(Labels::new(), x)],
            StepValue::Vector(v) => v,
        };
        check(elements.len())?;
        for (labels, x) in elements {
            let points = series.entry(labels).or_default();
            if points.last().is_some_and(|p| p.t_ms == t_ms) {
                return Err(duplicate_labelset());
            }
            points.push(Point { t_ms, v: x });
        }
        check(series.len())?;
    }
    Ok(MetricResult::Matrix(
        series
            .into_iter()
            .map(|(metric, points)| Series { metric, points })
            .collect(),
    ))
}
