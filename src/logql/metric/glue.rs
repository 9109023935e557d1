//! Adapter from the log pipeline's per-entry sampler ([`RangeSampler`]) to what sample
//! extraction needs.

use std::sync::Arc;

use super::extract::{Sample, SampleSource};
use crate::logql::sample::RangeSampler;
use crate::logql::{LogqlError, ast};
use crate::model::{Labels, LogEntry};

/// The compiled pipeline (selector, stages, unwrap) of a log range. `no_labels`: the series
/// labels are not needed, so parsers nothing downstream reads are skipped (as Loki does).
pub fn sample_source(
    range: &ast::LogRange,
    no_labels: bool,
) -> Result<Arc<dyn SampleSource>, LogqlError> {
    let mut sampler = RangeSampler::compile(range)?;
    if no_labels {
        sampler.skip_unused_parsers();
    }
    Ok(Arc::new(sampler))
}

impl SampleSource for RangeSampler {
    fn matches_stream(&self, labels: &Labels) -> bool {
        RangeSampler::matches_stream(self, labels)
    }

    fn line_prefilter(&self, line: &str) -> bool {
        RangeSampler::line_prefilter(self, line)
    }

    fn unwraps(&self) -> bool {
        RangeSampler::unwraps(self)
    }

    fn sample(&self, entry: &LogEntry) -> Option<Result<Sample, LogqlError>> {
        Some(RangeSampler::sample(self, entry)?.map(|s| Sample {
            labels: s.labels,
            value: s.value,
            line_bytes: s.line_bytes,
            unwrapped: s.unwrapped,
        }))
    }
}
