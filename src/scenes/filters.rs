//! Narrowing a scene's log query from the command line (`--module`, `--agent-type`).

pub use crate::logql::quote;

/// Adds `name="value"` to the first stream selector of a query (replacing nothing: an
/// existing matcher on the same label stays, so both must hold). `None` when the query has no
/// selector.
pub fn with_matcher(query: &str, name: &str, value: &str) -> Option<String> {
    let open = query.find('{')?;
    let mut in_str: Option<char> = None;
    let mut escaped = false;
    for (i, c) in query[open + 1..].char_indices() {
        let pos = open + 1 + i;
        match in_str {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    in_str = None;
                }
            }
            None => match c {
                '"' | '`' => in_str = Some(c),
                '}' => {
                    let inner = query[open + 1..pos].trim();
                    let sep = if inner.is_empty() { "" } else { ", " };
                    return Some(format!(
                        "{}{{{inner}{sep}{name}={}}}{}",
                        &query[..open],
                        quote(value),
                        &query[pos + 1..]
                    ));
                }
                _ => {}
            },
        }
    }
    None
}

/// Appends a label filter (`| name="value"`) to a log query that parses its lines.
pub fn with_label_filter(query: &str, name: &str, value: &str) -> String {
    format!("{query} | {name}={}", quote(value))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
