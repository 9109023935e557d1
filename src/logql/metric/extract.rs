//! Sample extraction: runs one log range's pipeline over raw entries and groups what survives
//! into series of samples — 1 per line, the line's byte length, or an unwrapped label's value.

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::Arc;

use super::labels::Grouping;
use crate::logql::LogqlError;
use crate::model::{Labels, LogEntry};

/// What one entry yields for a range aggregation.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Every label after the pipeline, minus the unwrapped label.
    pub labels: Labels,
    /// The unwrapped value, or 1 without `unwrap`.
    pub value: f64,
    /// Byte length of the final line.
    pub line_bytes: f64,
}

/// The per-entry pipeline of one log range (selector, stages, unwrap), as metric evaluation
/// needs it.
pub trait SampleSource: Debug + Send + Sync {
    /// Whether a stream's labels satisfy the selector.
    fn matches_stream(&self, labels: &Labels) -> bool;
    /// Cheap test on the raw line (leading line filters); `true` means "maybe".
    fn line_prefilter(&self, line: &str) -> bool;
    /// Runs the pipeline on one entry: `None` when dropped, `Some(Err)` when the entry still
    /// carries `__error__` (Loki's `pipeline error`, raised if it reaches an aggregation).
    fn sample(&self, entry: &LogEntry) -> Option<Result<Sample, LogqlError>>;
}

/// One series: its labels, samples sorted by time, and the error it stands for, if any.
#[derive(Debug, Clone)]
pub struct SeriesSamples {
    pub labels: Labels,
    pub samples: Vec<(i64, f64)>,
    pub error: Option<LogqlError>,
}

/// How one range aggregation gets its samples.
#[derive(Debug, Clone)]
pub struct Extractor {
    pub source: Arc<dyn SampleSource>,
    /// `by`/`without` of an unwrap-based range aggregation.
    pub grouping: Option<Grouping>,
    /// Samples are line byte lengths (`bytes_over_time`, `bytes_rate`).
    pub bytes: bool,
}

impl Extractor {
    /// Extracts the series from entries (sorted by ts) with `lo < ts <= hi`, sorted by labels.
    /// Errored entries form their own series (one per error text) carrying the error.
    pub fn extract(&self, entries: &[LogEntry], lo: i64, hi: i64) -> Vec<SeriesSamples> {
        let start = entries.partition_point(|e| e.ts <= lo);
        let mut index: HashMap<Labels, usize> = HashMap::new();
        let mut errors: HashMap<String, usize> = HashMap::new();
        let mut series: Vec<SeriesSamples> = Vec::new();
        let mut last_stream: Option<(*const Labels, bool)> = None;
        for e in &entries[start..] {
            if e.ts > hi {
                break;
            }
            let ptr = Arc::as_ptr(&e.labels);
            let stream_ok = match last_stream {
                Some((p, ok)) if p == ptr => ok,
                _ => {
                    let ok = self.source.matches_stream(&e.labels);
                    last_stream = Some((ptr, ok));
                    ok
                }
            };
            if !stream_ok || !self.source.line_prefilter(&e.line) {
                continue;
            }
            let k = match self.source.sample(e) {
                None => continue,
                Some(Ok(s)) => {
                    let value = if self.bytes { s.line_bytes } else { s.value };
                    let labels = match &self.grouping {
                        Some(g) => g.apply(&s.labels),
                        None => s.labels,
                    };
                    let k = *index.entry(labels.clone()).or_insert_with(|| {
                        series.push(SeriesSamples {
                            labels,
                            samples: Vec::new(),
                            error: None,
                        });
                        series.len() - 1
                    });
                    series[k].samples.push((e.ts, value));
                    continue;
                }
                Some(Err(err)) => *errors.entry(err.message.clone()).or_insert_with(|| {
                    series.push(SeriesSamples {
                        labels: Labels::new(),
                        samples: Vec::new(),
                        error: Some(err),
                    });
                    series.len() - 1
                }),
            };
            series[k].samples.push((e.ts, 0.0));
        }
        series.sort_by(|a, b| a.labels.cmp(&b.labels));
        series
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A test source: keeps streams with `app`, parses `k=v` words into labels, unwraps `v`
    /// when asked; a `v` that is not a number is an error.
    #[derive(Debug)]
    pub struct KvSource {
        pub unwrap: bool,
    }

    impl SampleSource for KvSource {
        fn matches_stream(&self, labels: &Labels) -> bool {
            labels.contains_key("app")
        }
        fn line_prefilter(&self, line: &str) -> bool {
            !line.contains("skip")
        }
        fn sample(&self, entry: &LogEntry) -> Option<Result<Sample, LogqlError>> {
            let mut labels = (*entry.labels).clone();
            for w in entry.line.split(' ') {
                if let Some((k, v)) = w.split_once('=') {
                    labels.insert(k.into(), v.into());
                }
            }
            let mut value = 1.0;
            if self.unwrap {
                let v = labels.remove("v").unwrap_or_default();
                match v.parse() {
                    Ok(x) => value = x,
                    Err(_) => {
                        return Some(Err(LogqlError::msg(format!("pipeline error: bad {v}"))));
                    }
                }
            }
            Some(Ok(Sample {
                labels,
                value,
                line_bytes: entry.line.len() as f64,
            }))
        }
    }

    pub fn entry(ts: i64, app: bool, line: &str) -> LogEntry {
        let mut l = Labels::new();
        if app {
            l.insert("app".into(), "x".into());
        }
        LogEntry::new(ts, Arc::new(l), line)
    }

    fn ex(unwrap: bool, grouping: Option<Grouping>, bytes: bool) -> Extractor {
        Extractor {
            source: Arc::new(KvSource { unwrap }),
            grouping,
            bytes,
        }
    }

    #[test]
    fn counts_per_label_set_in_window() {
        let es = vec![
            entry(1, true, "a=1"),
            entry(2, true, "a=1"),
            entry(3, false, "a=1"),
            entry(4, true, "a=2 skip"),
            entry(5, true, "a=2"),
            entry(9, true, "a=1"),
        ];
        let s = ex(false, None, false).extract(&es, 1, 5);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].labels.get("a").map(String::as_str), Some("1"));
        assert_eq!(s[0].samples, vec![(2, 1.0)]);
        assert_eq!(s[1].samples, vec![(5, 1.0)]);
        let b = ex(false, None, true).extract(&es, 0, 2);
        assert_eq!(b[0].samples, vec![(1, 3.0), (2, 3.0)]);
    }

    #[test]
    fn grouping_and_errors() {
        let es = vec![
            entry(1, true, "v=1.5 t=a u=1"),
            entry(2, true, "v=2 t=a u=2"),
            entry(3, true, "v=x t=b"),
        ];
        let by = ex(true, Some(Grouping::by(&["t"])), false).extract(&es, 0, 10);
        assert_eq!(by.len(), 2);
        let t_a = by
            .iter()
            .find(|s| s.labels.get("t").is_some_and(|v| v == "a"))
            .unwrap();
        assert_eq!(t_a.labels.len(), 1);
        assert_eq!(t_a.samples, vec![(1, 1.5), (2, 2.0)]);
        let errored = by.iter().find(|s| s.error.is_some()).unwrap();
        assert_eq!(errored.samples, vec![(3, 0.0)]);
        assert_eq!(
            errored.error.as_ref().unwrap().message,
            "pipeline error: bad x"
        );
        let without = ex(true, Some(Grouping::without(&["u"])), false).extract(&es[..2], 0, 10);
        assert_eq!(without.len(), 1);
        assert!(!without[0].labels.contains_key("u"));
    }
}
