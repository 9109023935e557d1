//! Metric-query evaluation with Loki's semantics: step grid, range aggregations over log
//! samples, vector aggregations, binary operators.

pub mod agg;
pub mod binop;
pub mod convert;
pub mod grid;
pub mod labels;
pub mod range_fn;
