//! The learning pass of the pattern miner (Drain): each line's masked tokens go to a group
//! (same family, same token count, same leading token) and join the most similar cluster,
//! whose differing tokens become `<_>`; a new cluster starts when none is similar enough and
//! the group has room. Groups live in a `BTreeMap` and clusters in creation order, so the
//! result never depends on hash seeds.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::token::{WILDCARD, fits, mask, split};
use crate::model::Structlog;

/// Keys of a structlog line whose text is mined with the event (the rest are data; a
/// traceback in `exception` is data too: its `error` already names the failure).
pub const MESSAGE_KEYS: [&str; 7] = [
    "message",
    "msg",
    "error",
    "err",
    "reason",
    "detail",
    "description",
];

/// What kind of line a cluster holds; lines of different families never share a cluster.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// A plain text line, tokenised as a whole.
    Text,
    /// A structlog JSON line: its `event` and the message-like keys it has, in line order.
    Structlog { event: String, keys: Vec<String> },
}

/// A line as the miner sees it.
pub struct Features<'a> {
    pub family: Family,
    /// Masked tokens; for structlog lines, the message fields' JSON-escaped text, field after
    /// field (`spans` says where each field's tokens end).
    pub tokens: Vec<Cow<'a, str>>,
    pub spans: Vec<usize>,
}

/// The masked tokens of a line (structlog lines: the event plus message fields).
pub fn features(line: &str, max_tokens: usize) -> Features<'_> {
    if let Some(s) = Structlog::parse(line)
        && let Some(event) = s.event()
    {
        let mut keys = Vec::new();
        let mut tokens = Vec::new();
        let mut spans = Vec::new();
        for (k, v) in s.entries() {
            let Some(text) = v.as_str() else { continue };
            if !MESSAGE_KEYS.contains(&k.as_ref()) || keys.iter().any(|x| x == k) {
                continue;
            }
            let escaped = escape(text);
            let room = max_tokens.saturating_sub(tokens.len()).max(1);
            for t in split(&escaped, room) {
                tokens.push(Cow::Owned(mask(t).into_owned()));
            }
            keys.push(k.to_string());
            spans.push(tokens.len());
        }
        return Features {
            family: Family::Structlog {
                event: event.into_owned(),
                keys,
            },
            tokens,
            spans,
        };
    }
    let tokens: Vec<Cow<'_, str>> = split(line, max_tokens).into_iter().map(mask).collect();
    let spans = vec![tokens.len()];
    Features {
        family: Family::Text,
        tokens,
        spans,
    }
}

/// A string's JSON-escaped text without the quotes: what the raw line holds (for lines
/// written by a JSON encoder that escapes like `serde_json`; others are caught by the
/// exactness check).
pub fn escape(text: &str) -> String {
    let q = serde_json::Value::String(text.to_string()).to_string();
    q[1..q.len() - 1].to_string()
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
    pub fn of(f: &Features<'_>) -> Self {
        let lead = match f.tokens.first() {
            Some(t) if !t.contains(WILDCARD) => t.to_string(),
            Some(_) => WILDCARD.to_string(),
            None => String::new(),
        };
        GroupKey {
            family: f.family.clone(),
            len: f.tokens.len(),
            spans: f.spans.clone(),
            lead,
        }
    }
}

/// A template being learned.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub tokens: Vec<String>,
    /// Where each structlog field's tokens end.
    pub spans: Vec<usize>,
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
    pub groups: BTreeMap<GroupKey, Vec<Cluster>>,
    max_clusters: usize,
    threshold: f64,
}

impl Drain {
    pub fn new(max_clusters: usize, threshold: f64) -> Self {
        Self {
            groups: BTreeMap::new(),
            max_clusters: max_clusters.max(1),
            threshold,
        }
    }

    pub fn learn(&mut self, f: &Features<'_>) {
        let clusters = self.groups.entry(GroupKey::of(f)).or_default();
        let mut best: Option<(usize, f64)> = None;
        for (i, c) in clusters.iter().enumerate() {
            let s = c.similarity(&f.tokens);
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((i, s));
            }
        }
        match best {
            Some((i, s)) if s >= self.threshold || clusters.len() >= self.max_clusters => {
                let c = &mut clusters[i];
                for (t, tok) in c.tokens.iter_mut().zip(&f.tokens) {
                    if t != tok && t != WILDCARD {
                        *t = WILDCARD.to_string();
                    }
                }
            }
            _ => clusters.push(Cluster {
                tokens: f.tokens.iter().map(|t| t.to_string()).collect(),
                spans: f.spans.clone(),
            }),
        }
    }
}
