//! Writing a value as a LogQL string literal: scenes fill parameters with it and the TUI's
//! "filter for / filter out" writes field values with it, so user text can never end the
//! string early and change the query.

/// `value` as a double-quoted LogQL string, with `\`, `"`, and control whitespace escaped.
pub fn quote(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('"');
    for c in value.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_parse_back_to_themselves() {
        for v in [
            "plain",
            r#"a"b"#,
            r"back\slash",
            "two\nlines\tand\rcr",
            "漏洞",
        ] {
            let q = format!("{{app={}}}", quote(v));
            let expr = crate::logql::parse(&q).expect("quoted value parses");
            assert!(
                format!("{expr:?}").contains(&format!("{v:?}")),
                "{v:?} in {expr:?}"
            );
        }
    }
}
