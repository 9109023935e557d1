//! Sample extraction for metric queries: runs a [`LogRange`]'s pipeline on one entry and yields
//! the series labels and the value a range aggregation consumes (1 per line, the line's bytes,
//! or the unwrapped label converted to a number).

use super::LogqlError;
use super::ast::{Conversion, LogRange};
use super::go_quote;
use super::lexer::parse_bytes;
use super::log_query::{compile_selector, selector_matches};
use super::pipeline::Pipeline;
use super::pipeline::label_filter::{
    CompiledLabelFilter, CompiledMatcher, duration_error, parse_float, parse_float_error,
    parse_go_duration_secs,
};
use super::pipeline::work::{ERROR, Work};
use crate::model::{Labels, LogEntry};

/// Error kind Loki records when an unwrapped value is not a number.
pub const SAMPLE_EXTRACTION_ERR: &str = "SampleExtractionErr";

/// One extracted sample.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtractedSample {
    /// The series labels: every label after the pipeline, minus the unwrapped label.
    pub labels: Labels,
    /// The unwrapped value, or 1.0 without `unwrap` (for `count_over_time`/`rate`).
    pub value: f64,
    /// Byte length of the final line (for `bytes_over_time`/`bytes_rate`).
    pub line_bytes: f64,
    /// The unwrapped label and its value: `by (…)` on the range aggregation can keep it.
    pub unwrapped: Option<(String, String)>,
}

/// A compiled [`LogRange`]: selector, pipeline and unwrap. `Send + Sync`.
#[derive(Debug, Clone)]
pub struct RangeSampler {
    selector: Vec<CompiledMatcher>,
    pipeline: Pipeline,
    unwrap: Option<(String, Conversion, Vec<CompiledLabelFilter>)>,
    /// Errored samples are returned with their labels instead of failing the query.
    errors_grouped: bool,
    /// The `by` labels the pipeline was narrowed to ([`RangeSampler::narrow_to`]), and the
    /// same sorted without repeats.
    narrow_by: Option<Vec<String>>,
    narrow_sorted: Vec<String>,
}

impl RangeSampler {
    /// Compiles a log range (templates and regexes are compiled here).
    pub fn compile(range: &LogRange) -> Result<Self, LogqlError> {
        let unwrap = match &range.unwrap {
            Some(u) => Some((
                u.label.clone(),
                u.conversion,
                u.post_filters
                    .iter()
                    .map(CompiledLabelFilter::compile)
                    .collect::<Result<_, _>>()?,
            )),
            None => None,
        };
        Ok(Self {
            selector: compile_selector(&range.log.selector)?,
            pipeline: Pipeline::compile(&range.log.pipeline)?,
            unwrap,
            errors_grouped: false,
            narrow_by: None,
            narrow_sorted: Vec::new(),
        })
    }

    /// Loki 65e30f8 fails a grouped range aggregation (`… by (…)`, or under `sum [by (…)]`) on
    /// an errored line only when the pipeline never filters on `__error__`: with such a filter
    /// (`| __error__!=""`) the line is counted in its group.
    pub fn group_filtered_errors(&mut self) {
        let mut names = Vec::new();
        if let Some((_, _, post)) = &self.unwrap {
            for f in post {
                f.names(&mut names);
            }
        }
        self.errors_grouped = self.pipeline.filters_error() || names.iter().any(|n| n == ERROR);
    }

    /// For [`Self::sample_by`] with exactly `by`: the pipeline then materialises only the
    /// labels it reads (`by`, the unwrapped label, the unwrap's filters, `__error__`) instead
    /// of every label of every line; an errored line is run again in full for Loki's message.
    pub fn narrow_to(&mut self, by: &[String]) {
        let mut names = by.to_vec();
        names.push(ERROR.to_string());
        if let Some((label, _, post)) = &self.unwrap {
            names.push(label.clone());
            for f in post {
                f.names(&mut names);
            }
        }
        self.pipeline.read_after(&names);
        self.narrow_by = Some(by.to_vec());
        let mut sorted = by.to_vec();
        sorted.sort();
        sorted.dedup();
        self.narrow_sorted = sorted;
    }

    /// Parsers whose labels no later stage reads are not run (for a label-less aggregation).
    pub fn skip_unused_parsers(&mut self) {
        self.pipeline.skip_unused_parsers();
    }

    /// `line_format`s whose line nothing reads are not run (only lines are counted).
    pub fn skip_unread_line_formats(&mut self) {
        self.pipeline.skip_unread_line_formats();
    }

    /// Whether the range unwraps a label (else a sample is 1, or the line's bytes).
    pub fn unwraps(&self) -> bool {
        self.unwrap.is_some()
    }

    /// Whether a stream's labels satisfy the selector.
    pub fn matches_stream(&self, labels: &Labels) -> bool {
        selector_matches(&self.selector, labels)
    }

    /// Cheap raw-line test (leading line filters); `false` = the entry yields no sample.
    pub fn line_prefilter(&self, line: &str) -> bool {
        self.pipeline.prefilter(line)
    }

    /// Runs the pipeline (selector not re-checked). `None`: the entry is filtered out.
    /// `Some(Err(_))`: the entry reaches the aggregation still carrying `__error__`, which
    /// fails the whole query in Loki (the error text is Loki's `pipeline error: …`).
    pub fn sample(&self, entry: &LogEntry) -> Option<Result<ExtractedSample, LogqlError>> {
        self.sample_full(entry)
    }

    /// [`Self::sample`] when the aggregation keeps only the labels `by` names (`count_over_time
    /// … by (…)`, or a `sum by` pushed down): the labels `Grouping::apply` would pick from the
    /// full set (the unwrapped label included), read one by one instead of building the set
    /// for every line; `unwrapped` is then `None`. An errored line still gets its full labels,
    /// for Loki's message.
    pub fn sample_by(
        &self,
        entry: &LogEntry,
        by: &[String],
    ) -> Option<Result<ExtractedSample, LogqlError>> {
        let mut labels = Vec::new();
        Some(
            self.sample_by_into(entry, by, &mut labels)?
                .map(|(value, line_bytes)| ExtractedSample {
                    labels: labels.into_iter().collect(),
                    value,
                    line_bytes,
                    unwrapped: None,
                }),
        )
    }

    /// [`Self::sample_by`] writing the labels into `out` (sorted by name, as a [`Labels`] map
    /// iterates), reusing its strings: no allocation per line once they have grown. Gives the
    /// value and the final line's byte length.
    pub fn sample_by_into(
        &self,
        entry: &LogEntry,
        by: &[String],
        out: &mut Vec<(String, String)>,
    ) -> Option<Result<(f64, f64), LogqlError>> {
        let narrow = self.narrow_by.as_deref() == Some(by);
        let (w, value) = self.run(entry, narrow)?;
        if w.get(ERROR)
            .is_some_and(|e| !e.is_empty() && !self.errors_grouped)
        {
            // Loki's message names the full label set: a narrowed run computed only some.
            let w = if narrow { self.run(entry, false)?.0 } else { w };
            let labels = w.all();
            let kind = labels.get(ERROR).map_or("", String::as_str);
            return Some(Err(pipeline_error(kind, &labels)));
        }
        let sorted;
        let names = if narrow {
            &self.narrow_sorted
        } else {
            let mut v = by.to_vec();
            v.sort();
            v.dedup();
            sorted = v;
            &sorted
        };
        let mut n = 0;
        for k in names {
            let Some(v) = w.get(k) else { continue };
            match out.get_mut(n) {
                Some((ok, ov)) => {
                    ok.clear();
                    ok.push_str(k);
                    ov.clear();
                    ov.push_str(v);
                }
                None => out.push((k.clone(), v.to_string())),
            }
            n += 1;
        }
        out.truncate(n);
        Some(Ok((value, w.line.len() as f64)))
    }

    /// Runs the pipeline and the unwrap: the entry's state and its value (1 without unwrap);
    /// `None` when the entry yields no sample.
    fn run<'e>(&self, entry: &'e LogEntry, narrow: bool) -> Option<(Work<'e>, f64)> {
        let mut w = if narrow {
            self.pipeline.run_narrow(entry)?
        } else {
            // Two passes: cheap rejection with only the labels filters read, full labels for
            // the rest.
            self.pipeline.run(entry)?
        };
        let mut value = 1.0;
        if let Some((label, conv, post)) = &self.unwrap {
            let converted = match w.get(label) {
                // Loki skips the sample of a line without the label (or with it empty).
                None | Some("") => return None,
                Some(text) => convert(text, *conv),
            };
            match converted {
                Ok(v) => value = v,
                Err(details) => w.set_error(SAMPLE_EXTRACTION_ERR, details),
            }
            for f in post {
                if !f.eval(&mut w) {
                    return None;
                }
            }
        }
        Some((w, value))
    }

    fn sample_full(&self, entry: &LogEntry) -> Option<Result<ExtractedSample, LogqlError>> {
        let (w, value) = self.run(entry, false)?;
        let line_bytes = w.line.len() as f64;
        let mut labels = w.all();
        if let Some(kind) = labels
            .get(ERROR)
            .filter(|e| !e.is_empty() && !self.errors_grouped)
        {
            // An errored series keeps every label, the unwrapped one included (as in Loki).
            return Some(Err(pipeline_error(kind, &labels)));
        }
        let unwrapped = match &self.unwrap {
            Some((label, _, _)) => labels.remove_entry(label),
            None => None,
        };
        Some(Ok(ExtractedSample {
            labels,
            value,
            line_bytes,
            unwrapped,
        }))
    }
}

/// Converts an unwrapped label value; the error is Go's wording.
pub fn convert(text: &str, conv: Conversion) -> Result<f64, String> {
    match conv {
        Conversion::Float => parse_float(text).ok_or_else(|| parse_float_error(text)),
        Conversion::Duration => parse_go_duration_secs(text).ok_or_else(|| duration_error(text)),
        Conversion::Bytes => parse_bytes(text.trim()).ok_or_else(|| parse_float_error(text)),
    }
}

/// Prometheus text form of a label set: `{a="x", b="y"}`.
pub fn series_string(labels: &Labels) -> String {
    let parts: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}={}", go_quote(v)))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// Loki's error for a series that reaches an aggregation with `__error__` set.
pub fn pipeline_error(kind: &str, labels: &Labels) -> LogqlError {
    LogqlError::msg(format!(
        "pipeline error: '{kind}' for series: '{}'.\nUse a label filter to intentionally skip this error. (e.g | __error__!=\"{kind}\").\nTo skip all potential errors you can match empty errors.(e.g __error__=\"\")\nThe label filter can also be specified after unwrap. (e.g | unwrap latency | __error__=\"\" )",
        series_string(labels)
    ))
}

#[cfg(test)]
#[path = "sample_tests.rs"]
mod tests;
