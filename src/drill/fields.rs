//! Statistics of every field of a result set: stream labels, structured metadata and parsed
//! fields (the pipeline's parsed labels and a structlog line's keys), each with its
//! cardinality, top values and, for numeric fields, min/p50/p95/max and a histogram.
//!
//! Memory is bounded per field: at most `max_values` distinct values are counted (later new
//! values go to `other`, and the field says it is capped) and at most `max_samples` numbers
//! are kept for quantiles (a seeded reservoir past that, so runs repeat; flagged `sampled`).

use std::collections::{BTreeMap, HashMap};

use crate::model::{LogEntry, Structlog};

/// Where a field comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldKind {
    Label,
    Metadata,
    Parsed,
}

/// Distribution of a numeric field.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericStats {
    pub min: f64,
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
    /// Equal-width bins from `min` to `max`.
    pub histogram: Vec<u64>,
    /// Quantiles and histogram come from a sample of the values (min and max are exact).
    pub sampled: bool,
}

/// One field over the result set.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldStat {
    pub name: String,
    pub kind: FieldKind,
    /// Entries that have the field.
    pub present: u64,
    /// Distinct values seen (a lower bound when `capped`).
    pub cardinality: usize,
    pub capped: bool,
    /// Most frequent values with their count and share of `present`, most frequent first.
    pub top: Vec<(String, u64, f64)>,
    /// Entries whose value is not in `top`.
    pub other: u64,
    /// Set when every value is a number.
    pub numeric: Option<NumericStats>,
}

/// All fields, labels first, then metadata, then parsed, by name.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldStats {
    pub entries: u64,
    pub fields: Vec<FieldStat>,
}

#[derive(Debug, Default)]
struct Acc {
    present: u64,
    values: HashMap<String, u64>,
    untracked: u64,
    capped: bool,
    non_numeric: u64,
    numbers: u64,
    min: f64,
    max: f64,
    samples: Vec<f64>,
}

/// Accumulates entries; [`FieldStatsBuilder::finish`] gives the statistics.
#[derive(Debug)]
pub struct FieldStatsBuilder {
    max_values: usize,
    max_samples: usize,
    top: usize,
    bins: usize,
    entries: u64,
    fields: BTreeMap<(FieldKind, String), Acc>,
    rng: u64,
}

impl Default for FieldStatsBuilder {
    fn default() -> Self {
        Self::new(1000, 10_000, 10, 10)
    }
}

impl FieldStatsBuilder {
    /// `max_values` distinct values and `max_samples` numbers kept per field; `top` values
    /// and `bins` histogram bins reported.
    pub fn new(max_values: usize, max_samples: usize, top: usize, bins: usize) -> Self {
        Self {
            max_values: max_values.max(1),
            max_samples: max_samples.max(1),
            top,
            bins: bins.max(1),
            entries: 0,
            fields: BTreeMap::new(),
            rng: 0x9E37_79B9_7F4A_7C15,
        }
    }

    /// Adds an entry: its labels, metadata, parsed labels, and the keys of its line when it
    /// is a structlog JSON object (unless the pipeline already parsed a key of that name).
    pub fn add(&mut self, e: &LogEntry) {
        self.entries += 1;
        for (k, v) in e.labels.iter() {
            self.value(FieldKind::Label, k, v);
        }
        for (k, v) in &e.metadata {
            self.value(FieldKind::Metadata, k, v);
        }
        for (k, v) in &e.parsed {
            self.value(FieldKind::Parsed, k, v);
        }
        if let Some(s) = Structlog::parse(&e.line) {
            let mut seen: Vec<&str> = Vec::new();
            // The last occurrence of a repeated key wins, as in `Structlog`.
            for (k, v) in s.entries().iter().rev() {
                if e.parsed.contains_key(k.as_ref()) || seen.contains(&k.as_ref()) || v.is_null() {
                    continue;
                }
                seen.push(k);
                self.value(FieldKind::Parsed, k, &v.display());
            }
        }
    }

    fn value(&mut self, kind: FieldKind, key: &str, value: &str) {
        let acc = match self.fields.get_mut(&(kind, key.to_string())) {
            Some(a) => a,
            None => self.fields.entry((kind, key.to_string())).or_default(),
        };
        acc.present += 1;
        if let Some(n) = acc.values.get_mut(value) {
            *n += 1;
        } else if acc.values.len() < self.max_values {
            acc.values.insert(value.to_string(), 1);
        } else {
            acc.untracked += 1;
            acc.capped = true;
        }
        match value.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => {
                if acc.numbers == 0 {
                    acc.min = x;
                    acc.max = x;
                }
                acc.min = acc.min.min(x);
                acc.max = acc.max.max(x);
                acc.numbers += 1;
                if acc.samples.len() < self.max_samples {
                    acc.samples.push(x);
                } else {
                    // Reservoir sampling with a fixed-seed xorshift: same input, same sample.
                    self.rng ^= self.rng << 13;
                    self.rng ^= self.rng >> 7;
                    self.rng ^= self.rng << 17;
                    let j = (self.rng % acc.numbers) as usize;
                    if j < acc.samples.len() {
                        acc.samples[j] = x;
                    }
                }
            }
            _ => acc.non_numeric += 1,
        }
    }

    pub fn finish(self) -> FieldStats {
        let (top_n, bins) = (self.top, self.bins);
        let fields = self
            .fields
            .into_iter()
            .map(|((kind, name), acc)| {
                let mut values: Vec<(String, u64)> = acc.values.into_iter().collect();
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                let cardinality = values.len();
                let shown: u64 = values.iter().take(top_n).map(|v| v.1).sum();
                let top = values
                    .into_iter()
                    .take(top_n)
                    .map(|(v, n)| (v, n, n as f64 / acc.present as f64))
                    .collect();
                let numeric = (acc.non_numeric == 0 && acc.numbers > 0)
                    .then(|| numeric(acc.samples, acc.min, acc.max, bins, acc.numbers));
                FieldStat {
                    name,
                    kind,
                    present: acc.present,
                    cardinality,
                    capped: acc.capped,
                    top,
                    other: acc.present - shown,
                    numeric,
                }
            })
            .collect();
        FieldStats {
            entries: self.entries,
            fields,
        }
    }
}

fn numeric(mut xs: Vec<f64>, min: f64, max: f64, bins: usize, total: u64) -> NumericStats {
    xs.sort_by(f64::total_cmp);
    let rank = |q: f64| {
        let i = ((q * xs.len() as f64).ceil() as usize).clamp(1, xs.len()) - 1;
        xs[i]
    };
    let mut histogram = vec![0u64; bins];
    let width = (max - min) / bins as f64;
    for &x in &xs {
        let b = if width > 0.0 {
            (((x - min) / width) as usize).min(bins - 1)
        } else {
            0
        };
        histogram[b] += 1;
    }
    NumericStats {
        min,
        p50: rank(0.5),
        p95: rank(0.95),
        max,
        histogram,
        sampled: (xs.len() as u64) < total,
    }
}

/// Statistics of a slice of entries with the default limits.
pub fn field_stats<'a>(entries: impl IntoIterator<Item = &'a LogEntry>) -> FieldStats {
    let mut b = FieldStatsBuilder::default();
    for e in entries {
        b.add(e);
    }
    b.finish()
}

#[cfg(test)]
#[path = "fields_tests.rs"]
mod tests;
