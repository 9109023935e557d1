use super::*;

#[test]
fn text_and_action() {
    let t = lex("a {{ .x | ToUpper }} b").unwrap();
    assert_eq!(
        t,
        vec![
            Tok::Text("a ".into()),
            Tok::Open(1),
            Tok::Field(vec!["x".into()]),
            Tok::Pipe,
            Tok::Ident("ToUpper".into()),
            Tok::Close,
            Tok::Text(" b".into()),
        ]
    );
}

#[test]
fn trim_markers() {
    let t = lex("a  \n{{- 3 -}}  \n b").unwrap();
    assert_eq!(
        t,
        vec![
            Tok::Text("a".into()),
            Tok::Open(2),
            Tok::Number("3".into()),
            Tok::Close,
            Tok::Text("b".into())
        ]
    );
    // `{{-3}}` is the number -3, not a trim marker.
    let t = lex("a {{-3}}").unwrap();
    assert_eq!(t[2], Tok::Number("-3".into()));
}

#[test]
fn strings_and_escapes() {
    let t = lex(r#"{{ "a\tb\x41\u00e9\"" `raw\n` 'x' }}"#).unwrap();
    assert_eq!(t[1], Tok::Str("a\tbAé\"".into()));
    assert_eq!(t[2], Tok::Str("raw\\n".into()));
    assert_eq!(t[3], Tok::Char('x'));
}

#[test]
fn vars_comments_and_errors() {
    let t = lex("{{ $x := .a }}{{/* c */}}{{ $ }}").unwrap();
    assert_eq!(t[1], Tok::Var("x".into(), vec![]));
    assert_eq!(t[2], Tok::Declare);
    assert_eq!(t[5], Tok::Open(1));
    assert_eq!(t[6], Tok::Var(String::new(), vec![]));
    assert!(lex("{{ .a ").unwrap_err().contains("unclosed action"));
    assert!(lex("{{ \"abc }}").unwrap_err().contains("unterminated"));
    assert!(lex("{{ # }}").is_err());
}
