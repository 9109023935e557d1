//! The series limit (Loki's `max_query_series`) stops a range evaluation at the step that
//! brings the 501st series (issue 12.3).

use super::*;

const S: i64 = 1_000_000_000;

/// The step values of a range query on demand, as `eval_range` pulls them.
fn stepped<'a>(
    q: &'a MetricQuery,
    entries: &[LogEntry],
    steps: &[i64],
) -> impl Iterator<Item = Result<super::super::eval::StepValue, LogqlError>> + 'a {
    let sampling = super::super::sampling::Sampling::new(&q.plan, steps.to_vec(), false);
    let set = sampling.add_all(entries);
    q.plan.steps(sampling.tables(set), steps.to_vec())
}

/// 2,000 series, one new one per second, each in one 1 s window only.
fn one_new_series_per_second() -> Vec<LogEntry> {
    let s: Arc<Labels> = Arc::new([("app".to_string(), "a".to_string())].into_iter().collect());
    (1..=2000)
        .map(|i| LogEntry::new(i * S, s.clone(), format!("id={i}")))
        .collect()
}

#[test]
fn the_series_limit_stops_the_evaluation_at_the_501st_series() {
    // Issue 12.3: the limit used to be checked after every step was evaluated and every
    // series materialised (16 GB for `count_over_time(… | json [1h])` at a 1 s step).
    let many = one_new_series_per_second();
    let steps = grid::steps(S, 2000 * S, 1000).unwrap();
    // Aggregated: the inner range has 2,000 series, the result one per `id`.
    let q =
        MetricQuery::compile(r#"sum by (id) (count_over_time({app="a"} | logfmt [1s]))"#).unwrap();
    let mut pulled = 0;
    let values = stepped(&q, &many, &steps).inspect(|_| pulled += 1);
    let e = series_limit::collect_matrix(&steps, values).unwrap_err();
    assert!(
        e.message.starts_with("maximum number of series (500)"),
        "{e}"
    );
    assert_eq!(
        pulled,
        501,
        "steps evaluated before failing, of {}",
        steps.len()
    );
    assert!(q.eval_range(&many, S, 2000 * S, 1000).is_err());
    // The same data under the limit works, and so does an aggregation that stays under it.
    assert!(q.eval_range(&many[..500], S, 500 * S, 1000).is_ok());
    let total = MetricQuery::compile(r#"sum(count_over_time({app="a"} | logfmt [1s]))"#).unwrap();
    assert!(total.eval_range(&many, S, 2000 * S, 1000).is_ok());
}

#[test]
fn a_bare_range_aggregation_stops_at_the_501st_series_too() {
    // The whole query is the range aggregation: the table yields one step at a time, so the
    // step that brings the 501st series is the last one computed.
    let many = one_new_series_per_second();
    let q = MetricQuery::compile(r#"count_over_time({app="a"} | logfmt [1s])"#).unwrap();
    let steps = grid::steps(S, 2000 * S, 1000).unwrap();
    let mut pulled = 0;
    let values = stepped(&q, &many, &steps).inspect(|_| pulled += 1);
    let e = series_limit::collect_matrix(&steps, values).unwrap_err();
    assert!(
        e.message.starts_with("maximum number of series (500)"),
        "{e}"
    );
    assert_eq!(pulled, 501);
    // Series that reach no step do not count: with a 10 s step and a 1 s range, only every
    // tenth line is in a window (200 series).
    let MetricResult::Matrix(m) = q.eval_range(&many, S, 2000 * S, 10_000).unwrap() else {
        panic!("not a matrix");
    };
    assert_eq!(m.len(), 200);
    // absent_over_time has one result series whatever the input's cardinality.
    let absent = MetricQuery::compile(r#"absent_over_time({app="a"} | logfmt [1s])"#).unwrap();
    assert!(absent.eval_range(&many, S, 2000 * S, 1000).is_ok());
}
