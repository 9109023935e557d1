//! Metric-query evaluation with Loki's semantics.
//!
//! - Step grid ([`grid`]): range queries are rounded out to multiples of the step from the Unix
//!   epoch (start down, end up); each point's window is `(t - offset - range, t - offset]`;
//!   more than 11,000 points per series is refused, as Loki does.
//! - Samples ([`extract`]): a log range's pipeline runs on raw entries (in parallel chunks);
//!   a sample still carrying `__error__` fails the query once it reaches an aggregation.
//! - Range functions ([`range_fn`]), vector aggregations ([`agg`]), binary operators with
//!   Prometheus vector matching ([`binop`]), `by`/`without` and `label_replace` ([`labels`]).
//! - A point exists only where a window holds samples (no zeros), except `absent_over_time`.
//! - Results with more than 500 series are refused (Loki's default `max_query_series`), as
//!   soon as the 501st appears ([`series_limit`]).

pub mod agg;
pub mod binop;
pub mod eval;
pub mod extract;
mod glue;
pub mod grid;
pub mod labels;
mod pushdown;
mod query;
pub mod range_fn;
mod sampling;
mod series_limit;
mod table;

pub use query::MetricQuery;
pub use sampling::{SampleSet, Sampling};
pub use series_limit::MAX_SERIES;
