//! A small per-block cache from a line's derived labels to its shared stream label set, so a
//! block of thousands of lines builds a handful of `Labels` maps and tests each stream
//! selector once per stream, not once per line.

use std::sync::Arc;

use super::line::Fast;
use crate::model::Labels;

pub(crate) struct Slot {
    container: Option<String>,
    module: &'static str,
    level: String,
    pub labels: Arc<Labels>,
    /// `detected_level`, as Loki attaches it.
    pub metadata: Labels,
    /// The stream selector's verdict, once asked.
    pub matches: Option<bool>,
}

pub(crate) struct Streams<'a> {
    app: &'a str,
    slots: Vec<Slot>,
}

impl<'a> Streams<'a> {
    pub fn new(app: &'a str) -> Self {
        Self {
            app,
            slots: Vec::new(),
        }
    }

    /// The slot of a classified line's stream, created on first sight.
    pub fn slot(&mut self, f: &Fast<'_>) -> &mut Slot {
        let i = self.index_of(f);
        &mut self.slots[i]
    }

    /// The slot at a position [`Streams::index_of`] gave.
    pub fn slot_at(&mut self, i: usize) -> &mut Slot {
        &mut self.slots[i]
    }

    /// The position of a classified line's stream slot (stable for the cache's life).
    pub fn index_of(&mut self, f: &Fast<'_>) -> usize {
        let found = self.slots.iter().position(|s| {
            s.module == f.module && s.level == f.level && s.container.as_deref() == f.container
        });
        match found {
            Some(i) => i,
            None => {
                let mut labels = Labels::new();
                labels.insert("app".into(), self.app.to_string());
                labels.insert(
                    "container".into(),
                    f.container.unwrap_or(self.app).to_string(),
                );
                labels.insert("level".into(), f.level.to_string());
                labels.insert("module".into(), f.module.to_string());
                labels.insert("service_name".into(), self.app.to_string());
                let mut metadata = Labels::new();
                metadata.insert("detected_level".into(), f.detected.to_string());
                self.slots.push(Slot {
                    container: f.container.map(str::to_string),
                    module: f.module,
                    level: f.level.to_string(),
                    labels: Arc::new(labels),
                    metadata,
                    matches: None,
                });
                self.slots.len() - 1
            }
        }
    }

    pub fn into_slots(self) -> Vec<Slot> {
        self.slots
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::line::{classify_fast, classify_line};

    #[test]
    fn same_stream_shares_labels_and_matches_classify_line() {
        let a = r#"{"level":"info","logger":"vulnsentinel.api"}"#;
        let b = r#"{"event":"x","level":"info","logger":"vulnsentinel.api"}"#;
        let c = r#"{"level":"error","logger":"vulnsentinel.api"}"#;
        let mut s = Streams::new("vulnsentinel");
        let la = Arc::clone(&s.slot(&classify_fast(a)).labels);
        let lb = Arc::clone(&s.slot(&classify_fast(b)).labels);
        let lc = Arc::clone(&s.slot(&classify_fast(c)).labels);
        assert!(Arc::ptr_eq(&la, &lb));
        assert!(!Arc::ptr_eq(&la, &lc));
        assert_eq!(*lc, classify_line(c, "vulnsentinel").labels);
        assert_eq!(s.into_slots().len(), 2);
    }
}
