//! The learning pass of the pattern miner (Drain): each line's masked tokens go to a group
//! (same family, same token count, same leading token) and join the most similar cluster,
//! whose differing tokens become `<_>`; a new cluster starts when none is similar enough and
//! the group has room. Groups are found by a hash of their key (no key is built per line) but
//! kept in creation order and handed on sorted by key, so the result never depends on hash
//! seeds.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::fast::{FixedState, FoldHasher};

use super::features::hash_owned_family;
pub use super::features::{Batch, Line, escape, features};
use super::token::{WILDCARD, fits};

/// What kind of line a cluster holds; lines of different families never share a cluster.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// A plain text line, tokenised as a whole.
    Text,
    /// A structlog JSON line: its `event` and the message-like keys it has, in line order.
    Structlog { event: String, keys: Vec<String> },
}

/// Which group a line belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GroupKey {
    pub family: Family,
    pub len: usize,
    /// Where each structlog field's tokens end: positions only merge within one field.
    pub spans: Vec<usize>,
    /// The first token, or `<_>` when it has a variable part.
    pub lead: String,
}

impl GroupKey {
    pub fn of(f: &Line<'_, '_>) -> Self {
        GroupKey {
            family: f.family.to_family(),
            len: f.tokens.len(),
            spans: f.spans.as_slice().to_vec(),
            lead: lead_of(f).to_string(),
        }
    }

    /// Whether `f` belongs to this group: `GroupKey::of(f) == *self` without building the key
    /// (the miner asks this for every line of both passes).
    pub fn holds(&self, f: &Line<'_, '_>) -> bool {
        self.len == f.tokens.len()
            && self.spans == f.spans.as_slice()
            && self.lead == lead_of(f)
            && f.family.is(&self.family)
    }
}

fn lead_of<'f>(f: &Line<'f, '_>) -> &'f str {
    match f.tokens.first() {
        Some(t) if !t.contains(WILDCARD) => t,
        Some(_) => WILDCARD,
        None => "",
    }
}

/// The hash of the group `f` belongs to, equal for equal keys (what [`GroupIndex`] files
/// groups under). A fixed seed: nothing depends on it but speed (groups are kept in creation
/// order and found by [`GroupKey::holds`]), and SipHash cost more than the group lookup.
pub fn key_hash(f: &Line<'_, '_>) -> u64 {
    let mut h = HASH.build_hasher();
    f.family.hash_into(&mut h);
    hash_parts(h, f.tokens.len(), f.spans.as_slice(), lead_of(f))
}

const HASH: FixedState = FixedState::with_seed(0x9e37_79b9_7f4a_7c15);

fn hash_parts(mut h: FoldHasher<'_>, len: usize, spans: &[usize], lead: &str) -> u64 {
    len.hash(&mut h);
    spans.hash(&mut h);
    lead.hash(&mut h);
    h.finish()
}

/// Groups in creation order, found by [`key_hash`] then [`GroupKey::holds`].
#[derive(Debug, Clone)]
pub struct GroupIndex<T> {
    pub groups: Vec<(GroupKey, T)>,
    by_hash: HashMap<u64, Vec<usize>, FixedState>,
}

impl<T> Default for GroupIndex<T> {
    fn default() -> Self {
        Self {
            groups: Vec::new(),
            by_hash: HashMap::with_hasher(HASH),
        }
    }
}

impl<T> GroupIndex<T> {
    /// The group `f` belongs to.
    pub fn get(&self, f: &Line<'_, '_>) -> Option<&T> {
        let at = self.position(f)?;
        Some(&self.groups[at].1)
    }

    /// The group `f` belongs to, created with `new` when missing.
    pub fn get_or_insert_with(&mut self, f: &Line<'_, '_>, new: impl FnOnce() -> T) -> &mut T {
        let at = match self.position(f) {
            Some(at) => at,
            None => {
                self.by_hash
                    .entry(key_hash(f))
                    .or_default()
                    .push(self.groups.len());
                self.groups.push((GroupKey::of(f), new()));
                self.groups.len() - 1
            }
        };
        &mut self.groups[at].1
    }

    /// Adds a group under `key` (the caller knows it is new).
    pub fn insert(&mut self, key: GroupKey, value: T) {
        let mut h = HASH.build_hasher();
        hash_owned_family(&mut h, &key.family);
        let h = hash_parts(h, key.len, &key.spans, &key.lead);
        self.by_hash.entry(h).or_default().push(self.groups.len());
        self.groups.push((key, value));
    }

    fn position(&self, f: &Line<'_, '_>) -> Option<usize> {
        self.by_hash
            .get(&key_hash(f))?
            .iter()
            .copied()
            .find(|&i| self.groups[i].0.holds(f))
    }
}

/// A template being learned.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub tokens: Vec<String>,
    /// Where each structlog field's tokens end.
    pub spans: Vec<usize>,
    /// Its number among the clusters of its [`Drain`], in creation order (what
    /// [`Drain::learn`] returns).
    pub num: u32,
}

impl Cluster {
    fn similarity(&self, tokens: &[Cow<'_, str>]) -> f64 {
        if tokens.is_empty() {
            return 1.0;
        }
        let same = self
            .tokens
            .iter()
            .zip(tokens)
            .filter(|(a, b)| fits(a, b))
            .count();
        same as f64 / tokens.len() as f64
    }

    /// Whether every token of the line fits this template.
    pub fn fits(&self, tokens: &[Cow<'_, str>]) -> bool {
        self.tokens.len() == tokens.len() && self.tokens.iter().zip(tokens).all(|(a, b)| fits(a, b))
    }
}

/// The learning pass: bounded by `max_clusters` per group.
#[derive(Debug, Clone)]
pub struct Drain {
    pub groups: GroupIndex<Vec<Cluster>>,
    max_clusters: usize,
    threshold: f64,
    /// Clusters created so far.
    created: u32,
}

impl Drain {
    pub fn new(max_clusters: usize, threshold: f64) -> Self {
        Self {
            groups: GroupIndex::default(),
            max_clusters: max_clusters.max(1),
            threshold,
            created: 0,
        }
    }

    /// Learns a line; returns the number of the cluster it joined. The line fits that
    /// cluster from then on (a cluster only ever widens), which lets the counting pass skip
    /// re-reading it (see [`super::patterns::Counter`]).
    pub fn learn(&mut self, f: &Line<'_, '_>) -> u32 {
        let clusters = self.groups.get_or_insert_with(f, Vec::new);
        let mut best: Option<(usize, f64)> = None;
        for (i, c) in clusters.iter().enumerate() {
            let s = c.similarity(f.tokens);
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((i, s));
            }
        }
        match best {
            Some((i, s)) if s >= self.threshold || clusters.len() >= self.max_clusters => {
                let c = &mut clusters[i];
                for (t, tok) in c.tokens.iter_mut().zip(f.tokens) {
                    if t != tok && t != WILDCARD {
                        *t = WILDCARD.to_string();
                    }
                }
                c.num
            }
            _ => {
                let num = self.created;
                self.created = self.created.saturating_add(1);
                clusters.push(Cluster {
                    tokens: f.tokens.iter().map(|t| t.to_string()).collect(),
                    spans: f.spans.as_slice().to_vec(),
                    num,
                });
                num
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINES: [&str; 6] = [
        r#"{"event":"tool.call","tool":"a","timestamp":"2026-11-25T00:00:00Z"}"#,
        r#"{"event":"tool.call","message":"x y","timestamp":"2026-11-25T00:00:00Z"}"#,
        r#"{"event":"tool.call","message":"x z","timestamp":"2026-11-25T00:00:00Z"}"#,
        "GET /a 200",
        "GET /b 404 slow",
        "<_> start",
    ];

    #[test]
    fn holds_and_key_hash_agree_with_the_built_key() {
        for a in LINES {
            let fa = features(a, 64);
            let fa = fa.line();
            let key = GroupKey::of(&fa);
            for b in LINES {
                let fb = features(b, 64);
                let fb = fb.line();
                let same = GroupKey::of(&fb) == key;
                assert_eq!(key.holds(&fb), same, "{a} / {b}");
                if same {
                    assert_eq!(key_hash(&fa), key_hash(&fb));
                }
            }
        }
    }

    #[test]
    fn the_index_finds_groups_by_line_and_by_inserted_key() {
        let mut by_line: GroupIndex<usize> = GroupIndex::default();
        let mut by_key: GroupIndex<usize> = GroupIndex::default();
        for (i, l) in LINES.iter().enumerate() {
            let f = features(l, 64);
            let f = f.line();
            *by_line.get_or_insert_with(&f, || i) += 0;
            if by_key.get(&f).is_none() {
                by_key.insert(GroupKey::of(&f), i);
            }
        }
        assert_eq!(by_line.groups.len(), by_key.groups.len());
        for l in LINES {
            let f = features(l, 64);
            let f = f.line();
            assert_eq!(by_line.get(&f), by_key.get(&f), "{l}");
            assert!(by_line.get(&f).is_some());
        }
        // the two messages of one event share a group; other events and texts do not
        let (f0, f1, f2) = (
            features(LINES[0], 64),
            features(LINES[1], 64),
            features(LINES[2], 64),
        );
        assert_eq!(by_line.get(&f1.line()), by_line.get(&f2.line()));
        assert_ne!(by_line.get(&f1.line()), by_line.get(&f0.line()));
    }
}
