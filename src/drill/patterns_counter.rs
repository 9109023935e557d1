//! The counting pass: every line assigned to the first template it fits, each template's
//! filter checked against its own lines and every other line.

use super::*;

/// A template and what the counting pass learns about it.
#[derive(Debug, Clone)]
pub(super) struct Slot {
    family: Family,
    cluster: Cluster,
    logql: Option<String>,
    pub(super) filter: Option<Filter>,
    /// The filter's leading literal: only lines starting with it can match.
    pub(super) prefix: String,
    count: u64,
    first_ns: i64,
    last_ns: i64,
    volume: Vec<u64>,
    samples: Vec<usize>,
    exact: bool,
}

impl Slot {
    pub(super) fn new(family: &Family, cluster: Cluster, buckets: usize) -> Self {
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
    pub(super) cfg: PatternsConfig,
    pub(super) groups: GroupIndex<Vec<usize>>,
    pub(super) slots: Vec<Slot>,
    /// By the number of a learned cluster ([`super::miner::Cluster::num`]): its slot when it
    /// is the first of its group. A learned line fits the cluster it joined, so when that
    /// cluster is its group's first, it is the first the line fits: the line's own slot,
    /// known without reading the line again.
    pub(super) first_of: Vec<Option<usize>>,
    /// The exact templates by leading literal.
    pub(super) by_prefix: Prefixes,
    pub(super) total: u64,
    pub(super) unmatched: u64,
    pub(super) start_ns: i64,
    pub(super) end_ns: i64,
}

impl Counter {
    /// Counts one line; `index` is what [`Pattern::samples`] reports. Returns the id of the
    /// pattern it was counted in.
    pub fn count(&mut self, index: usize, ts: i64, line: &str) -> Option<usize> {
        self.count_features(index, ts, line, &features(line, self.cfg.max_tokens).line())
    }

    /// Counts `lines`, the first one's index being `first`, appending their pattern ids to
    /// `ids`; one token list serves every line. `joined[i]`, when given, is the cluster
    /// line `i` joined when these templates were learned ([`Miner::learn_batch`]).
    pub(in crate::drill) fn count_all<'a>(
        &mut self,
        first: usize,
        lines: &[(i64, &'a str)],
        joined: &[u32],
        ids: &mut Vec<Option<usize>>,
    ) {
        let mut tokens: Vec<Cow<'a, str>> = Vec::new();
        for (i, &(ts, line)) in lines.iter().enumerate() {
            let known = joined
                .get(i)
                .and_then(|&c| self.first_of.get(c as usize).copied().flatten());
            if let Some(own) = known {
                ids.push(self.tally(first + i, ts, line, Some(own)));
                continue;
            }
            tokens.clear();
            let (family, spans) =
                crate::drill::features::features_into(line, self.cfg.max_tokens, &mut tokens);
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
    pub(in crate::drill) fn merge(&mut self, other: Counter) {
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
        let own = self.groups.get(f).and_then(|ids| {
            ids.iter()
                .copied()
                .find(|&i| self.slots[i].cluster.fits(f.tokens))
        });
        self.tally(index, ts, line, own)
    }

    /// Counts a line in its own slot `own` and checks the filters against it.
    fn tally(&mut self, index: usize, ts: i64, line: &str, own: Option<usize>) -> Option<usize> {
        self.total += 1;
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
