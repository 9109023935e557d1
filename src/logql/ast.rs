//! The LogQL syntax tree produced by [`super::parser::parse`].
//!
//! Shared by the log pipeline (this branch) and metric evaluation: a metric query is a tree of
//! [`MetricExpr`] whose leaves are [`RangeAggregation`]s over a [`LogRange`] (a log query plus
//! an optional `unwrap`, a range and an offset), literals and `vector(n)`. Durations are
//! nanoseconds. Parentheses leave no node behind.

mod log;
mod metric;

pub use log::*;
pub use metric::*;
