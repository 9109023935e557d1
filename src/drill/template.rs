//! A cluster's text: the template shown to people, and the pattern-match text for Loki's
//! `|>`/`!>` filters, built from the same tokens.

use super::miner::{Cluster, Family, escape};
use super::token::WILDCARD;

/// The pieces of a structlog cluster's fields: (key, tokens of its value).
fn fields<'c>(keys: &'c [String], c: &'c Cluster) -> impl Iterator<Item = (&'c str, &'c [String])> {
    let mut from = 0;
    keys.iter().zip(&c.spans).map(move |(k, &end)| {
        let toks = &c.tokens[from..end.min(c.tokens.len())];
        from = end;
        (k.as_str(), toks)
    })
}

pub fn display(family: &Family, c: &Cluster) -> String {
    match family {
        Family::Text => c.tokens.join(" "),
        Family::Structlog { event, keys } => {
            let mut s = event.clone();
            for (k, toks) in fields(keys, c) {
                s.push_str(&format!(" {k}=\"{}\"", toks.join(" ")));
            }
            s
        }
    }
}

/// The pattern-match text that selects a cluster's raw lines: a text line's tokens joined
/// by single spaces; a structlog line's `{"event":"…"`, then each message field as
/// `"key":"…"`, with `<_>` between and after. `None` when a literal holds `<` (Loki would
/// read `<name>` as a capture) or the pattern would be empty.
pub fn logql_text(family: &Family, c: &Cluster) -> Option<String> {
    let text = match family {
        Family::Text => c.tokens.join(" "),
        Family::Structlog { event, keys } => {
            let mut s = format!("{{\"event\":\"{}\"", escape(event));
            for (k, toks) in fields(keys, c) {
                s.push_str(&format!(
                    "{WILDCARD}\"{}\":\"{}\"",
                    escape(k),
                    toks.join(" ")
                ));
            }
            s.push_str(WILDCARD);
            s
        }
    };
    let literal_lt = text.split(WILDCARD).any(|lit| lit.contains('<'));
    (!text.is_empty() && !literal_lt).then_some(text)
}
