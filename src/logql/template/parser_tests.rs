use super::super::lexer::lex;
use super::*;

fn p(s: &str) -> Result<Vec<Node>, String> {
    parse(lex(s)?)
}

#[test]
fn pipeline_and_call() {
    let n = p("{{ default \"-\" .tool | ToUpper }}").unwrap();
    let Node::Action(pipe) = &n[0] else {
        panic!("{n:?}")
    };
    assert_eq!(pipe.cmds.len(), 2);
    assert_eq!(
        pipe.cmds[0],
        vec![
            Arg::Func("default".into()),
            Arg::Str("-".into()),
            Arg::Field(vec!["tool".into()])
        ]
    );
}

#[test]
fn if_else_chain() {
    let n = p("{{if eq .a \"1\"}}one{{else if .b}}b{{else}}none{{end}}").unwrap();
    let Node::If(branches, els) = &n[0] else {
        panic!("{n:?}")
    };
    assert_eq!(branches.len(), 2);
    assert_eq!(els, &vec![Node::Text("none".into())]);
}

#[test]
fn numbers() {
    assert_eq!(number("0x1F"), Some(Arg::Int(31)));
    assert_eq!(number("1_000"), Some(Arg::Int(1000)));
    assert_eq!(number("-2.5"), Some(Arg::Float(-2.5)));
    assert_eq!(number("1e3"), Some(Arg::Float(1000.0)));
    assert_eq!(number("abc"), None);
}

#[test]
fn errors() {
    assert_eq!(
        p("{{ foo .a }}").unwrap_err(),
        "line:1: function \"foo\" not defined"
    );
    assert!(p("{{ if .a }}x").unwrap_err().contains("unexpected EOF"));
    assert!(p("{{ end }}").unwrap_err().contains("unexpected"));
    assert!(p("{{ $y }}").unwrap_err().contains("undefined variable"));
    assert!(p("{{ .a | }}").unwrap_err().contains("missing command"));
    assert!(p("{{ (.a }}").unwrap_err().contains("paren"));
    assert!(p("{{ template \"x\" }}").is_err());
    assert!(p("\n{{ nope }}").unwrap_err().starts_with("line:2:"));
}

#[test]
fn variables_scope() {
    assert!(p("{{ $x := .a }}{{ $x }}{{ $x = \"b\" }}").is_ok());
    assert!(p("{{ if .a }}{{ $x := 1 }}{{ end }}{{ $x }}").is_err());
}
