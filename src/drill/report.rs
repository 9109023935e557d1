//! What the patterns and fields front ends show, whichever side computed it: Loki's
//! Drilldown endpoints or the local miner/sampler. One row type per view, so the CLI, its
//! JSON output and the TUI render the same thing and say where it came from.

use serde::Serialize;

use super::fields::{FieldKind, FieldStats};
use super::patterns::{PatternSet, Shape};
use crate::logql::quote;

/// Who computed a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Loki answered (`/patterns`, `/detected_fields`).
    Loki { endpoint: String },
    /// Mined or sampled here from `lines` lines fetched (`limited`: the fetch hit its limit,
    /// so older lines were not seen).
    Local { lines: u64, limited: bool },
    /// Loki listed the fields; values and shares come from `lines` sampled lines.
    Mixed {
        endpoint: String,
        lines: u64,
        limited: bool,
    },
}

impl Origin {
    /// One line for a status bar or stderr.
    pub fn describe(&self) -> String {
        let sample = |lines: &u64, limited: &bool| {
            format!(
                "{lines} line{}{}",
                if *lines == 1 { "" } else { "s" },
                if *limited { ", the fetch limit" } else { "" }
            )
        };
        match self {
            Origin::Loki { endpoint } => format!("from Loki ({endpoint})"),
            Origin::Local { lines, limited } => {
                format!("computed locally from {}", sample(lines, limited))
            }
            Origin::Mixed {
                endpoint,
                lines,
                limited,
            } => format!(
                "fields from Loki ({endpoint}); values from {}",
                sample(lines, limited)
            ),
        }
    }
}

/// One pattern, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatternRow {
    /// Template text, `<_>` for variables (raw log content: sanitise before display).
    pub pattern: String,
    /// The structlog `event` the pattern's lines share.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    pub count: u64,
    pub share: f64,
    pub first_ns: i64,
    pub last_ns: i64,
    /// Lines per equal bucket of the range.
    pub volume: Vec<u64>,
    /// Present now, absent in the previous range of the same length.
    pub new: bool,
    /// `|> "…"` keeping exactly its lines, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude: Option<String>,
    /// Local only: which mined pattern this is (what `mine_assigned` gave its lines).
    #[serde(skip)]
    pub local_id: Option<usize>,
}

/// The patterns of a query over a range, most frequent first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatternsReport {
    pub query: String,
    pub start_ns: i64,
    pub end_ns: i64,
    pub total: u64,
    pub origin: Origin,
    pub patterns: Vec<PatternRow>,
}

impl PatternsReport {
    /// From a locally mined set (already `mark_new`ed when a previous range was mined).
    pub fn from_set(query: &str, set: &PatternSet, origin: Origin) -> Self {
        let patterns = set
            .patterns
            .iter()
            .map(|p| PatternRow {
                pattern: p.template.clone(),
                event: match &p.shape {
                    Shape::Structlog { event } => Some(event.clone()),
                    Shape::Text => None,
                },
                count: p.count,
                share: p.share,
                first_ns: p.first_ns,
                last_ns: p.last_ns,
                volume: p.volume.clone(),
                new: p.is_new,
                include: p.include_filter(),
                exclude: p.exclude_filter(),
                local_id: Some(p.id),
            })
            .collect();
        Self {
            query: query.to_string(),
            start_ns: set.start_ns,
            end_ns: set.end_ns,
            total: set.total,
            origin,
            patterns,
        }
    }

    /// From Loki's patterns: `(pattern, [(ts_ns, lines)])`, bucketed into `buckets` over
    /// the range; patterns in `previous` (Loki's answer for the range before) are not new.
    pub fn from_loki(
        query: &str,
        start_ns: i64,
        end_ns: i64,
        found: &[(String, Vec<(i64, u64)>)],
        previous: Option<&[String]>,
        buckets: usize,
    ) -> Self {
        let buckets = buckets.max(1);
        let span = (end_ns - start_ns).max(1) as i128;
        let mut patterns: Vec<PatternRow> = found
            .iter()
            .map(|(text, samples)| {
                let mut volume = vec![0u64; buckets];
                let (mut first, mut last, mut count) = (i64::MAX, i64::MIN, 0u64);
                for &(ts, n) in samples.iter().filter(|s| s.1 > 0) {
                    let b = (((ts - start_ns) as i128 * buckets as i128) / span)
                        .clamp(0, buckets as i128 - 1) as usize;
                    volume[b] += n;
                    first = first.min(ts);
                    last = last.max(ts);
                    count += n;
                }
                let q = quote(text);
                PatternRow {
                    pattern: text.clone(),
                    event: None,
                    count,
                    share: 0.0,
                    first_ns: if count == 0 { start_ns } else { first },
                    last_ns: if count == 0 { start_ns } else { last },
                    volume,
                    new: previous.is_some_and(|p| !p.iter().any(|x| x == text)),
                    include: Some(format!("|> {q}")),
                    exclude: Some(format!("!> {q}")),
                    local_id: None,
                }
            })
            .collect();
        let total: u64 = patterns.iter().map(|p| p.count).sum();
        for p in &mut patterns {
            p.share = if total == 0 {
                0.0
            } else {
                p.count as f64 / total as f64
            };
        }
        patterns.sort_by(|a, b| b.count.cmp(&a.count).then(a.pattern.cmp(&b.pattern)));
        Self {
            query: query.to_string(),
            start_ns,
            end_ns,
            total,
            origin: Origin::Loki {
                endpoint: "/loki/api/v1/patterns".into(),
            },
            patterns,
        }
    }
}

/// One field, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldRow {
    pub name: String,
    /// `label`, `metadata` or `parsed`.
    pub source: &'static str,
    /// Loki's type (`string`, `int`, …) or `number`/`string` from the sample.
    #[serde(rename = "type")]
    pub kind: String,
    /// Distinct values (Loki's count when it listed the field).
    pub cardinality: u64,
    /// Lines of the sample that have it.
    pub present: u64,
    /// `(value, lines, share of present)`, most frequent first; shares are 0 when only
    /// Loki's value list is known.
    pub top: Vec<(String, u64, f64)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numeric: Option<Numeric>,
}

/// min/p50/p95/max and an equal-width histogram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Numeric {
    pub min: f64,
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
    pub histogram: Vec<u64>,
    pub sampled: bool,
}

/// Every field of a query's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldsReport {
    pub query: String,
    pub start_ns: i64,
    pub end_ns: i64,
    /// Lines sampled.
    pub entries: u64,
    pub origin: Origin,
    pub fields: Vec<FieldRow>,
}

fn kind_name(k: FieldKind) -> &'static str {
    match k {
        FieldKind::Label => "label",
        FieldKind::Metadata => "metadata",
        FieldKind::Parsed => "parsed",
    }
}

impl FieldRow {
    /// Rows of locally computed statistics.
    pub fn from_stats(stats: &FieldStats) -> Vec<FieldRow> {
        stats
            .fields
            .iter()
            .map(|f| FieldRow {
                name: f.name.clone(),
                source: kind_name(f.kind),
                kind: if f.numeric.is_some() {
                    "number".into()
                } else {
                    "string".into()
                },
                cardinality: f.cardinality as u64,
                present: f.present,
                top: f.top.clone(),
                numeric: f.numeric.as_ref().map(|n| Numeric {
                    min: n.min,
                    p50: n.p50,
                    p95: n.p95,
                    max: n.max,
                    histogram: n.histogram.clone(),
                    sampled: n.sampled,
                }),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000_000;

    #[test]
    fn loki_patterns_are_bucketed_shared_and_sorted() {
        let found = vec![
            ("a <_>".to_string(), vec![(0, 1), (9 * S, 1)]),
            ("b <_>".to_string(), vec![(5 * S, 6), (6 * S, 0)]),
        ];
        let prev = vec!["a <_>".to_string()];
        let r = PatternsReport::from_loki("{a=\"b\"}", 0, 10 * S, &found, Some(&prev), 5);
        assert_eq!(r.total, 8);
        assert_eq!(r.patterns[0].pattern, "b <_>");
        assert_eq!(r.patterns[0].volume, vec![0, 0, 6, 0, 0]);
        assert!((r.patterns[0].share - 0.75).abs() < 1e-9);
        assert!(r.patterns[0].new && !r.patterns[1].new);
        assert_eq!(r.patterns[1].volume, vec![1, 0, 0, 0, 1]);
        assert_eq!((r.patterns[1].first_ns, r.patterns[1].last_ns), (0, 9 * S));
        assert_eq!(r.patterns[0].include.as_deref(), Some(r#"|> "b <_>""#));
        assert_eq!(r.patterns[0].exclude.as_deref(), Some(r#"!> "b <_>""#));
    }

    #[test]
    fn origins_say_where_numbers_come_from() {
        let o = Origin::Local {
            lines: 5000,
            limited: true,
        };
        assert_eq!(
            o.describe(),
            "computed locally from 5000 lines, the fetch limit"
        );
        assert!(
            Origin::Loki {
                endpoint: "/x".into()
            }
            .describe()
            .contains("Loki")
        );
    }
}
