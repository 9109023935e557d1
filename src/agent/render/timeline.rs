//! `vs-logs replay` as text: the header, each turn with its steps, then the totals. Fits 80
//! columns; every log-derived string passes through `sanitize`.

use std::io::{self, Write};

use super::fmt::{Hue, Paint, clip, millis, offset, pad, thousands, wrap, wrap_json};
use crate::agent::model::{AgentRun, LlmCall, Message, RunError, Step, ToolCall};
use crate::output::{plural, plural_grouped};
use crate::sanitize::{inline, multiline};

/// Text of a message shown before it is cut (the JSON output keeps it whole).
pub const MESSAGE_CHARS: usize = 600;
/// Lines of a message or traceback shown before it is cut.
pub const MESSAGE_LINES: usize = 8;

/// Width of the `+1.853s` column plus the kind column.
const GUTTER: usize = 22;
/// Width of the kind column (`LLM`, `TOOL ✗`, `assistant`, `tool tc-1`).
const KIND: usize = 10;

/// Writes the timeline of every run (several when an id was reused by a retry).
pub fn write_runs(
    out: &mut impl Write,
    runs: &[AgentRun],
    p: Paint,
    width: usize,
) -> io::Result<()> {
    if runs.len() > 1 {
        let id = inline(&runs[0].header.agent_id).into_owned();
        let note = format!(
            "{} runs share the id {id} (a retried run): each is shown in turn.",
            runs.len()
        );
        writeln!(out, "{}\n", p.paint(&note, Hue::Yellow))?;
    }
    for (i, run) in runs.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_run(out, run, p, width)?;
    }
    Ok(())
}

/// Writes one run's timeline.
pub fn write_run(out: &mut impl Write, run: &AgentRun, p: Paint, width: usize) -> io::Result<()> {
    let width = width.max(60);
    write_header(out, run, p)?;
    let start = run.header.start_ns.unwrap_or(run.header.first_ns);
    for turn in &run.turns {
        let max = run
            .header
            .max_turns
            .map(|m| format!("/{m}"))
            .unwrap_or_default();
        let title = format!("── Turn {}{max} ", turn.number);
        let when = format!(" {} ", offset(turn.start_ns, start));
        let fill = width.saturating_sub(title.chars().count() + when.chars().count() + 2);
        let inferred = if turn.logged { "" } else { " (inferred)" };
        writeln!(
            out,
            "\n{}",
            p.paint(
                &format!("{title}{}{when}──{inferred}", "─".repeat(fill)),
                Hue::Bold
            )
        )?;
        for step in &turn.steps {
            write_step(out, step, start, p, width)?;
        }
    }
    let loose: Vec<&RunError> = run.errors.iter().filter(|e| e.turn.is_none()).collect();
    if !loose.is_empty() {
        writeln!(out, "\n{}", p.paint("── Outside any turn ──", Hue::Bold))?;
        for e in loose {
            write_error(out, e, start, p, width)?;
        }
    }
    writeln!(out)?;
    super::totals::write_totals(out, run, p)
}

fn write_header(out: &mut impl Write, run: &AgentRun, p: Paint) -> io::Result<()> {
    let h = &run.header;
    let s = |v: &Option<String>| inline(v.as_deref().unwrap_or("?")).into_owned();
    writeln!(
        out,
        "{} {}  {} → {}",
        p.paint("Agent run", Hue::Bold),
        p.paint(&inline(&h.agent_id), Hue::Bold),
        s(&h.agent_type),
        s(&h.target_id)
    )?;
    let max = h.max_turns.map_or("?".into(), |m| m.to_string());
    writeln!(out, "  model {} · max turns {max}", clip(&s(&h.model), 40))?;
    writeln!(
        out,
        "  status {} — {}",
        p.status(h.status),
        clip(&h.status_reason, 60)
    )?;
    let start = h
        .start_ns
        .map_or_else(|| format!("before {}", p.time(h.first_ns)), |t| p.time(t));
    let end = match h.end_ns {
        Some(e) if h.finished => p.time(e),
        Some(e) => format!("{} (last line)", p.time(e)),
        None => "still running".into(),
    };
    writeln!(out, "  start {start}\n  end   {end}")?;
    if !run.conversation_logged {
        let note = "  note: conversation text was not logged (debug level off): INFO lines only";
        writeln!(out, "{}", p.paint(note, Hue::Yellow))?;
    }
    if run.duplicates_dropped > 0 {
        let note = format!("  {} duplicate lines dropped", run.duplicates_dropped);
        writeln!(out, "{}", p.paint(&note, Hue::Dim))?;
    }
    Ok(())
}

/// One step: a gutter (`+1.853s KIND`) and wrapped text with a hanging indent.
fn emit(
    out: &mut impl Write,
    when: &str,
    kind: &str,
    kind_hue: Hue,
    lines: &[String],
    p: Paint,
    body_hue: Option<Hue>,
) -> io::Result<()> {
    for (i, l) in lines.iter().enumerate() {
        let gutter = if i == 0 {
            format!(
                "  {} {} ",
                pad(when, 8),
                p.paint(&pad(kind, KIND), kind_hue)
            )
        } else {
            " ".repeat(GUTTER)
        };
        let body = match body_hue {
            Some(h) => p.paint(l, h),
            None => l.clone(),
        };
        writeln!(out, "{gutter}{body}")?;
    }
    Ok(())
}

fn write_step(
    out: &mut impl Write,
    step: &Step,
    start: i64,
    p: Paint,
    width: usize,
) -> io::Result<()> {
    let body_w = width - GUTTER;
    match step {
        Step::LlmResponse(l) => write_llm(out, l, start, p, body_w),
        Step::Message(m) => write_message(out, m, start, p, body_w),
        Step::ToolCall(t) => write_tool(out, t, start, p, body_w),
        Step::Error(e) => write_error(out, e, start, p, width),
    }
}

fn write_llm(out: &mut impl Write, l: &LlmCall, start: i64, p: Paint, w: usize) -> io::Result<()> {
    let tok = |v: Option<u64>| v.map_or("?".into(), thousands);
    let latency = l.latency_ms.map_or(String::new(), |ms| {
        let approx = if l.latency_derived { "~" } else { "" };
        format!(" · {approx}{}", millis(ms))
    });
    let text = format!(
        "{} · in {} · out {}{latency}",
        inline(l.stop_reason.as_deref().unwrap_or("?")),
        tok(l.input_tokens),
        tok(l.output_tokens)
    );
    emit(
        out,
        &offset(l.ts_ns, start),
        "LLM",
        Hue::Magenta,
        &wrap(&text, w),
        p,
        None,
    )
}

/// A message's text as shown: sanitised, cut to `MESSAGE_CHARS`/`MESSAGE_LINES` with a note.
pub fn message_preview(content: &str, width: usize) -> Vec<String> {
    let clean = multiline(content);
    let total = clean.chars().count();
    let mut lines = wrap(&clip(&clean, MESSAGE_CHARS), width);
    let cut_lines = lines.len() > MESSAGE_LINES;
    lines.truncate(MESSAGE_LINES);
    if total > MESSAGE_CHARS || cut_lines {
        lines.push(format!(
            "… (logged text: {} chars; -o json has it whole)",
            thousands(total as u64)
        ));
    }
    lines
}

fn write_message(
    out: &mut impl Write,
    m: &Message,
    start: i64,
    p: Paint,
    w: usize,
) -> io::Result<()> {
    let kind = match &m.tool_call_id {
        Some(id) => format!("{} {}", m.role, id),
        None => m.role.clone(),
    };
    let hue = if m.role == "assistant" {
        Hue::Cyan
    } else {
        Hue::Blue
    };
    let lines = message_preview(&m.content, w);
    emit(
        out,
        &offset(m.ts_ns, start),
        &inline(&kind),
        hue,
        &lines,
        p,
        None,
    )
}

fn write_tool(
    out: &mut impl Write,
    t: &ToolCall,
    start: i64,
    p: Paint,
    w: usize,
) -> io::Result<()> {
    let mut facts = Vec::new();
    if let Some(d) = t.duration_ms {
        facts.push(millis(d));
    }
    if let Some(c) = t.result_chars {
        // the size the tool reported, not the excerpt that was logged
        facts.push(format!("output {}", plural_grouped(c, "char", "chars")));
    }
    if t.pending && t.error.is_none() {
        facts.push("no result logged".into());
    }
    if t.call_missing {
        facts.push("call not logged".into());
    }
    let head = format!("{} · {}", inline(&t.tool), facts.join(" · "));
    let (kind, hue) = if t.error.is_some() {
        ("TOOL ✗", Hue::BoldRed)
    } else {
        ("TOOL", Hue::Green)
    };
    let mut lines = wrap(&head, w);
    if !t.args.is_null() {
        let args = format!("args {}", inline(&t.args.to_string()));
        lines.extend(wrap_json(&args, w).into_iter().take(4));
    }
    emit(
        out,
        &offset(t.start_ns, start),
        kind,
        hue,
        &lines[..1],
        p,
        Some(Hue::Bold),
    )?;
    emit(out, "", "", hue, &lines[1..], p, Some(Hue::Dim))?;
    if let Some(e) = &t.error {
        let text = format!("error: {}", inline(e));
        emit(out, "", "", hue, &wrap(&text, w), p, Some(Hue::BoldRed))?;
    }
    Ok(())
}

fn write_error(
    out: &mut impl Write,
    e: &RunError,
    start: i64,
    p: Paint,
    width: usize,
) -> io::Result<()> {
    let w = width - GUTTER;
    let text = format!("{}: {}", inline(&e.event), inline(&e.message));
    emit(
        out,
        &offset(e.ts_ns, start),
        "ERROR",
        Hue::BoldRed,
        &wrap(&text, w),
        p,
        Some(Hue::BoldRed),
    )?;
    if let Some(tb) = &e.traceback {
        let clean = multiline(tb);
        let all: Vec<String> = clean.lines().flat_map(|l| wrap(l, w)).collect();
        let shown = all.len().min(2 * MESSAGE_LINES);
        emit(out, "", "", Hue::Red, &all[..shown], p, Some(Hue::Red))?;
        if shown < all.len() {
            let more = [format!(
                "… {} more (-o json)",
                plural(all.len() - shown, "traceback line", "traceback lines")
            )];
            emit(out, "", "", Hue::Red, &more, p, Some(Hue::Dim))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_message_is_cut_with_a_note() {
        let lines = message_preview(&"word ".repeat(1000), 60);
        assert!(lines.len() <= MESSAGE_LINES + 1);
        assert!(lines.last().unwrap().contains("logged text: 5,000 chars"));
    }

    #[test]
    fn message_escapes_are_made_visible() {
        let lines = message_preview("hi \u{1b}]0;pwned\u{7}", 60);
        assert_eq!(lines, ["hi ^[]0;pwned^G"]);
    }

    #[test]
    fn header_times_follow_utc_flag() {
        use crate::agent::model::build_runs;
        use crate::model::{Labels, LogEntry};
        let line = r#"{"event":"agent.start","agent_id":"a","level":"info"}"#;
        let ns = 1_795_583_880_123_000_000;
        let e = LogEntry::new(ns, std::sync::Arc::new(Labels::new()), line);
        let run = build_runs(&[e]).pop().unwrap();
        let header = |utc: bool| {
            let mut out = Vec::new();
            write_header(&mut out, &run, Paint { on: false, utc }).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert!(header(true).contains("start 2026-11-25 05:18:00.123Z"));
        let local = crate::timespec::format_display(ns, false);
        assert!(header(false).contains(&format!("start {local}\n")));
    }
}
