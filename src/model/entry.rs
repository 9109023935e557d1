use std::collections::BTreeMap;
use std::sync::Arc;

/// A label set, sorted by name: Loki's canonical order, and a stable identity for a series.
pub type Labels = BTreeMap<String, String>;

/// One log entry as Loki returns it (or as the embedded engine produces it).
///
/// Stream labels are shared (`Arc`) because thousands of entries usually come from a handful of
/// streams; structured metadata and parsed labels are per entry and usually empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// Nanoseconds since the Unix epoch.
    pub ts: i64,
    /// The indexed stream labels.
    pub labels: Arc<Labels>,
    /// The line, exactly as stored (may hold control characters: sanitise before display).
    pub line: String,
    /// Structured metadata attached at ingestion (e.g. `trace_id`, `detected_level`).
    pub metadata: Labels,
    /// Labels added by the query pipeline (`| json`, `| logfmt`, …).
    pub parsed: Labels,
}

impl LogEntry {
    /// An entry with stream labels only.
    pub fn new(ts: i64, labels: Arc<Labels>, line: impl Into<String>) -> Self {
        Self {
            ts,
            labels,
            line: line.into(),
            metadata: Labels::new(),
            parsed: Labels::new(),
        }
    }

    /// The label set Loki reports for this entry when `categorize-labels` is not requested:
    /// stream labels, then structured metadata, then parsed labels (later ones win).
    pub fn all_labels(&self) -> Labels {
        let mut all = (*self.labels).clone();
        for (k, v) in self.metadata.iter().chain(self.parsed.iter()) {
            all.insert(k.clone(), v.clone());
        }
        all
    }

    /// Looks a label up in parsed labels, then structured metadata, then stream labels.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.parsed
            .get(name)
            .or_else(|| self.metadata.get(name))
            .or_else(|| self.labels.get(name))
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_labels_lets_parsed_override_stream() {
        let mut stream = Labels::new();
        stream.insert("level".into(), "info".into());
        stream.insert("app".into(), "x".into());
        let mut e = LogEntry::new(1, Arc::new(stream), "l");
        e.metadata.insert("trace_id".into(), "t1".into());
        e.parsed.insert("level".into(), "error".into());
        let all = e.all_labels();
        assert_eq!(all.get("level").map(String::as_str), Some("error"));
        assert_eq!(all.get("trace_id").map(String::as_str), Some("t1"));
        assert_eq!(e.label("app"), Some("x"));
        assert_eq!(e.label("missing"), None);
    }
}
