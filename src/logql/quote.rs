//! The one quoter for LogQL string literals and Go's `%q`.
//!
//! Loki prints a query back (stage text in errors, `for series: '{…}'` label sets) with Go's
//! `strconv.Quote`, and its lexer reads every escape that produces, so a LogQL string literal
//! and Go's `%q` are the same text: scenes fill parameters with it and the TUI's "filter for /
//! filter out" writes field values with it, so user text can never end the string early and
//! change the query. JSON strings are not written here: they go through `serde_json`.

/// `value` as a double-quoted LogQL string literal (the same text as Go's `%q`).
pub fn quote(value: &str) -> String {
    go_quote(value)
}

/// Go's `strconv.Quote`: `\a \b \f \n \r \t \v \\ \"` by name, other C0 controls and DEL as
/// `\xHH`, other characters Go does not print (C1 controls, non-ASCII spaces, line and
/// paragraph separators, format characters, private use) as `\uHHHH` or `\UHHHHHHHH`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    push_escaped(s, &mut out);
    out.push('"');
    out
}

/// Appends `s` escaped as the body of a double-quoted Go/LogQL string (no surrounding quotes).
pub fn push_escaped(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if !go_prints(c) => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
}

/// Go's `strconv.IsPrint` outside ASCII, without Unicode's full tables: false for the
/// categories Go escapes that occur in practice (Cc, Zs other than space, Zl, Zp, Cf, Co,
/// noncharacters). Unassigned code points, which Go also escapes, are printed as they are.
fn go_prints(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return (0x20..0x7f).contains(&u);
    }
    !matches!(u,
        0x80..=0xa0 // C1 controls, no-break space
        | 0xad // soft hyphen
        | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x890..=0x891 | 0x8e2
        | 0x1680 | 0x180e
        | 0x2000..=0x200f // spaces, zero-width characters, direction marks
        | 0x2028..=0x202f // line/paragraph separators, bidi embeddings, narrow nbsp
        | 0x205f..=0x2064 | 0x2066..=0x206f
        | 0x3000
        | 0xd800..=0xf8ff // (surrogates cannot occur) private use
        | 0xfdd0..=0xfdef
        | 0xfeff | 0xfff9..=0xfffb | 0xfffe..=0xffff
        | 0x110bd | 0x110cd | 0x13430..=0x1343f | 0x1bca0..=0x1bca3 | 0x1d173..=0x1d17a
        | 0xe0001 | 0xe0020..=0xe007f
        | 0xf0000..=0x10ffff)
        && (u & 0xfffe) != 0xfffe
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
            "\x07\x08\x0c\x0b\x01\x7f\u{85}\u{a0}\u{200b}\u{2028}\u{e000}\u{f0000}",
        ] {
            let q = format!("{{app={}}}", quote(v));
            let expr = crate::logql::parse(&q).expect("quoted value parses");
            assert!(
                format!("{expr:?}").contains(&format!("{v:?}")),
                "{v:?} in {expr:?}"
            );
        }
    }

    /// Loki 65e30f8's answer to
    /// `count_over_time({app="vulnsentinel"} | json | label_format x="\a\b\f\v\u0085é" [1h])`
    /// ends its series with `x="\a\b\f\v\u0085é"}'`; and to
    /// `{app="vulnsentinel"} |~ "(\a\u00a0\u200b\ue000"` it says
    /// `stage '|~ "(\a\u00a0\u200b\ue000"' : error parsing regexp: …`.
    #[test]
    fn matches_loki_go_quote() {
        assert_eq!(go_quote("\x07\x08\x0c\x0b\u{85}é"), r#""\a\b\f\v\u0085é""#);
        assert_eq!(
            go_quote("(\x07\u{a0}\u{200b}\u{e000}"),
            r#""(\a\u00a0\u200b\ue000""#
        );
        assert_eq!(go_quote("a\u{1b}b\n\"\\"), r#""a\x1bb\n\"\\""#);
        assert_eq!(go_quote("\u{10ffff}"), r#""\U0010ffff""#);
    }
}
