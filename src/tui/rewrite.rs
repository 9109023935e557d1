//! "Filter for / filter out" on a field: the rewriting itself lives in [`crate::logql::rewrite`].

pub use crate::logql::quote;
pub use crate::logql::rewrite::filter;
