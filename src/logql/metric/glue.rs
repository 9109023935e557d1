//! Adapter from the log pipeline's per-entry sampler ([`RangeSampler`]) to what sample
//! extraction needs.

use std::sync::Arc;

use super::extract::{Sample, SampleSource};
use super::labels::Grouping;
use crate::logql::sample::RangeSampler;
use crate::logql::{LogqlError, ast};
use crate::model::{Labels, LogEntry};

/// The compiled pipeline (selector, stages, unwrap) of a log range. `no_labels`: the series
/// labels are not needed, so parsers nothing downstream reads are skipped (as Loki does);
/// `counts_lines`: only lines are counted, so a `line_format` nothing reads is skipped;
/// `grouped`: samples are grouped, so errored lines of a pipeline that filters on `__error__`
/// are grouped too instead of failing the query.
pub fn sample_source(
    range: &ast::LogRange,
    no_labels: bool,
    counts_lines: bool,
    grouped: bool,
) -> Result<Arc<dyn SampleSource>, LogqlError> {
    let mut sampler = RangeSampler::compile(range)?;
    if no_labels {
        sampler.skip_unused_parsers();
    }
    if counts_lines {
        sampler.skip_unread_line_formats();
    }
    if grouped {
        sampler.group_filtered_errors();
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

    fn narrowed(&self, by: &Grouping) -> Option<Arc<dyn SampleSource>> {
        let mut narrow = self.clone();
        narrow.narrow_to(&by.labels);
        Some(Arc::new(narrow))
    }

    fn sample_by_into(
        &self,
        entry: &LogEntry,
        by: &Grouping,
        out: &mut Vec<(String, String)>,
    ) -> Option<Result<(f64, f64), LogqlError>> {
        RangeSampler::sample_by_into(self, entry, &by.labels, out)
    }

    fn sample_by(&self, entry: &LogEntry, by: &Grouping) -> Option<Result<Sample, LogqlError>> {
        Some(
            RangeSampler::sample_by(self, entry, &by.labels)?.map(|s| Sample {
                labels: s.labels,
                value: s.value,
                line_bytes: s.line_bytes,
                unwrapped: s.unwrapped,
            }),
        )
    }
}
