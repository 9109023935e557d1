//! Sample extraction: runs one log range's pipeline over raw entries and turns what survives
//! into series of samples — 1 per line, the line's byte length, or an unwrapped label's value.

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::Arc;

use super::convert::Conversion;
use super::labels::Grouping;
use crate::model::{Labels, LogEntry};

/// The per-entry log pipeline of one log range, as metric evaluation needs it.
pub trait EntryPipeline: Debug + Send + Sync {
    /// Whether a stream's labels satisfy the selector.
    fn matches_stream(&self, labels: &Labels) -> bool;
    /// Cheap test on the raw line (leading line filters); `true` means "maybe".
    fn line_prefilter(&self, line: &str) -> bool;
    /// Runs the stages on one entry; `None` when the entry is dropped.
    fn process(&self, entry: &LogEntry) -> Option<LogEntry>;
}

/// Label filters that follow `unwrap` (usually `| __error__=""`).
pub trait PostFilter: Debug + Send + Sync {
    /// Applies the filters; `None` drops the sample.
    fn apply(&self, entry: LogEntry) -> Option<LogEntry>;
}

/// `| unwrap [conv(]label[)] | post filters`.
#[derive(Debug, Clone)]
pub struct UnwrapSpec {
    pub label: String,
    pub conversion: Conversion,
    pub post: Option<Arc<dyn PostFilter>>,
}

/// Series (label set → samples sorted by time), sorted by labels.
pub type SeriesSet = Vec<(Labels, Vec<(i64, f64)>)>;

/// How one range aggregation gets its samples.
#[derive(Debug, Clone)]
pub struct Extractor {
    pub pipeline: Arc<dyn EntryPipeline>,
    pub unwrap: Option<UnwrapSpec>,
    /// `by`/`without` of an unwrap-based range aggregation.
    pub grouping: Option<Grouping>,
    /// Samples are line byte lengths (`bytes_over_time`, `bytes_rate`).
    pub bytes: bool,
}

const ERROR: &str = "__error__";
const ERROR_DETAILS: &str = "__error_details__";

impl Extractor {
    /// Extracts the series from entries (sorted by ts) with `lo < ts <= hi`.
    pub fn extract(&self, entries: &[LogEntry], lo: i64, hi: i64) -> SeriesSet {
        let start = entries.partition_point(|e| e.ts <= lo);
        let mut index: HashMap<Labels, usize> = HashMap::new();
        let mut series: SeriesSet = Vec::new();
        let mut last_stream: Option<(*const Labels, bool)> = None;
        for e in &entries[start..] {
            if e.ts > hi {
                break;
            }
            let ptr = Arc::as_ptr(&e.labels);
            let stream_ok = match last_stream {
                Some((p, ok)) if p == ptr => ok,
                _ => {
                    let ok = self.pipeline.matches_stream(&e.labels);
                    last_stream = Some((ptr, ok));
                    ok
                }
            };
            if !stream_ok || !self.pipeline.line_prefilter(&e.line) {
                continue;
            }
            let Some(out) = self.pipeline.process(e) else {
                continue;
            };
            let Some((labels, value)) = self.sample(out) else {
                continue;
            };
            let k = *index.entry(labels.clone()).or_insert_with(|| {
                series.push((labels, Vec::new()));
                series.len() - 1
            });
            series[k].1.push((e.ts, value));
        }
        series.sort_by(|a, b| a.0.cmp(&b.0));
        series
    }

    /// The sample one processed entry gives, with its series labels.
    fn sample(&self, mut out: LogEntry) -> Option<(Labels, f64)> {
        let value = match &self.unwrap {
            None if self.bytes => out.line.len() as f64,
            None => 1.0,
            Some(u) => {
                let text = out.label(&u.label).unwrap_or_default().to_string();
                let v = match u.conversion.convert(&text) {
                    Ok(v) => v,
                    Err(details) => {
                        if out.label(ERROR).is_none() {
                            out.parsed
                                .insert(ERROR.into(), "SampleExtractionErr".into());
                            out.parsed.insert(ERROR_DETAILS.into(), details);
                        }
                        0.0
                    }
                };
                if let Some(post) = &u.post {
                    out = post.apply(out)?;
                }
                v
            }
        };
        let all = out.all_labels();
        // An errored sample keeps every label, so the error is reported, not grouped away.
        if all.contains_key(ERROR) {
            return Some((all, value));
        }
        let unwrapped = self.unwrap.as_ref().map(|u| u.label.as_str());
        let labels = match &self.grouping {
            Some(g) if !g.without => g.apply(&all),
            Some(g) => {
                let mut l = g.apply(&all);
                if let Some(u) = unwrapped {
                    l.remove(u);
                }
                l
            }
            None => {
                let mut l = all;
                if let Some(u) = unwrapped {
                    l.remove(u);
                }
                l
            }
        };
        Some((labels, value))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A test pipeline: keeps streams with `app`, parses `k=v` words into labels.
    #[derive(Debug)]
    pub struct KvPipeline;

    impl EntryPipeline for KvPipeline {
        fn matches_stream(&self, labels: &Labels) -> bool {
            labels.contains_key("app")
        }
        fn line_prefilter(&self, line: &str) -> bool {
            !line.contains("skip")
        }
        fn process(&self, entry: &LogEntry) -> Option<LogEntry> {
            let mut out = entry.clone();
            for w in entry.line.split(' ') {
                if let Some((k, v)) = w.split_once('=') {
                    out.parsed.insert(k.into(), v.into());
                }
            }
            Some(out)
        }
    }

    #[derive(Debug)]
    pub struct NoErrors;

    impl PostFilter for NoErrors {
        fn apply(&self, entry: LogEntry) -> Option<LogEntry> {
            entry.label(ERROR).is_none().then_some(entry)
        }
    }

    pub fn entry(ts: i64, app: bool, line: &str) -> LogEntry {
        let mut l = Labels::new();
        if app {
            l.insert("app".into(), "x".into());
        }
        LogEntry::new(ts, Arc::new(l), line)
    }

    fn ex(unwrap: Option<UnwrapSpec>, grouping: Option<Grouping>, bytes: bool) -> Extractor {
        Extractor {
            pipeline: Arc::new(KvPipeline),
            unwrap,
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
        let s = ex(None, None, false).extract(&es, 1, 5);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].0.get("a").map(String::as_str), Some("1"));
        assert_eq!(s[0].1, vec![(2, 1.0)]);
        assert_eq!(s[1].1, vec![(5, 1.0)]);
        let b = ex(None, None, true).extract(&es, 0, 2);
        assert_eq!(b[0].1, vec![(1, 3.0), (2, 3.0)]);
    }

    #[test]
    fn unwrap_drops_the_label_and_groups() {
        let es = vec![
            entry(1, true, "d=1.5 t=a"),
            entry(2, true, "d=2 t=a"),
            entry(3, true, "d=x t=b"),
        ];
        let u = UnwrapSpec {
            label: "d".into(),
            conversion: Conversion::Number,
            post: Some(Arc::new(NoErrors)),
        };
        let s = ex(Some(u.clone()), None, false).extract(&es, 0, 10);
        assert_eq!(s.len(), 1);
        assert!(!s[0].0.contains_key("d"));
        assert_eq!(s[0].1, vec![(1, 1.5), (2, 2.0)]);
        let by = ex(Some(u.clone()), Some(Grouping::by(&["t"])), false).extract(&es, 0, 10);
        assert_eq!(
            by[0].0,
            [("t".to_string(), "a".to_string())].into_iter().collect()
        );
        // Without the post filter, the bad value becomes an errored series with all labels.
        let raw = UnwrapSpec { post: None, ..u };
        let s = ex(Some(raw), Some(Grouping::by(&["t"])), false).extract(&es, 0, 10);
        let errored = s.iter().find(|(l, _)| l.contains_key(ERROR)).unwrap();
        assert_eq!(
            errored.0.get(ERROR).map(String::as_str),
            Some("SampleExtractionErr")
        );
        assert_eq!(
            errored.0.get(ERROR_DETAILS).map(String::as_str),
            Some("strconv.ParseFloat: parsing \"x\": invalid syntax")
        );
        assert_eq!(errored.0.get("d").map(String::as_str), Some("x"));
    }
}
