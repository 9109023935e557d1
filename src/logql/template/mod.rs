//! Go `text/template`, the subset Loki's `line_format` and `label_format` accept.
//!
//! Used by the LogQL pipeline's `line_format` and `label_format` stages.
//!
//! Loki runs templates with `missingkey=zero` over a `map[string]string` of the entry's labels,
//! so a missing label renders as the empty string. Unknown functions fail at parse time with
//! Go's wording (`function "foo" not defined`).

mod decimal;
mod encode;
mod exec;
mod funcs;
mod lexer;
mod math;
mod parser;
mod printf;
mod strfuncs;
mod timefmt;
mod timefuncs;
mod value;

use super::LogqlError;
use parser::{Arg, Node};

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    nodes: Vec<Node>,
    /// The template text when it holds no action: rendering is then a copy.
    literal: Option<String>,
    /// Label names the template reads (`.name`), so a caller can tell what it depends on.
    fields: Vec<String>,
}

/// What a template can see while rendering one entry.
pub trait TemplateContext {
    /// A label's value (`{{.name}}`); `None` renders as the empty string.
    fn label(&self, name: &str) -> Option<&str>;
    /// The current line (`{{ __line__ }}`).
    fn line(&self) -> &str;
    /// The entry's timestamp, ns (`{{ __timestamp__ }}`).
    fn timestamp_ns(&self) -> i64;
}

impl Template {
    /// Parses a template; errors read like Go's (`template: line:1: function "foo" not defined`).
    pub fn parse(text: &str) -> Result<Self, LogqlError> {
        let wrap = |e: String| LogqlError::msg(format!("template: {e}"));
        let (toks, spots) = lexer::lex_pos(text).map_err(wrap)?;
        let nodes = parser::parse_pos(toks, spots).map_err(wrap)?;
        let literal = match nodes.as_slice() {
            [] => Some(String::new()),
            [Node::Text(t)] => Some(t.clone()),
            _ => None,
        };
        let mut fields = Vec::new();
        collect_fields(&nodes, &mut fields);
        Ok(Self {
            nodes,
            literal,
            fields,
        })
    }

    /// Renders the template for one entry.
    pub fn render(&self, ctx: &dyn TemplateContext) -> Result<String, LogqlError> {
        if let Some(l) = &self.literal {
            return Ok(l.clone());
        }
        let mut out = String::new();
        exec::Exec::new(ctx)
            .run(&self.nodes, &value::Value::Labels, &mut out)
            .map_err(|e| match e.strip_prefix(exec::AT) {
                // Go: `template: line:1:3: executing "line" at <div .x 0>: error calling div: …`
                Some(e) => LogqlError::msg(format!("template: line:{e}")),
                None => LogqlError::msg(format!("template: line: executing \"line\": {e}")),
            })?;
        Ok(out)
    }

    /// The label names the template reads with `.name` (first segment), sorted, deduplicated.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }
}

fn collect_fields(nodes: &[Node], out: &mut Vec<String>) {
    fn pipe(p: &parser::Pipeline, out: &mut Vec<String>) {
        for a in p.cmds.iter().flatten() {
            match a {
                Arg::Field(f) => out.extend(f.first().cloned()),
                Arg::Sub(p, _) => pipe(p, out),
                _ => {}
            }
        }
    }
    for n in nodes {
        match n {
            Node::Text(_) => {}
            Node::Action(p) => pipe(p, out),
            Node::If(b, e) | Node::With(b, e) => {
                for (p, body) in b {
                    pipe(p, out);
                    collect_fields(body, out);
                }
                collect_fields(e, out);
            }
            Node::Range(p, body, e) => {
                pipe(p, out);
                collect_fields(body, out);
                collect_fields(e, out);
            }
        }
    }
    out.sort();
    out.dedup();
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::BTreeMap;

    pub struct Ctx {
        pub labels: BTreeMap<String, String>,
        pub line: String,
        pub ts: i64,
    }

    impl TemplateContext for Ctx {
        fn label(&self, name: &str) -> Option<&str> {
            self.labels.get(name).map(String::as_str)
        }
        fn line(&self) -> &str {
            &self.line
        }
        fn timestamp_ns(&self) -> i64 {
            self.ts
        }
    }

    pub fn ctx() -> Ctx {
        let mut labels = BTreeMap::new();
        labels.insert("a".to_string(), "hello world".to_string());
        labels.insert("n".to_string(), "7".to_string());
        labels.insert("event".to_string(), "tool.call".to_string());
        Ctx {
            labels,
            line: "the line".into(),
            ts: 1_795_585_848_695_220_000,
        }
    }

    pub fn render(t: &str) -> String {
        Template::parse(t)
            .unwrap_or_else(|e| panic!("{t}: {e}"))
            .render(&ctx())
            .unwrap_or_else(|e| panic!("{t}: {e}"))
    }

    pub fn render_err(t: &str) -> String {
        Template::parse(t)
            .and_then(|p| p.render(&ctx()))
            .unwrap_err()
            .message
    }

    #[test]
    fn text_fields_and_missing() {
        assert_eq!(render("plain"), "plain");
        assert_eq!(render("{{.event}} agent={{.agent_id}}"), "tool.call agent=");
        assert_eq!(
            render("{{ .event | ToUpper }} {{ default \"-\" .tool }}"),
            "TOOL.CALL -"
        );
        assert_eq!(render("{{ __line__ }}|{{ __line__ | len }}"), "the line|8");
    }

    #[test]
    fn control_flow() {
        assert_eq!(
            render("{{ if eq .n \"7\" }}seven{{ else if .a }}a{{ else }}none{{ end }}"),
            "seven"
        );
        assert_eq!(render("{{ if .zz }}x{{ else if .a }}a{{ end }}"), "a");
        assert_eq!(render("{{ if .zz }}x{{ else }}y{{ end }}"), "y");
        assert_eq!(
            render(
                "{{ with .a }}[{{ . }}]{{ else }}no{{ end }}{{ with .zz }}x{{ else }}no{{ end }}"
            ),
            "[hello world]no"
        );
        assert_eq!(
            render(
                "{{ range 3 }}{{ . }}{{ end }}|{{ range $i := 2 }}{{ $i }}{{ end }}|{{ range 0 }}x{{ else }}e{{ end }}"
            ),
            "012|01|e"
        );
        assert_eq!(render("a  {{- \" b \" -}}  c"), "a b c");
        assert_eq!(render("{{/* comment */}}x{{- /* c2 */ -}}  y"), "xy");
    }

    #[test]
    fn variables_and_parens() {
        assert_eq!(
            render("{{ $x := .a }}{{ $x = ToUpper $x }}{{ $x }}"),
            "HELLO WORLD"
        );
        assert_eq!(
            render("{{ $.event }} {{ (printf \"%s!\" .n) }} {{ len (print .a) }}"),
            "tool.call 7! 11"
        );
        assert_eq!(render("{{ printf \"%s-%d\" .a 3 }}"), "hello world-3");
        assert_eq!(
            render(r#"{{ "a\tb" }}{{ `c\t` }}{{ 1.5 }}{{ 0x10 }}{{ 'a' }}{{ true }}"#),
            "a\tbc\\t1.51697true"
        );
    }

    #[test]
    fn parse_errors_name_the_problem() {
        assert_eq!(
            Template::parse("{{ foo .a }}").unwrap_err().message,
            "template: line:1: function \"foo\" not defined"
        );
        assert!(
            Template::parse("{{ .a ")
                .unwrap_err()
                .message
                .contains("unclosed action")
        );
        assert!(
            Template::parse("{{ if .a }}")
                .unwrap_err()
                .message
                .contains("unexpected EOF")
        );
        assert!(Template::parse("{{ else }}").is_err());
        assert!(Template::parse("{{ fromJson .a }}").is_ok());
    }

    #[test]
    fn exec_errors() {
        assert!(render_err("{{ trunc \"x\" .a }}").contains("expected int"));
        assert!(render_err("{{ ToUpper 3 }}").contains("expected string"));
        assert!(render_err("{{ .a.b }}").contains("can't evaluate field b"));
        assert!(render_err("{{ .a 1 }}").contains("can't give argument"));
        assert!(render_err("{{ eq 1 \"1\" }}").contains("incompatible types"));
        assert!(render_err("{{ lt true false }}").contains("invalid type"));
        assert!(
            render_err("{{ trunc 1 }}").contains("wrong number of args for trunc: want 2 got 1")
        );
        // Loki 65e30f8's texts (lab, conformance data).
        assert_eq!(
            render_err("{{ lt 1.5 2 }}"),
            "template: line:1:3: executing \"line\" at <lt 1.5 2>: error calling lt: incompatible types for comparison: float64 and int"
        );
        assert_eq!(
            render_err("{{ range 1.5 }}x{{end}}"),
            "template: line:1:9: executing \"line\" at <1.5>: range can't iterate over 1.5"
        );
        // Loki prints `<no value>` here (fixture B14g).
        assert_eq!(render("{{ fromJson .a }}"), "<no value>");
    }

    #[test]
    fn random_templates_never_panic() {
        const PIECES: &[&str] = &[
            "{{",
            "}}",
            "{{-",
            "-}}",
            " ",
            ".a",
            ".n",
            "$",
            "$x",
            ":=",
            "=",
            "|",
            "(",
            ")",
            "\"",
            "`",
            "'",
            "if",
            "else",
            "end",
            "with",
            "range",
            "printf",
            "\"%d%s%-5.2f%q\"",
            "trunc",
            "-3",
            "1e400",
            "0x",
            "substr",
            "repeat",
            "99999999999",
            "indent",
            "toDate",
            "\"2006\"",
            "date",
            "__timestamp__",
            "index",
            "slice",
            "fromJson",
            "`{\"a\":[1]}`",
            "漏洞",
            "\\x",
            "/*",
            "*/",
            "eq",
            "and",
            "not",
        ];
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..20_000 {
            let n = rng.usize(1..12);
            let t: String = (0..n).map(|_| PIECES[rng.usize(..PIECES.len())]).collect();
            if let Ok(tpl) = Template::parse(&t) {
                let _ = tpl.render(&ctx());
            }
        }
    }

    #[test]
    fn huge_outputs_are_refused() {
        assert!(render_err("{{ repeat 99999999999 .a }}").contains("overflow"));
        assert!(render_err("{{ indent 99999999999 .a }}").contains("too large"));
        assert!(render_err("{{ range 99999999999 }}x{{ end }}").contains("exceeds the limit"));
        assert!(
            render_err("{{ range 1000 }}{{ range 1000 }}x{{ end }}{{ end }}")
                .contains("exceeds the limit")
        );
        assert_eq!(render("{{ printf \"%99999999d\" 1 }}").len(), 1 << 16);
    }

    #[test]
    fn fields_lists_what_is_read() {
        let t =
            Template::parse("{{ .b }}{{ if .a }}{{ .c | ToUpper }}{{ end }}{{ (.a) }}").unwrap();
        assert_eq!(t.fields(), ["a", "b", "c"]);
    }
}
