//! Adapters from the `logql` branch's log pipeline to what sample extraction needs.

use std::sync::Arc;

use super::extract::{EntryPipeline, PostFilter};
use crate::logql::{LogqlError, ast};

/// The compiled pipeline of a log range.
pub fn log_pipeline(log: &ast::LogExpr) -> Result<Arc<dyn EntryPipeline>, LogqlError> {
    let _ = log;
    Err(LogqlError::msg("log pipeline not available yet"))
}

/// The label filters after `unwrap`, compiled; `None` when there are none.
pub fn post_filter(
    filters: &[ast::LabelFilter],
) -> Result<Option<Arc<dyn PostFilter>>, LogqlError> {
    if filters.is_empty() {
        return Ok(None);
    }
    Err(LogqlError::msg(
        "post-unwrap label filters not available yet",
    ))
}
