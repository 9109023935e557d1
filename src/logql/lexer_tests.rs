use super::*;

fn toks(s: &str) -> Vec<Tok> {
    lex(s).unwrap().into_iter().map(|t| t.tok).collect()
}

#[test]
fn lexes_selector_and_filters() {
    assert_eq!(
        toks(r#"{a="b"} |= `x\n` != "y\t""#),
        vec![
            Tok::Op("{"),
            Tok::Ident("a".into()),
            Tok::Op("="),
            Tok::Str("b".into()),
            Tok::Op("}"),
            Tok::Op("|="),
            Tok::Str("x\\n".into()),
            Tok::Op("!="),
            Tok::Str("y\t".into()),
            Tok::Eof
        ]
    );
}

#[test]
fn lexes_numbers_durations_bytes() {
    assert_eq!(
        toks("0.95 5m 1h30m 250ms 20MB 1KiB 1e3 -- --strict"),
        vec![
            Tok::Number(0.95),
            Tok::Duration(300_000_000_000),
            Tok::Duration(5_400_000_000_000),
            Tok::Duration(250_000_000),
            Tok::Bytes(20e6),
            Tok::Bytes(1024.0),
            Tok::Number(1000.0),
            Tok::Flag(String::new()),
            Tok::Flag("strict".into()),
            Tok::Eof
        ]
    );
}

#[test]
fn decodes_go_escapes() {
    assert_eq!(
        toks(r#""\u00e9\x41\101\\\"""#),
        vec![Tok::Str("éAA\\\"".into()), Tok::Eof]
    );
    assert!(lex(r#""\q""#).is_err());
    assert!(lex(r#""open"#).is_err());
}

#[test]
fn line_col_counts_chars() {
    assert_eq!(line_col("ab\ncdé f", 9), (2, 6));
    assert_eq!(line_col("ab\ncdé f", 7), (2, 4));
    assert_eq!(line_col("abc", 3), (1, 4));
}
