//! Drawing the timeline: a fixed header with the run's totals, the visible rows (tool calls as
//! a waterfall), a key line, and the raw-line popup.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::rows::{RowKind, WHEN_W, args_summary, expandable, is_error, loose_key};
use super::style;
use super::timeline::TimelineView;
use crate::agent::model::{AgentRun, Step};
use crate::agent::render::fmt::{clip, cost, millis, offset, thousands, usd};
use crate::sanitize::inline;

/// Cumulative cost after each turn: the run's cost split over turns by token weight (output
/// tokens count five times, the usual price ratio). `None` when the run's cost is unknown.
pub fn cumulative_costs(run: &AgentRun) -> Vec<Option<f64>> {
    let weight =
        |t: &crate::agent::model::Turn| t.input_tokens() as f64 + 5.0 * t.output_tokens() as f64;
    let total: f64 = run.turns.iter().map(weight).sum();
    let mut acc = 0.0;
    run.turns
        .iter()
        .map(|t| {
            acc += weight(t);
            let c = run.totals.cost.as_ref()?;
            Some(if total > 0.0 {
                c.usd * acc / total
            } else {
                0.0
            })
        })
        .collect()
}

/// Packs `parts` into lines of at most `width` columns, joined by ` · `, so a narrow
/// terminal wraps the header between facts instead of cutting the last ones (the cost).
fn pack(parts: Vec<(String, Style)>, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut len = 0;
    for (text, st) in parts {
        let n = text.chars().count();
        if len > 0 && len + 3 + n > width {
            lines.push(Line::from(std::mem::take(&mut spans)));
            len = 0;
        }
        if len > 0 {
            spans.push(Span::raw(" · "));
            len += 3;
        }
        len += n;
        spans.push(Span::styled(text, st));
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

fn header_lines(run: &AgentRun, note: Option<&str>, width: usize) -> Vec<Line<'static>> {
    let h = &run.header;
    let t = &run.totals;
    let s = |v: &Option<String>| inline(v.as_deref().unwrap_or("?")).into_owned();
    let max = h.max_turns.map_or(String::new(), |m| format!("/{m}"));
    let plain = Style::default();
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("Agent run {}", inline(&h.agent_id)), style::title()),
        Span::raw(format!("  {} → {}  ", s(&h.agent_type), s(&h.target_id))),
        Span::styled(h.status.as_str().to_uppercase(), style::status(h.status)),
        Span::styled(format!("  {}", h.status_reason), style::dim()),
    ])];
    // what a run costs comes first: it must not be the fact a narrow screen cuts
    lines.extend(pack(
        vec![
            (format!("cost {}", cost(t.cost.as_ref())), style::title()),
            (
                format!(
                    "tokens {} in / {} out",
                    thousands(t.input_tokens),
                    thousands(t.output_tokens)
                ),
                plain,
            ),
            (format!("turns {}{max}", t.turns), plain),
            (format!("LLM calls {}", t.llm_calls), plain),
            (format!("model {}", s(&h.model)), plain),
        ],
        width,
    ));
    let errors = t.tool_errors + run.errors.len() as u64;
    lines.extend(pack(
        vec![
            (format!("wall {}", millis(t.wall_ms)), plain),
            (format!("LLM {}", millis(t.llm_ms)), plain),
            (format!("tools {}", millis(t.tool_ms)), plain),
            (format!("other {}", millis(t.other_ms)), plain),
            (format!("tool calls {}", t.tool_calls), plain),
            (
                format!(
                    "tool errors {} · errors {}",
                    t.tool_errors,
                    run.errors.len()
                ),
                if errors > 0 { style::error() } else { plain },
            ),
        ],
        width,
    ));
    let mut notes = Vec::new();
    if let Some(n) = note {
        notes.push(n.to_string());
    }
    if !run.conversation_logged {
        notes.push("conversation text was not logged (debug level off): INFO lines only".into());
    }
    if t.cost.as_ref().is_some_and(|c| c.estimated) {
        notes.push("cost estimated from tokens with the price table (no cost logged)".into());
    }
    if let Some(r) = t.reported.as_ref().filter(|_| !t.mismatches.is_empty()) {
        let v = |x: Option<u64>| x.map_or("?".into(), thousands);
        notes.push(format!(
            "agent.done says turns {}, tokens {} / {}: differs from the lines ({})",
            v(r.turns),
            v(r.input_tokens),
            v(r.output_tokens),
            t.mismatches.join(", ")
        ));
    }
    lines.extend(
        notes
            .into_iter()
            .map(|n| Line::styled(format!("! {n}"), style::warning())),
    );
    lines
}

/// The waterfall cells of a tool call: blank up to its start, a bar as long as its duration.
fn bar(run: &AgentRun, start_ns: i64, duration_ms: Option<f64>, width: usize) -> (usize, usize) {
    let h = &run.header;
    let run_start = h.start_ns.unwrap_or(h.first_ns);
    let wall_ns = (run.totals.wall_ms * 1e6).max(1.0);
    let w = width as f64;
    let at = (((start_ns - run_start) as f64 / wall_ns) * w).clamp(0.0, w - 1.0) as usize;
    let len = ((duration_ms.unwrap_or(0.0) * 1e6 / wall_ns) * w)
        .round()
        .max(1.0) as usize;
    (at, len.min(width - at))
}

fn row_line(
    v: &TimelineView,
    kind: &RowKind,
    width: usize,
    costs: &[Option<f64>],
) -> Line<'static> {
    let run = &v.run;
    let start = run.header.start_ns.unwrap_or(run.header.first_ns);
    match kind {
        RowKind::Turn(ti) => {
            let t = &run.turns[ti.to_owned()];
            let mark = if v.folded.contains(ti) { "▸" } else { "▾" };
            let max = run
                .header
                .max_turns
                .map_or(String::new(), |m| format!("/{m}"));
            let cum = costs
                .get(*ti)
                .copied()
                .flatten()
                .map_or(String::new(), |c| format!(" · cum {}", usd(c)));
            let errors = t.steps.iter().filter(|s| s.is_error()).count();
            let mut spans = vec![Span::styled(
                format!(
                    "{mark} Turn {}{max}  {}  in {} out {}{cum} · {}",
                    t.number,
                    offset(t.start_ns, start),
                    thousands(t.input_tokens()),
                    thousands(t.output_tokens()),
                    crate::output::plural(t.steps.len(), "step", "steps")
                ),
                style::title(),
            )];
            if errors > 0 {
                spans.push(Span::styled(format!("  ✗ {errors}"), style::error()));
            }
            Line::from(spans)
        }
        RowKind::Text(_, _, text) => Line::styled(format!("{:WHEN_W$}│ {text}", ""), style::dim()),
        RowKind::Args(ti, si) => match &run.turns[*ti].steps[*si] {
            Step::ToolCall(t) => Line::styled(
                format!("{:WHEN_W$}│ {}", "", args_summary(&t.args, width)),
                style::dim(),
            ),
            _ => Line::default(),
        },
        RowKind::LooseText(_, text) => {
            Line::styled(format!("{:WHEN_W$}│ {text}", ""), style::dim())
        }
        RowKind::LooseError(ei) => {
            let e = &run.errors[*ei];
            Line::styled(
                format!(
                    "  {:>9} {}✗ {}: {}",
                    offset(e.ts_ns, start),
                    match (&e.traceback, v.expanded.contains(&loose_key(*ei))) {
                        (None, _) => "  ",
                        (Some(_), true) => "▾ ",
                        (Some(_), false) => "▸ ",
                    },
                    inline(&e.event),
                    inline(&e.message)
                ),
                style::error(),
            )
        }
        RowKind::Step(ti, si) => step_line(v, &run.turns[*ti].steps[*si], (*ti, *si), width, start),
    }
}

fn step_line(
    v: &TimelineView,
    step: &Step,
    key: (usize, usize),
    width: usize,
    start: i64,
) -> Line<'static> {
    let when = format!("  {:>9} ", offset(step.ts_ns(), start));
    // only what shows more when expanded carries a fold mark
    let fold = if !expandable(step, width) {
        " "
    } else if v.expanded.contains(&key) {
        "▾"
    } else {
        "▸"
    };
    match step {
        Step::LlmResponse(l) => {
            let tok = |x: Option<u64>| x.map_or("?".into(), thousands);
            let lat = l.latency_ms.map_or(String::new(), |ms| {
                format!(
                    " {}{}",
                    if l.latency_derived { "~" } else { "" },
                    millis(ms)
                )
            });
            Line::from(vec![
                Span::raw(format!("{when}  ")),
                Span::styled("LLM  ", style::llm()),
                Span::raw(format!(
                    "{} · in {} out {}{lat}",
                    inline(l.stop_reason.as_deref().unwrap_or("?")),
                    tok(l.input_tokens),
                    tok(l.output_tokens)
                )),
            ])
        }
        Step::Message(m) => {
            let who = match &m.tool_call_id {
                Some(id) => format!("{} {}", m.role, id),
                None => m.role.clone(),
            };
            let first = m.content.lines().next().unwrap_or("");
            let more = if m.content.chars().count() > first.chars().count() {
                " …"
            } else {
                ""
            };
            Line::from(vec![
                Span::raw(format!("{when}{fold} ")),
                Span::styled(format!("{}: ", inline(&who)), style::role(&m.role)),
                Span::raw(format!(
                    "{}{more}",
                    clip(&inline(first), width.saturating_sub(30))
                )),
            ])
        }
        Step::ToolCall(t) => {
            let bar_w = (width / 4).clamp(10, 30);
            let left_w = width.saturating_sub(bar_w + 1);
            let mut facts = match (t.duration_ms, &t.error) {
                (_, Some(e)) => format!("✗ {}", inline(e)),
                (Some(d), None) => millis(d),
                (None, None) if t.pending => "no result logged".into(),
                (None, None) => String::new(),
            };
            if let Some(c) = t.result_chars {
                // the size the tool reported, not the excerpt that was logged
                let chars = crate::output::plural_grouped(c, "char", "chars");
                facts.push_str(&format!(" · output {chars}"));
            }
            let mark = format!("{fold} ");
            let text = format!("{when}{mark}TOOL {} {facts}", inline(&t.tool));
            let text = format!("{:<left_w$}", clip(&text, left_w));
            let (at, len) = bar(&v.run, t.start_ns, t.duration_ms, bar_w);
            let bar_style = if t.error.is_some() {
                style::error()
            } else {
                style::tool()
            };
            let text_style = if t.error.is_some() {
                style::error()
            } else {
                Style::default()
            };
            Line::from(vec![
                Span::styled(text, text_style),
                Span::raw(" "),
                Span::raw(" ".repeat(at)),
                Span::styled("█".repeat(len), bar_style),
            ])
        }
        Step::Error(e) => {
            let tb = format!("{fold} ");
            Line::styled(
                format!(
                    "{when}{tb}✗ ERROR {}: {}",
                    inline(&e.event),
                    inline(&e.message)
                ),
                style::error(),
            )
        }
    }
}

const KEYS: &str =
    " j/k move · enter fold/expand · z fold all · e/E next/prev error · r raw line · q back";

/// Draws the timeline into `area`.
pub fn render(v: &TimelineView, frame: &mut Frame, area: Rect) {
    let header = header_lines(&v.run, v.note.as_deref(), area.width as usize);
    let [head, list, keys] = Layout::vertical([
        Constraint::Length(header.len() as u16 + 1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(header).block(Block::default().borders(Borders::BOTTOM)),
        head,
    );
    let height = list.height as usize;
    v.viewport.set(height);
    v.list_width.set(list.width as usize);
    let mut off = v.offset.get().min(v.rows.len().saturating_sub(1));
    if v.selected < off {
        off = v.selected;
    } else if v.selected >= off + height {
        off = v.selected + 1 - height;
    }
    v.offset.set(off);
    let costs = cumulative_costs(&v.run);
    let lines: Vec<Line> = v
        .rows
        .iter()
        .enumerate()
        .skip(off)
        .take(height)
        .map(|(i, kind)| {
            let mut line = row_line(v, kind, list.width as usize, &costs);
            if i == v.selected {
                line = line.patch_style(style::selected());
            } else if is_error(&v.run, kind) {
                line = line.patch_style(style::error());
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
    let pos = format!(" {}/{} ", v.selected + 1, v.rows.len());
    let help = format!(
        "{}{}",
        clip(KEYS, (keys.width as usize).saturating_sub(pos.len())),
        pos
    );
    frame.render_widget(Paragraph::new(Line::styled(help, style::dim())), keys);
    if v.show_raw
        && let Some(raw) = v.selected_raw()
    {
        super::raw_popup::render(frame, centered(area, 80, 60), raw, &v.raw_scroll);
    }
}

/// A rectangle of `pw`% × `ph`% centred in `area`.
pub fn centered(area: Rect, pw: u16, ph: u16) -> Rect {
    let w = area.width * pw / 100;
    let h = area.height * ph / 100;
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
