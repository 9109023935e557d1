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
        let mut unwrapped = None;
        if self.unwrap {
            let v = labels.remove("v").unwrap_or_default();
            unwrapped = Some(("v".to_string(), v.clone()));
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
            unwrapped,
        }))
    }
    fn unwraps(&self) -> bool {
        self.unwrap
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
fn chunks_merge_in_time_order() {
    let es: Vec<LogEntry> = (0..(CHUNK as i64 * 2 + 10))
        .map(|i| entry(i, true, if i % 2 == 0 { "a=1" } else { "a=2" }))
        .collect();
    let s = ex(false, None, false).extract(&es, -1, i64::MAX);
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].samples.len() + s[1].samples.len(), es.len());
    assert!(
        s.iter()
            .all(|x| x.samples.windows(2).all(|w| w[0].0 < w[1].0))
    );
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
    // `by` naming the unwrapped label keeps it; `without` does not (as in Loki).
    let by_v = ex(true, Some(Grouping::by(&["v"])), false).extract(&es[..2], 0, 10);
    assert_eq!(by_v.len(), 2);
    assert_eq!(by_v[0].labels.get("v").map(String::as_str), Some("1.5"));
    let without = ex(true, Some(Grouping::without(&["u"])), false).extract(&es[..2], 0, 10);
    assert_eq!(without.len(), 1);
    assert!(!without[0].labels.contains_key("u"));
    assert!(!without[0].labels.contains_key("v"));
}
