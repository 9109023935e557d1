//! Adapter from the `logql` branch's log pipeline to what sample extraction needs.

use std::sync::Arc;

use super::extract::SampleSource;
use crate::logql::{LogqlError, ast};

/// The compiled pipeline (selector, stages, unwrap) of a log range.
pub fn sample_source(range: &ast::LogRange) -> Result<Arc<dyn SampleSource>, LogqlError> {
    let _ = range;
    Err(LogqlError::msg("log pipeline not available yet"))
}
