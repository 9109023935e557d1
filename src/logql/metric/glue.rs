//! Adapter from the log pipeline's per-entry sampler ([`RangeSampler`]) to what sample
//! extraction needs.

use std::sync::Arc;

use super::extract::{Sample, SampleSource};
use crate::logql::sample::RangeSampler;
use crate::logql::{LogqlError, ast};
use crate::model::{Labels, LogEntry};

/// The compiled pipeline (selector, stages, unwrap) of a log range.
pub fn sample_source(range: &ast::LogRange) -> Result<Arc<dyn SampleSource>, LogqlError> {
    Ok(Arc::new(RangeSampler::compile(range)?))
}

impl SampleSource for RangeSampler {
    fn matches_stream(&self, labels: &Labels) -> bool {
        RangeSampler::matches_stream(self, labels)
    }

    fn line_prefilter(&self, line: &str) -> bool {
        RangeSampler::line_prefilter(self, line)
    }

    fn sample(&self, entry: &LogEntry) -> Option<Result<Sample, LogqlError>> {
        Some(RangeSampler::sample(self, entry)?.map(|s| Sample {
            labels: s.labels,
            value: s.value,
            line_bytes: s.line_bytes,
        }))
    }
}
