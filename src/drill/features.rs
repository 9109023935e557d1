//! A line as the pattern miner reads it: its family (text, or a structlog `event` with its
//! message keys) and its masked tokens, built without copying the line where it can be
//! borrowed (the miner reads every line twice).

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use super::miner::Family;
use super::scan::{Scan, decode, scan};
use super::token::{mask, split, tokens as split_tokens};
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

/// A line's [`Family`] as read, borrowing from the line: the hot path builds no strings.
#[derive(Debug, Clone, PartialEq)]
pub enum LineFamily<'a> {
    Text,
    Structlog { event: Cow<'a, str>, keys: Keys },
}

impl LineFamily<'_> {
    /// Whether this is `family`.
    pub fn is(&self, family: &Family) -> bool {
        match (self, family) {
            (LineFamily::Text, Family::Text) => true,
            (LineFamily::Structlog { event, keys }, Family::Structlog { event: e, keys: k }) => {
                event == e && keys.names().eq(k.iter().map(String::as_str))
            }
            _ => false,
        }
    }

    pub fn to_family(&self) -> Family {
        match self {
            LineFamily::Text => Family::Text,
            LineFamily::Structlog { event, keys } => Family::Structlog {
                event: event.to_string(),
                keys: keys.names().map(str::to_string).collect(),
            },
        }
    }

    pub(super) fn hash_into(&self, h: &mut impl Hasher) {
        match self {
            LineFamily::Text => hash_family(h, None, std::iter::empty()),
            LineFamily::Structlog { event, keys } => hash_family(h, Some(event), keys.names()),
        }
    }
}

/// The same hash for a [`Family`] and the [`LineFamily`] that is it.
fn hash_family<'k>(h: &mut impl Hasher, event: Option<&str>, keys: impl Iterator<Item = &'k str>) {
    event.hash(h);
    for k in keys {
        k.hash(h);
    }
}

pub(super) fn hash_owned_family(h: &mut impl Hasher, family: &Family) {
    match family {
        Family::Text => hash_family(h, None, std::iter::empty()),
        Family::Structlog { event, keys } => {
            hash_family(h, Some(event), keys.iter().map(String::as_str))
        }
    }
}

/// Message keys of a line in line order, as indices into [`MESSAGE_KEYS`] (each at most once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Keys {
    at: [u8; MESSAGE_KEYS.len()],
    len: usize,
}

impl Keys {
    /// Adds `MESSAGE_KEYS[k]` (the caller adds each key once).
    pub fn push(&mut self, k: usize) {
        if self.len < self.at.len() {
            self.at[self.len] = k as u8;
            self.len += 1;
        }
    }

    pub fn has(&self, k: usize) -> bool {
        self.at[..self.len].contains(&(k as u8))
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.at[..self.len]
            .iter()
            .map(|&k| MESSAGE_KEYS[k as usize])
    }
}

/// Where each structlog field's tokens end (a text line: one span), without a `Vec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Spans {
    ends: [usize; MESSAGE_KEYS.len()],
    len: usize,
}

impl Spans {
    pub fn push(&mut self, end: usize) {
        if self.len < self.ends.len() {
            self.ends[self.len] = end;
            self.len += 1;
        }
    }

    pub fn as_slice(&self) -> &[usize] {
        &self.ends[..self.len]
    }
}

/// A line as the miner sees it.
pub struct Features<'a> {
    pub family: LineFamily<'a>,
    /// Masked tokens; for structlog lines, the message fields' JSON-escaped text, field after
    /// field (`spans` says where each field's tokens end).
    pub tokens: Vec<Cow<'a, str>>,
    pub spans: Spans,
}

impl<'a> Features<'a> {
    pub fn line(&self) -> Line<'_, 'a> {
        Line {
            family: &self.family,
            tokens: &self.tokens,
            spans: &self.spans,
        }
    }
}

/// [`Features`] borrowed, wherever its tokens are kept (one line's own list, or a [`Batch`]).
#[derive(Clone, Copy)]
pub struct Line<'f, 'a> {
    pub family: &'f LineFamily<'a>,
    pub tokens: &'f [Cow<'a, str>],
    pub spans: &'f Spans,
}

/// The features of many lines in two flat lists, reused from chunk to chunk: no allocation
/// per line for its token list.
#[derive(Default)]
pub struct Batch<'a> {
    tokens: Vec<Cow<'a, str>>,
    /// Each line's family, where its tokens end in `tokens`, and its spans.
    lines: Vec<(LineFamily<'a>, usize, Spans)>,
}

impl<'a> Batch<'a> {
    pub fn clear(&mut self) {
        self.tokens.clear();
        self.lines.clear();
    }

    pub fn push(&mut self, line: &'a str, max_tokens: usize) {
        let (family, spans) = features_into(line, max_tokens, &mut self.tokens);
        self.lines.push((family, self.tokens.len(), spans));
    }

    pub fn iter(&self) -> impl Iterator<Item = Line<'_, 'a>> {
        let mut from = 0;
        self.lines.iter().map(move |(family, end, spans)| {
            let tokens = &self.tokens[from..*end];
            from = *end;
            Line {
                family,
                tokens,
                spans,
            }
        })
    }
}

/// The masked tokens of a line (structlog lines: the event plus message fields).
pub fn features(line: &str, max_tokens: usize) -> Features<'_> {
    let mut tokens = Vec::new();
    let (family, spans) = features_into(line, max_tokens, &mut tokens);
    Features {
        family,
        tokens,
        spans,
    }
}

/// [`features`], the tokens appended to `out` (the family and spans returned; spans count
/// from the line's first token).
pub fn features_into<'a>(
    line: &'a str,
    max_tokens: usize,
    out: &mut Vec<Cow<'a, str>>,
) -> (LineFamily<'a>, Spans) {
    let base = out.len();
    match scan(line) {
        Scan::Text => text_features(line, max_tokens, out),
        Scan::Unsure => parsed_features(line, max_tokens, out),
        Scan::Structlog { event, fields } => {
            let mut keys = Keys::default();
            let mut spans = Spans::default();
            for f in fields.iter() {
                let room = max_tokens.saturating_sub(out.len() - base).max(1);
                if f.escaped {
                    // Decoded and escaped again: the escapes a JSON encoder writes.
                    let Some(text) = decode(f.text, true) else {
                        out.truncate(base);
                        return parsed_features(line, max_tokens, out);
                    };
                    let escaped = escape(&text);
                    for t in split(&escaped, room) {
                        out.push(Cow::Owned(mask(t).into_owned()));
                    }
                } else {
                    // Without escapes the line holds exactly what `escape` would write.
                    out.extend(split_tokens(f.text, room).map(mask));
                }
                keys.push(f.key);
                spans.push(out.len() - base);
            }
            (LineFamily::Structlog { event, keys }, spans)
        }
    }
}

/// [`features_into`] by the full parse, for the lines the scanner leaves to it.
pub(super) fn parsed_features<'a>(
    line: &'a str,
    max_tokens: usize,
    out: &mut Vec<Cow<'a, str>>,
) -> (LineFamily<'a>, Spans) {
    let base = out.len();
    // Only `event` and the message keys are read: the rest of the object is skipped unparsed.
    if let Some(s) = Structlog::parse_only(line, |k| k == "event" || MESSAGE_KEYS.contains(&k))
        && let Some(event) = s.event()
    {
        let mut keys = Keys::default();
        let mut spans = Spans::default();
        for (k, v) in s.entries() {
            let Some(text) = v.as_str() else { continue };
            let Some(at) = MESSAGE_KEYS.iter().position(|m| m == k) else {
                continue;
            };
            if keys.has(at) {
                continue;
            }
            let escaped = escape(text);
            let room = max_tokens.saturating_sub(out.len() - base).max(1);
            for t in split(&escaped, room) {
                out.push(Cow::Owned(mask(t).into_owned()));
            }
            keys.push(at);
            spans.push(out.len() - base);
        }
        let family = LineFamily::Structlog {
            event: Cow::Owned(event.into_owned()),
            keys,
        };
        return (family, spans);
    }
    text_features(line, max_tokens, out)
}

fn text_features<'a>(
    line: &'a str,
    max_tokens: usize,
    out: &mut Vec<Cow<'a, str>>,
) -> (LineFamily<'a>, Spans) {
    let base = out.len();
    out.extend(split_tokens(line, max_tokens).map(mask));
    let mut spans = Spans::default();
    spans.push(out.len() - base);
    (LineFamily::Text, spans)
}

/// A string's JSON-escaped text without the quotes: what the raw line holds (for lines
/// written by a JSON encoder that escapes like `serde_json`; others are caught by the
/// exactness check).
pub fn escape(text: &str) -> String {
    let q = serde_json::Value::String(text.to_string()).to_string();
    q[1..q.len() - 1].to_string()
}
