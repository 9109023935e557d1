//! Executes a parsed template against one entry.

use super::TemplateContext;
use super::funcs;
use super::parser::{Arg, Node, Pipeline};
use super::value::Value;

/// Execution state: the output, variables and the current dot.
pub struct Exec<'a> {
    pub ctx: &'a dyn TemplateContext,
    vars: Vec<(String, Value)>,
    /// `range` iterations left: a template must not hang the pipeline.
    budget: i64,
    /// The longest output allowed, bytes (the max line size).
    max_output: usize,
}

/// Marks an error that already names its command (`1:3: executing "line" at <…>: …`).
pub const AT: &str = "\u{0}at:";

/// Total `range` iterations one rendering may run.
const RANGE_BUDGET: i64 = 100_000;

impl<'a> Exec<'a> {
    pub fn new(ctx: &'a dyn TemplateContext) -> Self {
        Self {
            ctx,
            vars: vec![(String::new(), Value::Labels)],
            budget: RANGE_BUDGET,
            max_output: crate::model::limits::max_line_bytes_cached(),
        }
    }

    /// Loki refuses lines over its `max_line_size`; a template's output is capped the same
    /// way, so chained `line_format "{{__line__}}{{__line__}}"` cannot double a line forever.
    fn check_size(&self, out: &str) -> Result<(), String> {
        if out.len() > self.max_output {
            return Err(format!(
                "the output exceeds the maximum line size of {} bytes (raise {} or {} to allow \
                 longer lines)",
                self.max_output,
                crate::model::limits::MAX_LINE_FLAG,
                crate::model::limits::MAX_LINE_ENV
            ));
        }
        Ok(())
    }

    pub fn run(&mut self, nodes: &[Node], dot: &Value, out: &mut String) -> Result<(), String> {
        for n in nodes {
            match n {
                Node::Text(t) => {
                    out.push_str(t);
                    self.check_size(out)?;
                }
                Node::Action(p) => {
                    let v = self.pipeline(p, dot)?;
                    if p.decl.is_empty() {
                        // Go prints a nil interface (`fromJson` of bad input) as `<no value>`.
                        match v {
                            Value::Nil => out.push_str("<no value>"),
                            v => out.push_str(&v.to_text()),
                        }
                        self.check_size(out)?;
                    }
                }
                Node::If(branches, els) | Node::With(branches, els) => {
                    let is_with = matches!(n, Node::With(..));
                    let scope = self.vars.len();
                    let mut done = false;
                    for (p, body) in branches {
                        let v = self.pipeline(p, dot)?;
                        if v.truthy() {
                            let d = if is_with { v } else { dot.clone() };
                            self.run(body, &d, out)?;
                            done = true;
                            break;
                        }
                    }
                    if !done {
                        self.run(els, dot, out)?;
                    }
                    self.vars.truncate(scope);
                }
                Node::Range(p, body, els) => {
                    let scope = self.vars.len();
                    let v = self.pipeline(p, dot)?;
                    let n = match v {
                        Value::Int(n) => n,
                        Value::Nil => 0,
                        other => {
                            // Go names the pipeline's last command (Loki 65e30f8:
                            // `line:1:19: executing "line" at <.event>: range can't …`).
                            let k = p.cmds.len().saturating_sub(1);
                            let (line, col) = p.at.get(k).copied().unwrap_or((1, 0));
                            let text: Vec<String> =
                                p.cmds.get(k).into_iter().flatten().map(describe).collect();
                            return Err(format!(
                                "{AT}{line}:{col}: executing \"line\" at <{}>: range can't iterate over {}",
                                text.join(" "),
                                other.to_text()
                            ));
                        }
                    };
                    if n <= 0 {
                        self.run(els, dot, out)?;
                    }
                    self.budget -= n.max(0);
                    if self.budget < 0 {
                        return Err(format!(
                            "range over {n} items exceeds the limit of {RANGE_BUDGET} iterations"
                        ));
                    }
                    for i in 0..n {
                        if let Some(name) = p.decl.first() {
                            self.set(name, Value::Int(i));
                        }
                        self.run(body, &Value::Int(i), out)?;
                    }
                    self.vars.truncate(scope);
                }
            }
        }
        Ok(())
    }

    fn set(&mut self, name: &str, v: Value) {
        if let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            slot.1 = v;
        }
    }

    fn pipeline(&mut self, p: &Pipeline, dot: &Value) -> Result<Value, String> {
        let mut prev: Option<Value> = None;
        for (k, cmd) in p.cmds.iter().enumerate() {
            let v = self.command(cmd, dot, prev).map_err(|e| {
                if e.starts_with(AT) {
                    return e;
                }
                let (line, col) = p.at.get(k).copied().unwrap_or((1, 0));
                let text: Vec<String> = cmd.iter().map(describe).collect();
                format!(
                    "{AT}{line}:{col}: executing \"line\" at <{}>: {e}",
                    text.join(" ")
                )
            })?;
            prev = Some(v);
        }
        let v = prev.unwrap_or(Value::Nil);
        if p.assign {
            for name in &p.decl {
                self.set(name, v.clone());
            }
        } else {
            for name in &p.decl {
                self.vars.push((name.clone(), v.clone()));
            }
        }
        Ok(v)
    }

    fn command(&mut self, cmd: &[Arg], dot: &Value, prev: Option<Value>) -> Result<Value, String> {
        let Some(first) = cmd.first() else {
            return Ok(Value::Nil);
        };
        if let Arg::Func(name) = first {
            let mut args = Vec::with_capacity(cmd.len());
            for a in &cmd[1..] {
                args.push(self.operand(a, dot)?);
            }
            if let Some(p) = prev {
                args.push(p);
            }
            return funcs::call(name, args, self.ctx)
                .map_err(|e| format!("error calling {name}: {e}"));
        }
        if let Arg::Field(f) | Arg::Var(_, f) = first
            && let Some(last) = f.last()
            && prev.is_some()
        {
            return Err(format!("{last} is not a method but has arguments"));
        }
        if cmd.len() > 1 || prev.is_some() {
            return Err(format!(
                "can't give argument to non-function {}",
                describe(first)
            ));
        }
        self.operand(first, dot)
    }

    fn operand(&mut self, a: &Arg, dot: &Value) -> Result<Value, String> {
        Ok(match a {
            Arg::Field(f) => self.fields(dot.clone(), f)?,
            Arg::Var(name, f) => {
                let v = self
                    .vars
                    .iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| format!("undefined variable: ${name}"))?;
                self.fields(v, f)?
            }
            Arg::Func(name) => funcs::call(name, Vec::new(), self.ctx)
                .map_err(|e| format!("error calling {name}: {e}"))?,
            Arg::Str(s) => Value::Str(s.clone()),
            Arg::Int(i) => Value::Int(*i),
            Arg::Float(f) => Value::Float(*f),
            Arg::Bool(b) => Value::Bool(*b),
            Arg::Nil => return Err("nil is not a command".into()),
            Arg::Sub(p, f) => {
                let v = self.pipeline(p, dot)?;
                self.fields(v, f)?
            }
        })
    }

    /// `.a.b`: a label lookup on the entry's labels; a missing label is the empty string.
    fn fields(&self, mut v: Value, fields: &[String]) -> Result<Value, String> {
        for f in fields {
            v = match v {
                Value::Labels => Value::Str(self.ctx.label(f).unwrap_or_default().to_string()),
                Value::Nil => Value::Nil,
                Value::Json(serde_json::Value::Object(mut m)) => {
                    m.remove(f).map_or(Value::Nil, Value::from_json)
                }
                other => {
                    return Err(format!(
                        "can't evaluate field {f} in type {}",
                        other.type_name()
                    ));
                }
            };
        }
        Ok(v)
    }
}

fn describe(a: &Arg) -> String {
    match a {
        Arg::Field(f) => format!(".{}", f.join(".")),
        Arg::Var(n, _) => format!("${n}"),
        Arg::Str(s) => format!("{s:?}"),
        Arg::Int(i) => i.to_string(),
        Arg::Float(f) => f.to_string(),
        Arg::Bool(b) => b.to_string(),
        Arg::Func(name) => name.clone(),
        Arg::Nil => "nil".into(),
        Arg::Sub(p, f) => {
            let cmds: Vec<String> = p
                .cmds
                .iter()
                .map(|c| c.iter().map(describe).collect::<Vec<_>>().join(" "))
                .collect();
            let fields: String = f.iter().map(|x| format!(".{x}")).collect();
            format!("({}){fields}", cmds.join(" | "))
        }
    }
}
