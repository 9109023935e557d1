//! Token classes for highlighting a query in an editor. Works on incomplete or invalid input:
//! everything up to a lexing error is classified, the rest is one `Error` span.

use super::lexer::{Tok, lex_partial};
use super::{Token, TokenKind};

const KEYWORDS: &[&str] = &[
    "by",
    "without",
    "bool",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "offset",
    "and",
    "or",
    "unless",
    "json",
    "logfmt",
    "regexp",
    "pattern",
    "unpack",
    "line_format",
    "label_format",
    "drop",
    "keep",
    "decolorize",
    "unwrap",
];

const FUNCTIONS: &[&str] = &[
    "count_over_time",
    "rate",
    "bytes_over_time",
    "bytes_rate",
    "sum_over_time",
    "avg_over_time",
    "min_over_time",
    "max_over_time",
    "stddev_over_time",
    "stdvar_over_time",
    "quantile_over_time",
    "first_over_time",
    "last_over_time",
    "absent_over_time",
    "rate_counter",
    "sum",
    "avg",
    "min",
    "max",
    "count",
    "stddev",
    "stdvar",
    "topk",
    "bottomk",
    "sort",
    "sort_desc",
    "vector",
    "label_replace",
    "ip",
    "duration",
    "duration_seconds",
    "bytes",
];

/// Classifies every token of `query` (byte spans, in order). Never fails or panics.
pub fn highlight(query: &str) -> Vec<Token> {
    let (toks, err) = lex_partial(query);
    let mut out = Vec::with_capacity(toks.len() + 1);
    for (i, t) in toks.iter().enumerate() {
        let next_is_paren = matches!(toks.get(i + 1).map(|n| &n.tok), Some(Tok::Op("(")));
        let kind = match &t.tok {
            Tok::Ident(s) => {
                // Keywords and function names are case-insensitive, as in Loki.
                let s = &s.to_ascii_lowercase();
                let next_is_cmp = matches!(
                    toks.get(i + 1).map(|n| &n.tok),
                    Some(Tok::Op(
                        "=" | "!=" | "=~" | "!~" | "==" | ">" | ">=" | "<" | "<="
                    ))
                );
                if next_is_cmp {
                    TokenKind::Label
                } else if FUNCTIONS.contains(&s.as_str()) && next_is_paren {
                    TokenKind::Function
                } else if KEYWORDS.contains(&s.as_str()) {
                    TokenKind::Keyword
                } else if FUNCTIONS.contains(&s.as_str()) {
                    TokenKind::Function
                } else {
                    TokenKind::Label
                }
            }
            Tok::Str(_) => TokenKind::String,
            Tok::Number(_) | Tok::Bytes(_) => TokenKind::Number,
            Tok::Duration(_) => TokenKind::Duration,
            Tok::Flag(_) => TokenKind::Keyword,
            Tok::Op(o) => match *o {
                "{" | "}" | "(" | ")" | "[" | "]" | "," => TokenKind::Punctuation,
                _ => TokenKind::Operator,
            },
            Tok::Eof => continue,
        };
        out.push(Token {
            start: t.start,
            end: t.end,
            kind,
        });
    }
    if let Some(e) = err {
        out.push(Token {
            start: e.pos,
            end: query.len().max(e.pos),
            kind: TokenKind::Error,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(q: &str) -> Vec<(String, TokenKind)> {
        highlight(q)
            .into_iter()
            .map(|t| (q[t.start..t.end].to_string(), t.kind))
            .collect()
    }

    #[test]
    fn keywords_in_any_case() {
        let k = kinds(r#"SUM BY (module) (Rate({app="x"} | JSON [5m])) // note"#);
        assert_eq!(k[0], ("SUM".into(), TokenKind::Function));
        assert_eq!(k[1], ("BY".into(), TokenKind::Keyword));
        assert!(k.contains(&("Rate".into(), TokenKind::Function)));
        assert!(k.contains(&("JSON".into(), TokenKind::Keyword)));
        assert!(!k.iter().any(|(t, _)| t.contains("note")));
    }

    #[test]
    fn classifies_a_metric_query() {
        let k = kinds(r#"sum by (module) (rate({app="x"} | json | status >= 500 [5m]))"#);
        assert_eq!(k[0], ("sum".into(), TokenKind::Function));
        assert_eq!(k[1], ("by".into(), TokenKind::Keyword));
        assert_eq!(k[3], ("module".into(), TokenKind::Label));
        assert!(k.contains(&("rate".into(), TokenKind::Function)));
        assert!(k.contains(&("\"x\"".into(), TokenKind::String)));
        assert!(k.contains(&("json".into(), TokenKind::Keyword)));
        assert!(k.contains(&("status".into(), TokenKind::Label)));
        assert!(k.contains(&("500".into(), TokenKind::Number)));
        assert!(k.contains(&("5m".into(), TokenKind::Duration)));
        assert!(k.contains(&(">=".into(), TokenKind::Operator)));
    }

    #[test]
    fn tolerates_incomplete_input() {
        let k = kinds(r#"{app="vuln"} |= "unterminated"#);
        assert_eq!(k.last().unwrap().1, TokenKind::Error);
        assert!(highlight("").is_empty());
        for q in [
            "{", "|", "\"", "`", "sum(", "{a=~", "1e", "5x", "é", "{a=\"\\",
        ] {
            let _ = highlight(q);
        }
    }
}
