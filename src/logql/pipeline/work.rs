//! The state of one entry while it runs through the pipeline: the current line and the label
//! set as Loki's labels builder sees it (stream labels, structured metadata, parsed labels,
//! minus removed ones), kept as small vectors because most entries carry a dozen labels.

use std::borrow::Cow;
use std::sync::Arc;

use crate::logql::template::TemplateContext;
use crate::model::{Labels, LogEntry};

/// Label name of a pipeline error.
pub const ERROR: &str = "__error__";
/// Label name of a pipeline error's details.
pub const ERROR_DETAILS: &str = "__error_details__";

/// One entry in flight.
pub struct Work<'e> {
    pub entry: &'e LogEntry,
    pub line: Cow<'e, str>,
    /// Labels added by stages, in insertion order, names unique.
    pub parsed: Vec<(String, String)>,
    /// Stream/metadata labels removed by `drop`, `keep` or a rename.
    pub removed: Vec<String>,
    /// Set when a parser ran restricted to the labels later filters need: the output pass must
    /// run the pipeline again in full.
    pub partial: bool,
}

impl<'e> Work<'e> {
    pub fn new(entry: &'e LogEntry) -> Self {
        Self {
            entry,
            line: Cow::Borrowed(entry.line.as_str()),
            // Raw entries have none; an already processed entry keeps its parsed labels.
            parsed: entry
                .parsed
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            removed: Vec::new(),
            partial: false,
        }
    }

    /// A label's current value.
    #[inline]
    pub fn get(&self, name: &str) -> Option<&str> {
        if let Some((_, v)) = self.parsed.iter().find(|(k, _)| k == name) {
            return Some(v);
        }
        if !self.removed.is_empty() && self.removed.iter().any(|r| r == name) {
            return None;
        }
        self.entry
            .metadata
            .get(name)
            .or_else(|| self.entry.labels.get(name))
            .map(String::as_str)
    }

    /// Whether the stream labels hold `name` (parsers then write `<name>_extracted`).
    #[inline]
    pub fn base_has(&self, name: &str) -> bool {
        self.entry.labels.contains_key(name)
    }

    /// Sets a label (a parsed label shadows a stream or metadata label of the same name).
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        if let Some(slot) = self.parsed.iter_mut().find(|(k, _)| k == name) {
            slot.1 = value;
        } else {
            self.parsed.push((name.to_string(), value));
        }
    }

    /// Sets a label written by a parser: renamed to `<name>_extracted` on collision with a
    /// stream label.
    pub fn set_extracted(&mut self, name: &str, value: impl Into<String>) {
        if self.base_has(name) {
            let n = format!("{name}_extracted");
            self.set(&n, value);
        } else {
            self.set(name, value);
        }
    }

    /// [`Self::set_extracted`] without copying the name (the hot path of `| json`).
    pub fn set_extracted_owned(&mut self, mut name: String, value: String) {
        if self.base_has(&name) {
            name.push_str("_extracted");
        }
        if let Some(slot) = self.parsed.iter_mut().find(|(k, _)| *k == name) {
            slot.1 = value;
        } else {
            self.parsed.push((name, value));
        }
    }

    /// [`Self::set_extracted_owned`] for many labels at once, in time linear in their number
    /// (`| json a1="x", …, a3000="y"` would otherwise search the parsed labels once per label).
    pub fn set_extracted_all(&mut self, pairs: Vec<(String, String)>) {
        if pairs.len() + self.parsed.len() <= 32 {
            for (k, v) in pairs {
                self.set_extracted_owned(k, v);
            }
            return;
        }
        let mut index: std::collections::HashMap<String, usize> = self
            .parsed
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.clone(), i))
            .collect();
        for (mut name, value) in pairs {
            if self.base_has(&name) {
                name.push_str("_extracted");
            }
            match index.get(&name) {
                Some(&i) => self.parsed[i].1 = value,
                None => {
                    index.insert(name.clone(), self.parsed.len());
                    self.parsed.push((name, value));
                }
            }
        }
    }

    /// Removes a label wherever it lives.
    pub fn delete(&mut self, name: &str) {
        self.parsed.retain(|(k, _)| k != name);
        let in_base =
            self.entry.labels.contains_key(name) || self.entry.metadata.contains_key(name);
        if in_base && !self.removed.iter().any(|r| r == name) {
            self.removed.push(name.to_string());
        }
    }

    /// Whether an error label is already set.
    pub fn has_error(&self) -> bool {
        self.get(ERROR).is_some_and(|e| !e.is_empty())
    }

    /// Records a pipeline error unless one is already recorded (Loki keeps the first).
    pub fn set_error(&mut self, kind: &str, details: impl Into<String>) {
        if self.has_error() {
            return;
        }
        self.set(ERROR, kind);
        let details = details.into();
        if !details.is_empty() {
            self.set(ERROR_DETAILS, details);
        }
    }

    /// Records an error over any earlier one: a failing template replaces a parser's error
    /// (Loki 65e30f8: `| json | line_format "{{ .a | .b }}"` on a non-JSON line ends with
    /// `TemplateFormatErr`, fixture C19).
    pub fn replace_error(&mut self, kind: &str, details: impl Into<String>) {
        self.set(ERROR, kind);
        self.set(ERROR_DETAILS, details.into());
    }

    /// Every visible label name and value.
    pub fn all(&self) -> Labels {
        let mut out = Labels::new();
        for (k, v) in self.entry.labels.iter().chain(self.entry.metadata.iter()) {
            if !self.removed.iter().any(|r| r == k) {
                out.insert(k.clone(), v.clone());
            }
        }
        for (k, v) in &self.parsed {
            out.insert(k.clone(), v.clone());
        }
        out
    }

    /// The resulting entry: stream labels (a new set only when some were removed), metadata,
    /// parsed labels and the final line.
    pub fn into_entry(self) -> LogEntry {
        let removed = &self.removed;
        let keep = |k: &String| !removed.iter().any(|r| r == k);
        let labels = if removed.iter().any(|r| self.entry.labels.contains_key(r)) {
            Arc::new(
                self.entry
                    .labels
                    .iter()
                    .filter(|(k, _)| keep(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        } else {
            Arc::clone(&self.entry.labels)
        };
        let metadata = if removed.is_empty() {
            self.entry.metadata.clone()
        } else {
            self.entry
                .metadata
                .iter()
                .filter(|(k, _)| keep(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        LogEntry {
            ts: self.entry.ts,
            labels,
            line: self.line.into_owned(),
            metadata,
            parsed: self.parsed.into_iter().collect(),
        }
    }
}

impl TemplateContext for Work<'_> {
    fn label(&self, name: &str) -> Option<&str> {
        self.get(name)
    }

    fn line(&self) -> &str {
        &self.line
    }

    fn timestamp_ns(&self) -> i64 {
        self.entry.ts
    }
}

/// A frozen view of the labels (for `label_format`, whose templates all see the labels as they
/// were before the stage).
pub struct Snapshot<'a> {
    pub labels: Labels,
    pub line: &'a str,
    pub ts: i64,
}

impl TemplateContext for Snapshot<'_> {
    fn label(&self, name: &str) -> Option<&str> {
        self.labels.get(name).map(String::as_str)
    }

    fn line(&self) -> &str {
        self.line
    }

    fn timestamp_ns(&self) -> i64 {
        self.ts
    }
}
