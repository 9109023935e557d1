//! The logs behind a metric query (Grafana's "logs sample"): the selector and pipeline of its
//! first log range, without the range, `offset`, `unwrap` and what follows `unwrap`, so the
//! lines that were counted can be read. Cut from the query's own text (token spans), so the
//! user sees the stages as they wrote them.

use super::ast::Expr;
use super::lexer::{Tok, lex};
use super::parse;

/// The log query whose lines `query` aggregates: a log query is its own; a metric query gives
/// its first log range's `{selector} | pipeline`. `None` when the query does not parse or reads
/// no logs (`vector(1)`, `2 * 3`).
pub fn logs_behind(query: &str) -> Option<String> {
    match parse(query).ok()? {
        Expr::Log(_) => return Some(query.trim().to_string()),
        Expr::Metric(_) => {}
    }
    let toks = lex(query).ok()?;
    let first = toks.iter().position(|t| t.tok == Tok::Op("{"))?;
    let mut parts: Vec<&str> = Vec::new();
    // start of the segment being kept (a byte offset), `None` while skipping
    let mut seg: Option<usize> = None;
    let mut depth = 0usize;
    let mut i = first;
    let mut end_at = query.len();
    while let Some(t) = toks.get(i) {
        let next = toks.get(i + 1).map(|n| &n.tok);
        let unwrap = matches!(next, Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("unwrap"));
        match &t.tok {
            Tok::Eof => {
                end_at = t.start;
                break;
            }
            Tok::Op(")") if depth == 0 => {
                end_at = t.start;
                break;
            }
            Tok::Op("|") if depth == 0 && unwrap => {
                end_at = t.start;
                break;
            }
            Tok::Op("[") if depth == 0 => {
                if let Some(s) = seg.take() {
                    parts.push(&query[s..t.start]);
                }
                // skip `[d]` and `offset [-]d`
                i += 1;
                while toks.get(i).is_some_and(|t| t.tok != Tok::Op("]")) {
                    i += 1;
                }
                i += 1;
                if matches!(toks.get(i).map(|t| &t.tok), Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("offset"))
                {
                    i += 1;
                    if toks.get(i).is_some_and(|t| t.tok == Tok::Op("-")) {
                        i += 1;
                    }
                    i += 1;
                }
                continue;
            }
            Tok::Op("(") | Tok::Op("{") => depth += 1,
            Tok::Op(")") | Tok::Op("}") => depth = depth.saturating_sub(1),
            _ => {}
        }
        if seg.is_none() {
            seg = Some(t.start);
        }
        i += 1;
    }
    if let Some(s) = seg {
        parts.push(&query[s..end_at.max(s)]);
    }
    let text = parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    match parse(&text).ok()? {
        Expr::Log(_) => Some(text),
        Expr::Metric(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::logs_behind;

    fn behind(q: &str) -> Option<String> {
        logs_behind(q)
    }

    #[test]
    fn a_range_aggregation_gives_its_selector_and_pipeline() {
        assert_eq!(
            behind(r#"sum by (module) (count_over_time({app="x", level="error"} [5m]))"#)
                .as_deref(),
            Some(r#"{app="x", level="error"}"#)
        );
        assert_eq!(
            behind(r#"rate({app="x"} | json | status >= 500 | __error__="" [1m])"#).as_deref(),
            Some(r#"{app="x"} | json | status >= 500 | __error__="""#)
        );
    }

    #[test]
    fn unwrap_and_what_follows_it_are_dropped() {
        assert_eq!(
            behind(
                r#"quantile_over_time(0.95, {app="x", module="api"} | json | event="request.end" | unwrap duration_ms | __error__="" [5m]) by (method)"#
            )
            .as_deref(),
            Some(r#"{app="x", module="api"} | json | event="request.end""#)
        );
        assert_eq!(
            behind(r#"sum(sum_over_time({a="b"} | logfmt | unwrap duration(d) [5m]))"#).as_deref(),
            Some(r#"{a="b"} | logfmt"#)
        );
    }

    #[test]
    fn range_before_the_pipeline_offset_and_parentheses() {
        assert_eq!(
            behind(r#"count_over_time({a="b"}[5m] | json | x="y")"#).as_deref(),
            Some(r#"{a="b"} | json | x="y""#)
        );
        assert_eq!(
            behind(r#"count_over_time({a="b"} |= "e" [5m] offset 1h)"#).as_deref(),
            Some(r#"{a="b"} |= "e""#)
        );
        assert_eq!(
            behind(r#"rate(({a="b"} | json | (x="1" or y="2"))[5m])"#).as_deref(),
            Some(r#"{a="b"} | json | (x="1" or y="2")"#)
        );
    }

    #[test]
    fn binary_operations_take_the_first_log_range() {
        assert_eq!(
            behind(
                r#"100 * (sum(count_over_time({a="b"} | json | event="fail" [1h])) or vector(0)) / sum(count_over_time({a="b"} | json | event="start" [1h]))"#
            )
            .as_deref(),
            Some(r#"{a="b"} | json | event="fail""#)
        );
    }

    #[test]
    fn pipeline_commas_and_braces_in_strings_are_kept() {
        assert_eq!(
            behind(r#"count_over_time({a="b"} | json x="y", z="w" | line_format "{{.x}} )" [5m])"#)
                .as_deref(),
            Some(r#"{a="b"} | json x="y", z="w" | line_format "{{.x}} )""#)
        );
    }

    #[test]
    fn log_queries_are_their_own_and_no_logs_gives_none() {
        assert_eq!(
            behind(r#" {a="b"} |= "x" "#).as_deref(),
            Some(r#"{a="b"} |= "x""#)
        );
        assert_eq!(behind("vector(1)"), None);
        assert_eq!(behind("1 + 2"), None);
        assert_eq!(behind("sum(rate({a=\"b\"}[5m]"), None, "does not parse");
    }
}
