//! Builds the template tree from tokens: text, actions, `if`/`with`/`range` blocks, pipelines.
//! Unknown functions are rejected here, at parse time, as Go does.

use super::funcs;
use super::lexer::Tok;

/// A node of the template tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Text(String),
    Action(Pipeline),
    /// `if`/`else if` branches, then the `else` body.
    If(Vec<(Pipeline, Vec<Node>)>, Vec<Node>),
    With(Vec<(Pipeline, Vec<Node>)>, Vec<Node>),
    Range(Pipeline, Vec<Node>, Vec<Node>),
}

/// `$x := cmd | cmd`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    pub decl: Vec<String>,
    pub assign: bool,
    pub cmds: Vec<Vec<Arg>>,
    /// `(line, column)` of each command, for Go-style execution errors.
    pub at: Vec<(usize, usize)>,
}

/// An operand of a command.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Field(Vec<String>),
    Var(String, Vec<String>),
    Func(String),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Nil,
    Sub(Box<Pipeline>, Vec<String>),
}

struct Parser {
    toks: Vec<Tok>,
    /// `(line, column)` of each token (may be empty).
    spots: Vec<(usize, usize)>,
    pos: usize,
    line: usize,
    vars: Vec<String>,
}

/// Parses a token stream into nodes.
#[cfg(test)]
pub fn parse(toks: Vec<Tok>) -> Result<Vec<Node>, String> {
    parse_pos(toks, Vec::new())
}

/// Parses a token stream with each token's `(line, column)` (from `lexer::lex_pos`).
pub fn parse_pos(toks: Vec<Tok>, spots: Vec<(usize, usize)>) -> Result<Vec<Node>, String> {
    let mut p = Parser {
        toks,
        spots,
        pos: 0,
        line: 1,
        vars: vec![String::new()],
    };
    let (nodes, end) = p.list()?;
    match end {
        None => Ok(nodes),
        Some(kw) => Err(p.err(&format!("unexpected {{{{{kw}}}}}"))),
    }
}

impl Parser {
    fn err(&self, msg: &str) -> String {
        format!("line:{}: {msg}", self.line)
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        if let Some(Tok::Open(l)) = t {
            self.line = l;
        }
        t
    }

    /// Parses nodes until EOF or a block keyword (`end`, `else`), which is returned.
    fn list(&mut self) -> Result<(Vec<Node>, Option<String>), String> {
        let mut nodes = Vec::new();
        while let Some(t) = self.next() {
            match t {
                Tok::Text(s) => nodes.push(Node::Text(s)),
                Tok::Open(_) => {
                    if let Some(Tok::Ident(kw)) = self.peek().cloned() {
                        match kw.as_str() {
                            "end" | "else" => {
                                self.pos += 1;
                                return Ok((nodes, Some(kw)));
                            }
                            "if" | "with" | "range" => {
                                self.pos += 1;
                                nodes.push(self.block(&kw)?);
                                continue;
                            }
                            "define" | "template" | "block" | "break" | "continue" => {
                                return Err(self.err(&format!(
                                    "{{{{{kw}}}}} is not supported in Loki templates"
                                )));
                            }
                            _ => {}
                        }
                    }
                    let pipe = self.pipeline(true)?;
                    self.expect_close()?;
                    nodes.push(Node::Action(pipe));
                }
                other => return Err(self.err(&format!("unexpected {other:?}"))),
            }
        }
        Ok((nodes, None))
    }

    fn expect_close(&mut self) -> Result<(), String> {
        match self.next() {
            Some(Tok::Close) => Ok(()),
            Some(t) => Err(self.err(&format!("unexpected {} in operand", describe(&t)))),
            None => Err(self.err("unclosed action")),
        }
    }

    fn block(&mut self, kw: &str) -> Result<Node, String> {
        let scope = self.vars.len();
        let mut branches = Vec::new();
        let mut pipe = self.pipeline(true)?;
        if pipe.cmds.is_empty() {
            return Err(self.err(&format!("missing value for {kw}")));
        }
        self.expect_close()?;
        let else_body;
        loop {
            let (body, end) = self.list()?;
            match end.as_deref() {
                Some("end") => {
                    self.expect_close()?;
                    branches.push((pipe, body));
                    else_body = Vec::new();
                    break;
                }
                Some("else") => {
                    branches.push((pipe.clone(), body));
                    if kw != "range" && matches!(self.peek(), Some(Tok::Ident(k)) if k == kw) {
                        self.pos += 1;
                        pipe = self.pipeline(true)?;
                        self.expect_close()?;
                        continue;
                    }
                    self.expect_close()?;
                    let (body, end) = self.list()?;
                    if end.as_deref() != Some("end") {
                        return Err(self.err(&format!(
                            "expected end; found {}",
                            end.unwrap_or("EOF".into())
                        )));
                    }
                    self.expect_close()?;
                    else_body = body;
                    break;
                }
                _ => return Err(self.err(&format!("unexpected EOF in {kw}"))),
            }
        }
        self.vars.truncate(scope);
        Ok(match kw {
            "if" => Node::If(branches, else_body),
            "with" => Node::With(branches, else_body),
            _ => {
                let (p, body) = branches
                    .into_iter()
                    .next()
                    .ok_or_else(|| self.err("empty range"))?;
                Node::Range(p, body, else_body)
            }
        })
    }

    /// Parses a pipeline up to (not including) `}}` or `)`.
    fn pipeline(&mut self, allow_decl: bool) -> Result<Pipeline, String> {
        let mut pipe = Pipeline {
            decl: Vec::new(),
            assign: false,
            cmds: Vec::new(),
            at: Vec::new(),
        };
        if allow_decl
            && let Some(Tok::Var(name, f)) = self.peek().cloned()
            && f.is_empty()
        {
            let save = self.pos;
            self.pos += 1;
            let mut names = vec![name];
            if matches!(self.peek(), Some(Tok::Comma)) {
                self.pos += 1;
                if let Some(Tok::Var(n2, _)) = self.next() {
                    names.push(n2);
                }
            }
            match self.peek() {
                Some(Tok::Declare) => {
                    self.pos += 1;
                    self.vars.extend(names.iter().cloned());
                    pipe.decl = names;
                }
                Some(Tok::Assign) => {
                    self.pos += 1;
                    for n in &names {
                        if !self.vars.contains(n) {
                            return Err(self.err(&format!("undefined variable \"${n}\"")));
                        }
                    }
                    pipe.decl = names;
                    pipe.assign = true;
                }
                _ => self.pos = save,
            }
        }
        loop {
            let mut cmd = Vec::new();
            let at = self.spots.get(self.pos).copied().unwrap_or((self.line, 0));
            while let Some(t) = self.peek() {
                if matches!(t, Tok::Close | Tok::RParen | Tok::Pipe) {
                    break;
                }
                cmd.push(self.operand()?);
            }
            if cmd.is_empty() {
                if matches!(self.peek(), Some(Tok::Pipe)) || !pipe.cmds.is_empty() {
                    return Err(self.err("missing command"));
                }
                if !pipe.decl.is_empty() {
                    return Err(self.err("missing value for command"));
                }
                break;
            }
            let literal = matches!(
                cmd[0],
                Arg::Str(_) | Arg::Int(_) | Arg::Float(_) | Arg::Bool(_) | Arg::Nil
            ) || matches!(&cmd[0], Arg::Field(f) if f.is_empty());
            if !pipe.cmds.is_empty() && literal {
                // Go refuses only literals (and `.`) after a pipe; a field there parses and
                // fails when run ("… is not a method but has arguments").
                return Err(self.err(&format!(
                    "non executable command in pipeline stage {}",
                    pipe.cmds.len() + 1
                )));
            }
            pipe.cmds.push(cmd);
            pipe.at.push(at);
            if matches!(self.peek(), Some(Tok::Pipe)) {
                self.pos += 1;
            } else {
                break;
            }
        }
        Ok(pipe)
    }

    fn operand(&mut self) -> Result<Arg, String> {
        let t = self.next().ok_or_else(|| self.err("unexpected EOF"))?;
        Ok(match t {
            Tok::Field(f) => Arg::Field(f),
            Tok::Var(name, f) => {
                if !self.vars.contains(&name) {
                    return Err(self.err(&format!("undefined variable \"${name}\"")));
                }
                Arg::Var(name, f)
            }
            Tok::Str(s) => Arg::Str(s),
            Tok::Char(c) => Arg::Int(i64::from(u32::from(c))),
            Tok::Number(n) => {
                number(&n).ok_or_else(|| self.err(&format!("bad number syntax: \"{n}\"")))?
            }
            Tok::Ident(name) => match name.as_str() {
                "true" => Arg::Bool(true),
                "false" => Arg::Bool(false),
                "nil" => Arg::Nil,
                _ if funcs::exists(&name) => Arg::Func(name),
                _ => return Err(self.err(&format!("function \"{name}\" not defined"))),
            },
            Tok::LParen => {
                let p = self.pipeline(false)?;
                match self.next() {
                    Some(Tok::RParen) => {}
                    _ => return Err(self.err("unclosed left paren")),
                }
                let fields = match self.peek() {
                    Some(Tok::Field(f)) if !f.is_empty() => {
                        let f = f.clone();
                        self.pos += 1;
                        f
                    }
                    _ => Vec::new(),
                };
                Arg::Sub(Box::new(p), fields)
            }
            other => return Err(self.err(&format!("unexpected {} in operand", describe(&other)))),
        })
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Declare => "\":=\"".into(),
        Tok::Assign => "\"=\"".into(),
        Tok::Comma => "\",\"".into(),
        Tok::RParen => "\")\"".into(),
        Tok::LParen => "\"(\"".into(),
        Tok::Pipe => "\"|\"".into(),
        other => format!("{other:?}"),
    }
}

/// A Go number literal: decimal/hex/octal/binary integers (with `_`), or a float.
pub fn number(text: &str) -> Option<Arg> {
    let clean = text.replace('_', "");
    let (neg, body) = match clean.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean)),
    };
    let lower = body.to_ascii_lowercase();
    let int = if let Some(h) = lower.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(o) = lower.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()
    } else if let Some(b) = lower.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()
    } else if lower.len() > 1 && lower.starts_with('0') && lower.bytes().all(|c| c.is_ascii_digit())
    {
        i64::from_str_radix(&lower[1..], 8).ok()
    } else {
        lower.parse::<i64>().ok()
    };
    if let Some(i) = int {
        return Some(Arg::Int(if neg { -i } else { i }));
    }
    if lower.starts_with("0x") || lower.contains("inf") || lower.contains("nan") {
        return None;
    }
    let f: f64 = lower.parse().ok()?;
    Some(Arg::Float(if neg { -f } else { f }))
}

#[cfg(test)]
mod tests {
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
}
