//! Metric-query evaluation with Loki's semantics: step grid, range aggregations over log
//! samples, vector aggregations, binary operators.

pub mod agg;
pub mod binop;
pub mod eval;
pub mod extract;
mod glue;
pub mod grid;
pub mod labels;
mod query;
pub mod range_fn;

pub use query::MetricQuery;
