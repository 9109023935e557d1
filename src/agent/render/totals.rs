//! The totals block closing a replay: turns, tokens, cost, tools, where the time went, and any
//! disagreement between `agent.done` and the turns.

use std::io::{self, Write};

use super::fmt::{Hue, Paint, clip, cost, millis, pad, rpad, thousands};
use crate::agent::model::AgentRun;
use crate::sanitize::inline;

fn share(part: f64, whole: f64) -> String {
    if whole > 0.0 {
        format!(" ({:.0}%)", 100.0 * part / whole)
    } else {
        String::new()
    }
}

pub fn write_totals(out: &mut impl Write, run: &AgentRun, p: Paint) -> io::Result<()> {
    let t = &run.totals;
    writeln!(out, "{}", p.paint("Totals", Hue::Bold))?;
    writeln!(
        out,
        "  turns {} · LLM calls {} · tokens {} in / {} out",
        t.turns,
        t.llm_calls,
        thousands(t.input_tokens),
        thousands(t.output_tokens)
    )?;
    let cost_note = match &t.cost {
        Some(c) if c.estimated => format!(
            " (estimate: no cost logged; {} prices)",
            clip(&inline(run.header.model.as_deref().unwrap_or("?")), 30)
        ),
        Some(_) => " (from agent.done)".to_string(),
        None => " (no cost logged and no price for this model)".to_string(),
    };
    writeln!(out, "  cost {}{cost_note}", cost(t.cost.as_ref()))?;
    if let Some(r) = t.reported.as_ref().filter(|_| !t.mismatches.is_empty()) {
        let show = |v: Option<u64>| v.map_or("?".into(), thousands);
        let msg = format!(
            "  ! agent.done says turns {}, tokens {} in / {} out\n    \
             but the lines sum to turns {}, tokens {} in / {} out (lines missing?)",
            show(r.turns),
            show(r.input_tokens),
            show(r.output_tokens),
            t.turns,
            thousands(t.input_tokens),
            thousands(t.output_tokens)
        );
        writeln!(out, "{}", p.paint(&msg, Hue::Yellow))?;
    }
    let width = t
        .tools
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0)
        .min(28);
    for (i, (name, tool)) in t.tools.iter().enumerate() {
        let label = if i == 0 { "  tools " } else { "        " };
        let calls = format!(
            "{} call{}",
            tool.calls,
            if tool.calls == 1 { "" } else { "s" }
        );
        let errors = format!(
            "{} error{}",
            tool.errors,
            if tool.errors == 1 { "" } else { "s" }
        );
        let errors = if tool.errors > 0 {
            p.paint(&errors, Hue::BoldRed)
        } else {
            errors
        };
        writeln!(
            out,
            "{label}{}  {}  {}  {}",
            pad(&inline(name), width),
            rpad(&calls, 8),
            errors,
            rpad(&millis(tool.total_ms), 9)
        )?;
    }
    if !run.errors.is_empty() {
        let msg = format!("  errors {} (see ERROR lines above)", run.errors.len());
        writeln!(out, "{}", p.paint(&msg, Hue::BoldRed))?;
    }
    writeln!(
        out,
        "  time  LLM {}{} · tools {}{} · other {} · wall {}",
        millis(t.llm_ms),
        share(t.llm_ms, t.wall_ms),
        millis(t.tool_ms),
        share(t.tool_ms, t.wall_ms),
        millis(t.other_ms),
        millis(t.wall_ms)
    )
}
