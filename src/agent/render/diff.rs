//! `vs-logs replay A --diff B`: two runs side by side, and where they first diverge.

use std::io::{self, Write};

use serde::Serialize;

use super::fmt::{Hue, Paint, clip, cost, millis, pad, thousands};
use crate::agent::model::{AgentRun, Step};
use crate::sanitize::inline;

/// One comparable step of a run: what the agent decided, not how long it took.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub turn: u64,
    /// `llm` (with stop reason), `tool` (with name and args) or `error`.
    pub what: String,
}

fn decisions(run: &AgentRun) -> Vec<Decision> {
    let mut out = Vec::new();
    for turn in &run.turns {
        for step in &turn.steps {
            let what = match step {
                Step::LlmResponse(l) => {
                    format!("LLM {}", l.stop_reason.as_deref().unwrap_or("?"))
                }
                Step::ToolCall(t) => {
                    let args = if t.args.is_null() {
                        String::new()
                    } else {
                        format!(" {}", t.args)
                    };
                    let failed = t
                        .error
                        .as_ref()
                        .map_or(String::new(), |e| format!(" ✗ {e},"));
                    format!("tool {}{failed}{args}", t.tool)
                }
                Step::Error(e) => format!("error {}", e.event),
                Step::Message(_) => continue,
            };
            out.push(Decision {
                turn: turn.number,
                what,
            });
        }
    }
    out
}

/// Where two runs stop doing the same thing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Divergence {
    /// Index of the first differing decision (LLM responses, tool calls, errors in order).
    pub index: usize,
    pub a: Option<Decision>,
    pub b: Option<Decision>,
}

/// The first divergence, `None` when both runs made the same decisions.
pub fn first_divergence(a: &AgentRun, b: &AgentRun) -> Option<Divergence> {
    let (da, db) = (decisions(a), decisions(b));
    let n = da.len().max(db.len());
    (0..n)
        .find(|&i| da.get(i).map(|d| &d.what) != db.get(i).map(|d| &d.what))
        .map(|i| Divergence {
            index: i,
            a: da.get(i).cloned(),
            b: db.get(i).cloned(),
        })
}

/// Per turn, the tools called (`✗` marks an error).
fn tools_by_turn(run: &AgentRun) -> Vec<(u64, String)> {
    run.turns
        .iter()
        .map(|t| {
            let names: Vec<String> = t
                .tool_calls()
                .map(|c| {
                    let mark = if c.error.is_some() { " ✗" } else { "" };
                    format!("{}{mark}", c.tool)
                })
                .collect();
            let text = if names.is_empty() {
                "-".to_string()
            } else {
                names.join(", ")
            };
            (t.number, text)
        })
        .collect()
}

const LABEL: usize = 14;
const COL: usize = 31;

fn row(out: &mut impl Write, label: &str, a: &str, b: &str, p: Paint) -> io::Result<()> {
    let differs = a != b;
    let (ca, cb) = (pad(&inline(a), COL), clip(&inline(b), COL));
    let (ca, cb) = if differs {
        (p.paint(&ca, Hue::Yellow), p.paint(&cb, Hue::Yellow))
    } else {
        (ca, cb)
    };
    let mark = if differs { "≠" } else { " " };
    writeln!(out, "{}{mark} {ca} {cb}", pad(label, LABEL))
}

fn describe(d: &Option<Decision>) -> String {
    match d {
        Some(d) => format!("turn {}: {}", d.turn, d.what),
        None => "nothing (the run ends)".into(),
    }
}

/// Writes both runs side by side in 80 columns.
pub fn write_diff(out: &mut impl Write, a: &AgentRun, b: &AgentRun, p: Paint) -> io::Result<()> {
    let s = |v: &Option<String>| v.clone().unwrap_or_else(|| "?".into());
    let head = format!(
        "{} {} {}",
        pad("", LABEL + 1),
        pad(&format!("A {}", inline(&a.header.agent_id)), COL),
        pad(&format!("B {}", inline(&b.header.agent_id)), COL)
    );
    writeln!(out, "{}", p.paint(head.trim_end(), Hue::Bold))?;
    let (ta, tb) = (&a.totals, &b.totals);
    let num = |v: u64| thousands(v);
    row(
        out,
        "status",
        a.header.status.as_str(),
        b.header.status.as_str(),
        p,
    )?;
    row(
        out,
        "type",
        &s(&a.header.agent_type),
        &s(&b.header.agent_type),
        p,
    )?;
    row(
        out,
        "target",
        &s(&a.header.target_id),
        &s(&b.header.target_id),
        p,
    )?;
    row(out, "model", &s(&a.header.model), &s(&b.header.model), p)?;
    row(out, "turns", &num(ta.turns), &num(tb.turns), p)?;
    row(out, "LLM calls", &num(ta.llm_calls), &num(tb.llm_calls), p)?;
    row(
        out,
        "input tokens",
        &num(ta.input_tokens),
        &num(tb.input_tokens),
        p,
    )?;
    row(
        out,
        "output tokens",
        &num(ta.output_tokens),
        &num(tb.output_tokens),
        p,
    )?;
    row(
        out,
        "cost",
        &cost(ta.cost.as_ref()),
        &cost(tb.cost.as_ref()),
        p,
    )?;
    row(
        out,
        "tool calls",
        &num(ta.tool_calls),
        &num(tb.tool_calls),
        p,
    )?;
    row(
        out,
        "tool errors",
        &num(ta.tool_errors),
        &num(tb.tool_errors),
        p,
    )?;
    row(
        out,
        "errors",
        &num(a.errors.len() as u64),
        &num(b.errors.len() as u64),
        p,
    )?;
    row(out, "wall", &millis(ta.wall_ms), &millis(tb.wall_ms), p)?;
    writeln!(out, "{}", p.paint("tools called", Hue::Bold))?;
    let (ka, kb) = (tools_by_turn(a), tools_by_turn(b));
    for i in 0..ka.len().max(kb.len()) {
        let turn = ka.get(i).or(kb.get(i)).map_or(0, |t| t.0);
        let pick =
            |k: &Vec<(u64, String)>| k.get(i).map_or("(no turn)".to_string(), |t| t.1.clone());
        row(out, &format!("  turn {turn}"), &pick(&ka), &pick(&kb), p)?;
    }
    let ea = a.errors.first().map(|e| clip(&e.message, COL));
    let eb = b.errors.first().map(|e| clip(&e.message, COL));
    if ea.is_some() || eb.is_some() {
        let none = || "-".to_string();
        row(
            out,
            "first error",
            &ea.unwrap_or_else(none),
            &eb.unwrap_or_else(none),
            p,
        )?;
    }
    match first_divergence(a, b) {
        None => writeln!(
            out,
            "\nSame decisions: no divergence in LLM responses, tool calls or errors."
        ),
        Some(d) => {
            writeln!(out, "\n{}", p.paint("First divergence", Hue::Bold))?;
            writeln!(out, "  A: {}", inline(&clip(&describe(&d.a), 74)))?;
            writeln!(out, "  B: {}", inline(&clip(&describe(&d.b), 74)))
        }
    }
}
