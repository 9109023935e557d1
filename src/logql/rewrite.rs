//! Rewriting LogQL text, in one place for every front end: adding a matcher to the stream
//! selector (scenes' `--module`), appending a label filter, "filter for / filter out" on a
//! field as Grafana Explore does (a stream label goes into the selector, `{…, level="error"}` /
//! `level!="error"`; any other field becomes a label filter after a parser, `| json |
//! tool="fetch"` / `!=`), and pattern include/exclude filters (`|>` / `!>`). Values are
//! written with [`quote`], so no value can change the query's structure.

use super::quote;

/// Byte range of the stream selector `{…}` (braces included), skipping quoted strings.
fn selector_span(q: &str) -> Option<(usize, usize)> {
    let start = q.find('{')?;
    let mut in_str: Option<char> = None;
    let mut escaped = false;
    for (i, c) in q[start..].char_indices() {
        if let Some(quote) = in_str {
            if escaped {
                escaped = false;
            } else if c == '\\' && quote == '"' {
                escaped = true;
            } else if c == quote {
                in_str = None;
            }
            continue;
        }
        match c {
            '"' | '`' => in_str = Some(c),
            '}' => return Some((start, start + i + 1)),
            _ => {}
        }
    }
    None
}

/// Splits a selector body into matchers at top-level commas.
fn split_matchers(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_str: Option<char> = None;
    let mut escaped = false;
    for c in body.chars() {
        if let Some(q) = in_str {
            cur.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                in_str = None;
            }
            continue;
        }
        match c {
            '"' | '`' => {
                in_str = Some(c);
                cur.push(c);
            }
            ',' => {
                if !cur.trim().is_empty() {
                    out.push(cur.trim().to_string());
                }
                cur.clear();
            }
            c => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn matcher_name(m: &str) -> &str {
    let end = m
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(m.len());
    &m[..end]
}

/// Adds `name op "value"` to the stream selector (filter for replaces other matchers on the
/// same label; filter out removes an identical positive matcher).
pub fn with_stream_label(query: &str, name: &str, value: &str, include: bool) -> String {
    let Some((s, e)) = selector_span(query) else {
        let op = if include { "=" } else { "!=" };
        return format!("{{{name}{op}{}}} {}", quote(value), query.trim())
            .trim_end()
            .to_string();
    };
    let mut matchers = split_matchers(&query[s + 1..e - 1]);
    let positive = format!("{name}={}", quote(value));
    if include {
        matchers.retain(|m| matcher_name(m) != name);
        matchers.push(positive);
    } else {
        matchers.retain(|m| m.replace(' ', "") != positive);
        matchers.push(format!("{name}!={}", quote(value)));
    }
    format!("{}{{{}}}{}", &query[..s], matchers.join(", "), &query[e..])
}

/// Adds `| json | name op "value"` after the pipeline (reusing an existing parser stage).
pub fn with_field_filter(query: &str, name: &str, value: &str, include: bool) -> String {
    let op = if include { "=" } else { "!=" };
    let q = query.trim_end();
    let after_selector = selector_span(q).map_or(q, |(_, e)| &q[e..]);
    let has_parser = ["| json", "|json", "| logfmt", "|logfmt"]
        .iter()
        .any(|p| after_selector.contains(p));
    let parser = if has_parser { "" } else { " | json" };
    format!("{q}{parser} | {name}{op}{}", quote(value))
}

/// Filter for/out a field of a line: stream labels go into the selector, the rest are filters.
pub fn filter(
    query: &str,
    name: &str,
    value: &str,
    is_stream_label: bool,
    include: bool,
) -> String {
    if is_stream_label {
        with_stream_label(query, name, value, include)
    } else {
        with_field_filter(query, name, value, include)
    }
}

/// Adds `name="value"` to the first stream selector of a query (replacing nothing: an
/// existing matcher on the same label stays, so both must hold). `None` when the query has no
/// selector.
pub fn with_matcher(query: &str, name: &str, value: &str) -> Option<String> {
    let (open, close) = selector_span(query)?;
    let inner = query[open + 1..close - 1].trim();
    let sep = if inner.is_empty() { "" } else { ", " };
    Some(format!(
        "{}{{{inner}{sep}{name}={}}}{}",
        &query[..open],
        quote(value),
        &query[close..]
    ))
}

/// Appends a label filter (`| name="value"`) to a log query that parses its lines.
pub fn with_label_filter(query: &str, name: &str, value: &str) -> String {
    format!("{query} | {name}={}", quote(value))
}

/// The pipeline of a log query: everything after its stream selector (`| json | a="b"`),
/// trimmed; empty without a selector. Log context keeps it to narrow a stream as the query did.
pub fn pipeline_of(query: &str) -> &str {
    selector_span(query).map_or("", |(_, e)| query[e..].trim())
}

/// Appends a pattern line filter: `|> "pattern"` to keep the lines it matches, `!> "pattern"`
/// to drop them.
pub fn with_pattern_filter(query: &str, pattern: &str, include: bool) -> String {
    let op = if include { "|>" } else { "!>" };
    format!("{} {op} {}", query.trim_end(), quote(pattern))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipeline_is_what_follows_the_selector() {
        assert_eq!(
            pipeline_of(r#"{app="a}b", m="x"} | json | status="500" "#),
            r#"| json | status="500""#
        );
        assert_eq!(pipeline_of(r#"{app="a"}"#), "");
        assert_eq!(pipeline_of("no selector"), "");
    }

    #[test]
    fn stream_label_into_selector() {
        let q = r#"{app="vulnsentinel"} |= "x""#;
        assert_eq!(
            filter(q, "module", "agent", true, true),
            r#"{app="vulnsentinel", module="agent"} |= "x""#
        );
        assert_eq!(
            filter(q, "level", "debug", true, false),
            r#"{app="vulnsentinel", level!="debug"} |= "x""#
        );
    }

    #[test]
    fn filter_for_replaces_same_label() {
        let q = r#"{app="v", module=~"api|db"}"#;
        assert_eq!(
            filter(q, "module", "db", true, true),
            r#"{app="v", module="db"}"#
        );
        let q = r#"{app="v", level="info"}"#;
        assert_eq!(
            filter(q, "level", "info", true, false),
            r#"{app="v", level!="info"}"#
        );
    }

    #[test]
    fn selector_with_braces_in_strings() {
        let q = r#"{app="a}b"} | json"#;
        assert_eq!(
            filter(q, "x", "1", true, true),
            r#"{app="a}b", x="1"} | json"#
        );
    }

    #[test]
    fn field_becomes_label_filter() {
        assert_eq!(
            filter(r#"{app="v"}"#, "tool", "fetch", false, true),
            r#"{app="v"} | json | tool="fetch""#
        );
        assert_eq!(
            filter(
                r#"{app="v"} | json | level="error""#,
                "agent_id",
                "ag-\"1",
                false,
                false
            ),
            r#"{app="v"} | json | level="error" | agent_id!="ag-\"1""#
        );
    }

    #[test]
    fn matcher_goes_into_the_selector() {
        assert_eq!(
            with_matcher(r#"{app="v"} | json | level="error""#, "module", "agent").unwrap(),
            r#"{app="v", module="agent"} | json | level="error""#
        );
        assert_eq!(with_matcher("{}", "a", "b").unwrap(), r#"{a="b"}"#);
        assert_eq!(
            with_matcher(r#"{app="}\"{"} |= "x""#, "m", "a\"b").unwrap(),
            r#"{app="}\"{", m="a\"b"} |= "x""#
        );
        assert_eq!(with_matcher("1 + 1", "a", "b"), None);
    }

    #[test]
    fn label_filter_is_appended_and_escaped() {
        assert_eq!(
            with_label_filter(r#"{app="v"} | json"#, "agent_type", "x\"y"),
            r#"{app="v"} | json | agent_type="x\"y""#
        );
    }

    #[test]
    fn pattern_include_and_exclude() {
        assert_eq!(
            with_pattern_filter(r#"{app="v"} | json "#, "<_> rate limit <_>", true),
            r#"{app="v"} | json |> "<_> rate limit <_>""#
        );
        let q = with_pattern_filter(r#"{app="v"}"#, "a\"b <_>", false);
        assert_eq!(q, r#"{app="v"} !> "a\"b <_>""#);
        assert!(crate::logql::parse(&q).is_ok());
    }
}
