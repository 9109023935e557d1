//! Log templates ("patterns") of a result set, Drain-style, with the LogQL pattern-match
//! filter (`|> "…"` / `!> "…"`) that selects each one's lines.
//!
//! Two passes over the same lines: [`Miner::learn`] builds the templates, then
//! [`Counter::count`] assigns every line to the first template it fits and checks, line by
//! line, that each template's filter matches its own lines and no other line. Only a filter
//! that passed is offered ([`Pattern::include_filter`]): including it returns exactly the
//! lines counted, among the lines mined (a result set cut by a limit leaves lines unseen).
//! The check uses the embedded engine's `|>` matcher, which follows Loki's. Memory is
//! bounded by the caps in [`PatternsConfig`], not by the input.

use std::borrow::Cow;

use super::miner::{Batch, Cluster, Drain, Family, GroupIndex, Line, features};
use super::prefixes::Prefixes;
use super::template::{display, logql_text};
use super::token::WILDCARD;
use crate::logql::pipeline::pattern::Pattern as Filter;
use crate::logql::quote;

/// Limits and resolution of a mining run.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternsConfig {
    /// Clusters per group (same family, token count and leading token); past it, lines
    /// merge into the most similar cluster.
    pub max_clusters_per_group: usize,
    /// Tokens per line; the rest of a longer line is one token.
    pub max_tokens: usize,
    /// Share of tokens a line must have in common with a cluster to join it.
    pub similarity: f64,
    /// Buckets of each pattern's volume series.
    pub buckets: usize,
    /// Sample line indices kept per pattern.
    pub samples: usize,
}

impl Default for PatternsConfig {
    fn default() -> Self {
        Self {
            max_clusters_per_group: 32,
            max_tokens: 48,
            similarity: 0.5,
            buckets: 40,
            samples: 5,
        }
    }
}

/// What a pattern's lines are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    Text,
    /// Structlog JSON lines of one `event`, mined on their message-like fields.
    Structlog {
        event: String,
    },
}

/// One template with its statistics over the mined range.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// Stable within one [`PatternSet`]: what [`Counter::count`] returned for its lines.
    pub id: usize,
    /// Display text: the masked tokens (structlog: `event key="…"`), `<_>` for variables.
    pub template: String,
    pub shape: Shape,
    pub count: u64,
    /// `count` over all lines mined.
    pub share: f64,
    pub first_ns: i64,
    pub last_ns: i64,
    /// Lines per bucket over the range, for a sparkline.
    pub volume: Vec<u64>,
    /// Indices (in the order lines were counted) of the first few lines.
    pub samples: Vec<usize>,
    /// The text for Loki's pattern-match filter; `None` when the template can't be written
    /// as one (a literal `<` in it, an empty line).
    pub logql_pattern: Option<String>,
    /// Whether `logql_pattern` matched exactly this pattern's lines among the lines mined.
    pub exact: bool,
    /// Present now and absent from the previous range (see [`mark_new`]).
    pub is_new: bool,
    family: Family,
    tokens: Vec<String>,
}

impl Pattern {
    /// `|> "…"`, to append to a log query to keep this pattern's lines; `None` unless exact.
    pub fn include_filter(&self) -> Option<String> {
        self.exact_pattern().map(|p| format!("|> {}", quote(p)))
    }

    /// `!> "…"`, to drop this pattern's lines; `None` unless exact.
    pub fn exclude_filter(&self) -> Option<String> {
        self.exact_pattern().map(|p| format!("!> {}", quote(p)))
    }

    fn exact_pattern(&self) -> Option<&str> {
        self.logql_pattern.as_deref().filter(|_| self.exact)
    }

    /// Whether either template generalises the other (same family and length, each token
    /// equal or `<_>` on one side): the same pattern mined from different lines.
    /// Whether a line fits this template (same family, every token equal or `<_>`).
    pub fn fits(&self, line: &str, cfg: &PatternsConfig) -> bool {
        let f = features(line, cfg.max_tokens);
        f.family.is(&self.family)
            && f.tokens.len() == self.tokens.len()
            && self
                .tokens
                .iter()
                .zip(&f.tokens)
                .all(|(t, x)| super::token::fits(t, x))
    }

    pub fn same_as(&self, other: &Pattern) -> bool {
        self.family == other.family
            && self.tokens.len() == other.tokens.len()
            && self
                .tokens
                .iter()
                .zip(&other.tokens)
                .all(|(a, b)| a == b || a == WILDCARD || b == WILDCARD)
    }
}

/// The patterns of a range, most frequent first.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternSet {
    pub patterns: Vec<Pattern>,
    /// Lines counted.
    pub total: u64,
    /// Lines counted that fit no learned template (only when counting lines not learned).
    pub unmatched: u64,
    pub start_ns: i64,
    pub end_ns: i64,
}

/// Marks each pattern of `current` that no pattern of `previous` (the range of the same
/// length just before) matches: what an on-call engineer looks at first.
pub fn mark_new(current: &mut PatternSet, previous: &PatternSet) {
    for p in &mut current.patterns {
        p.is_new = !previous.patterns.iter().any(|q| q.same_as(p));
    }
}

/// Mines `lines` (timestamp, text) over `[start_ns, end_ns)`; the iterator is walked twice.
pub fn mine<'a, I>(lines: I, start_ns: i64, end_ns: i64, cfg: &PatternsConfig) -> PatternSet
where
    I: IntoIterator<Item = (i64, &'a str)> + Clone,
{
    mine_assigned(lines, start_ns, end_ns, cfg).0
}

/// Like [`mine`], also returning each line's pattern id (`None`: it fit no template), for a
/// view that lists a pattern's lines without querying again.
pub fn mine_assigned<'a, I>(
    lines: I,
    start_ns: i64,
    end_ns: i64,
    cfg: &PatternsConfig,
) -> (PatternSet, Vec<Option<usize>>)
where
    I: IntoIterator<Item = (i64, &'a str)> + Clone,
{
    super::passes::mine_in_chunks(lines, start_ns, end_ns, cfg, super::passes::CHUNK)
}

/// The learning pass.
#[derive(Debug, Clone)]
pub struct Miner {
    cfg: PatternsConfig,
    drain: Drain,
}

impl Miner {
    pub fn new(cfg: PatternsConfig) -> Self {
        let drain = Drain::new(cfg.max_clusters_per_group, cfg.similarity);
        Self { cfg, drain }
    }

    pub fn learn(&mut self, line: &str) {
        self.drain
            .learn(&features(line, self.cfg.max_tokens).line());
    }

    /// Learns the lines of `batch`, in order.
    pub(super) fn learn_batch(&mut self, batch: &Batch<'_>) {
        for f in batch.iter() {
            self.drain.learn(&f);
        }
    }

    pub(super) fn max_tokens(&self) -> usize {
        self.cfg.max_tokens
    }

    /// The counting pass over the templates learned.
    pub fn counter(self, start_ns: i64, end_ns: i64) -> Counter {
        let mut slots = Vec::new();
        let mut groups = GroupIndex::default();
        let mut learned = self.drain.groups.groups;
        // slot ids in key order, as the miner has always numbered them
        learned.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, clusters) in learned {
            let mut ids = Vec::new();
            for c in clusters {
                ids.push(slots.len());
                slots.push(Slot::new(&key.family, c, self.cfg.buckets));
            }
            groups.insert(key, ids);
        }
        let by_prefix = Prefixes::new(
            slots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.filter.is_some())
                .map(|(i, s)| (s.prefix.as_str(), i)),
        );
        Counter {
            cfg: self.cfg,
            groups,
            slots,
            by_prefix,
            total: 0,
            unmatched: 0,
            start_ns,
            end_ns,
        }
    }
}

/// A template and what the counting pass learns about it.
#[derive(Debug, Clone)]
struct Slot {
    family: Family,
    cluster: Cluster,
    logql: Option<String>,
    filter: Option<Filter>,
    /// The filter's leading literal: only lines starting with it can match.
    prefix: String,
    count: u64,
    first_ns: i64,
    last_ns: i64,
    volume: Vec<u64>,
    samples: Vec<usize>,
    exact: bool,
}

impl Slot {
    fn new(family: &Family, cluster: Cluster, buckets: usize) -> Self {
        let logql = logql_text(family, &cluster);
        let filter = logql.as_deref().and_then(|t| Filter::parse_filter(t).ok());
        let prefix = logql
            .as_deref()
            .map(|t| t.split(WILDCARD).next().unwrap_or("").to_string())
            .unwrap_or_default();
        Self {
            family: family.clone(),
            exact: filter.is_some(),
            cluster,
            logql,
            filter,
            prefix,
            count: 0,
            first_ns: i64::MAX,
            last_ns: i64::MIN,
            volume: vec![0; buckets.max(1)],
            samples: Vec::new(),
        }
    }
}

/// The counting pass: assigns lines to templates and verifies the filters.
#[derive(Debug, Clone)]
pub struct Counter {
    cfg: PatternsConfig,
    groups: GroupIndex<Vec<usize>>,
    slots: Vec<Slot>,
    /// The exact templates by leading literal.
    by_prefix: Prefixes,
    total: u64,
    unmatched: u64,
    start_ns: i64,
    end_ns: i64,
}

impl Counter {
    /// Counts one line; `index` is what [`Pattern::samples`] reports. Returns the id of the
    /// pattern it was counted in.
    pub fn count(&mut self, index: usize, ts: i64, line: &str) -> Option<usize> {
        self.count_features(index, ts, line, &features(line, self.cfg.max_tokens).line())
    }

    /// Counts `lines`, the first one's index being `first`, appending their pattern ids to
    /// `ids`; one token list serves every line.
    pub(super) fn count_all<'a>(
        &mut self,
        first: usize,
        lines: &[(i64, &'a str)],
        ids: &mut Vec<Option<usize>>,
    ) {
        let mut tokens: Vec<Cow<'a, str>> = Vec::new();
        for (i, &(ts, line)) in lines.iter().enumerate() {
            tokens.clear();
            let (family, spans) =
                super::features::features_into(line, self.cfg.max_tokens, &mut tokens);
            let f = Line {
                family: &family,
                tokens: &tokens,
                spans: &spans,
            };
            ids.push(self.count_features(first + i, ts, line, &f));
        }
    }

    /// Adds what `other` counted (other lines, with the same templates) to this count: the
    /// result is what one counter would have made of all the lines.
    pub(super) fn merge(&mut self, other: Counter) {
        self.total += other.total;
        self.unmatched += other.unmatched;
        for (s, o) in self.slots.iter_mut().zip(other.slots) {
            s.count += o.count;
            s.first_ns = s.first_ns.min(o.first_ns);
            s.last_ns = s.last_ns.max(o.last_ns);
            for (v, w) in s.volume.iter_mut().zip(&o.volume) {
                *v += w;
            }
            // each side kept its first few: the first few of all are among them
            s.samples.extend(o.samples);
            s.samples.sort_unstable();
            s.samples.truncate(self.cfg.samples);
            s.exact &= o.exact;
        }
    }

    fn count_features(
        &mut self,
        index: usize,
        ts: i64,
        line: &str,
        f: &Line<'_, '_>,
    ) -> Option<usize> {
        self.total += 1;
        let own = self.groups.get(f).and_then(|ids| {
            ids.iter()
                .copied()
                .find(|&i| self.slots[i].cluster.fits(f.tokens))
        });
        // Every filter that matches the line must be the line's own; its own must match.
        let slots = &mut self.slots;
        self.by_prefix.each(line, |j| {
            let s = &mut slots[j];
            if s.exact && Some(j) != own && s.filter.as_ref().is_some_and(|p| p.matches(line)) {
                s.exact = false;
            }
        });
        let Some(i) = own else {
            self.unmatched += 1;
            return None;
        };
        let buckets = self.cfg.buckets.max(1);
        let bucket = bucket_of(ts, self.start_ns, self.end_ns, buckets);
        let s = &mut self.slots[i];
        if s.exact && !s.filter.as_ref().is_some_and(|p| p.matches(line)) {
            s.exact = false;
        }
        s.count += 1;
        s.first_ns = s.first_ns.min(ts);
        s.last_ns = s.last_ns.max(ts);
        s.volume[bucket] += 1;
        if s.samples.len() < self.cfg.samples {
            s.samples.push(index);
        }
        Some(i)
    }

    pub fn finish(self) -> PatternSet {
        let total = self.total;
        let mut patterns: Vec<Pattern> = self
            .slots
            .into_iter()
            .enumerate()
            .filter(|(_, s)| s.count > 0)
            .map(|(id, s)| Pattern {
                id,
                template: display(&s.family, &s.cluster),
                shape: match &s.family {
                    Family::Text => Shape::Text,
                    Family::Structlog { event, .. } => Shape::Structlog {
                        event: event.clone(),
                    },
                },
                count: s.count,
                share: s.count as f64 / total.max(1) as f64,
                first_ns: s.first_ns,
                last_ns: s.last_ns,
                volume: s.volume,
                samples: s.samples,
                logql_pattern: s.logql,
                exact: s.exact,
                is_new: false,
                family: s.family,
                tokens: s.cluster.tokens,
            })
            .collect();
        patterns.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.template.cmp(&b.template))
        });
        PatternSet {
            patterns,
            total,
            unmatched: self.unmatched,
            start_ns: self.start_ns,
            end_ns: self.end_ns,
        }
    }
}

/// The bucket of `ts` among `n` equal buckets of `[start, end)`, clamped to the ends.
fn bucket_of(ts: i64, start: i64, end: i64, n: usize) -> usize {
    if end <= start || ts <= start {
        return 0;
    }
    let span = (end - start) as i128;
    let at = ((ts - start) as i128 * n as i128 / span) as usize;
    at.min(n - 1)
}

#[cfg(test)]
#[path = "patterns_tests.rs"]
mod tests;
