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

    /// Learns the lines of `batch`, in order, appending the cluster each one joined to
    /// `joined` (for [`Counter::count_all`]).
    pub(super) fn learn_batch(&mut self, batch: &Batch<'_>, joined: &mut Vec<u32>) {
        for f in batch.iter() {
            joined.push(self.drain.learn(&f));
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
        let mut first_of = Vec::new();
        for (key, clusters) in learned {
            let mut ids = Vec::new();
            for (i, c) in clusters.into_iter().enumerate() {
                let num = c.num as usize;
                if first_of.len() <= num {
                    first_of.resize(num + 1, None);
                }
                first_of[num] = (i == 0).then_some(slots.len());
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
            first_of,
            by_prefix,
            total: 0,
            unmatched: 0,
            start_ns,
            end_ns,
        }
    }
}

#[path = "patterns_counter.rs"]
mod counter;
pub use counter::Counter;
use counter::Slot;

#[cfg(test)]
#[path = "patterns_tests.rs"]
mod tests;
