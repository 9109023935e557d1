//! From log entries to runs: dedupe, order, group by agent id, split retries at `agent.start`,
//! then replay each run's lines through a `RunBuilder`.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use super::event::{Ev, Kind, names};
use super::pricing::PriceTable;
use super::totals::compute_totals;
use super::types::*;
use crate::model::LogEntry;

/// From this many entries on, lines are read in parallel (below, the threads cost more than
/// they save).
const PARALLEL_FROM: usize = 2048;

/// What the pure builder cannot know by itself.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// "Now", ns: an unfinished run silent for longer than `stale_after_ns` is `incomplete`,
    /// else `running`. `None`: the newest line of the input stands for now.
    pub now_ns: Option<i64>,
    pub stale_after_ns: i64,
    pub prices: PriceTable,
}

impl Default for BuildOptions {
    fn default() -> Self {
        Self {
            now_ns: None,
            stale_after_ns: 15 * 60 * 1_000_000_000,
            prices: PriceTable::bundled(),
        }
    }
}

/// Rebuilds every agent run found in `entries`, ordered by first line, with default options.
pub fn build_runs(entries: &[LogEntry]) -> Vec<AgentRun> {
    build_runs_with(entries, &BuildOptions::default())
}

/// Rebuilds every agent run found in `entries` (any order, duplicates and noise allowed).
pub fn build_runs_with(entries: &[LogEntry], opts: &BuildOptions) -> Vec<AgentRun> {
    // Reading the lines is most of the work and each line is independent: a large input is
    // read on every core (rayon keeps the input order).
    let mut evs: Vec<Ev<'_>> = if entries.len() >= PARALLEL_FROM {
        entries
            .par_iter()
            .with_min_len(PARALLEL_FROM / 2)
            .filter_map(|e| Ev::parse(e.ts, &e.line))
            .collect()
    } else {
        entries
            .iter()
            .filter_map(|e| Ev::parse(e.ts, &e.line))
            .collect()
    };
    // Stable: lines with equal timestamps keep the order the backend gave them.
    evs.sort_by_key(|e| e.ts);
    let now = opts
        .now_ns
        .or_else(|| evs.last().map(|e| e.ts))
        .unwrap_or(0);

    let mut order: Vec<Cow<'_, str>> = Vec::new();
    let mut groups: HashMap<Cow<'_, str>, Vec<Ev<'_>>> = HashMap::new();
    for ev in evs {
        match groups.get_mut(&ev.agent_id) {
            Some(g) => g.push(ev),
            None => {
                order.push(ev.agent_id.clone());
                groups.insert(ev.agent_id.clone(), vec![ev]);
            }
        }
    }

    let mut runs = Vec::new();
    for id in order {
        let Some(group) = groups.remove(&id) else {
            continue;
        };
        let mut builder = RunBuilder::new(&id);
        for ev in group {
            if ev.kind == Kind::Start && builder.has_lines() && !builder.is_duplicate(&ev) {
                let done = std::mem::replace(&mut builder, RunBuilder::new(&id));
                runs.push(done.finish(now, opts));
            }
            builder.push(ev);
        }
        if builder.has_lines() {
            runs.push(builder.finish(now, opts));
        }
    }
    runs.sort_by(|a, b| {
        (a.header.first_ns, &a.header.agent_id).cmp(&(b.header.first_ns, &b.header.agent_id))
    });
    runs
}

/// Accumulates one run's lines, in time order.
struct RunBuilder<'a> {
    header: RunHeader,
    turns: Vec<Turn>,
    errors: Vec<RunError>,
    /// Lines already seen at the latest timestamp: lines arrive in time order, so an exact
    /// duplicate (same timestamp, same text) is always among them.
    seen_ts: i64,
    seen: Vec<&'a str>,
    lines: usize,
    duplicates: usize,
    other: usize,
    /// Tool calls waiting for their result: (turn index, step index).
    pending: Vec<(usize, usize)>,
    llm_request_ts: Option<i64>,
    explicit_turns: bool,
    reported: Option<Reported>,
    conversation_logged: bool,
    error_level_seen: bool,
    done_failed: bool,
}

impl<'a> RunBuilder<'a> {
    fn new(agent_id: &str) -> Self {
        Self {
            header: RunHeader {
                agent_id: agent_id.to_string(),
                first_ns: i64::MAX,
                last_ns: i64::MIN,
                status: RunStatus::Incomplete,
                ..RunHeader::default()
            },
            turns: Vec::new(),
            errors: Vec::new(),
            seen_ts: i64::MIN,
            seen: Vec::new(),
            lines: 0,
            duplicates: 0,
            other: 0,
            pending: Vec::new(),
            llm_request_ts: None,
            explicit_turns: false,
            reported: None,
            conversation_logged: false,
            error_level_seen: false,
            done_failed: false,
        }
    }

    fn has_lines(&self) -> bool {
        self.lines > 0
    }

    fn is_duplicate(&self, ev: &Ev<'a>) -> bool {
        ev.ts == self.seen_ts && self.seen.contains(&ev.line)
    }

    fn push(&mut self, ev: Ev<'a>) {
        if self.is_duplicate(&ev) {
            self.duplicates += 1;
            return;
        }
        if ev.ts != self.seen_ts {
            self.seen_ts = ev.ts;
            self.seen.clear();
        }
        self.seen.push(ev.line);
        self.lines += 1;
        let h = &mut self.header;
        h.first_ns = h.first_ns.min(ev.ts);
        h.last_ns = h.last_ns.max(ev.ts);
        if h.agent_type.is_none() {
            h.agent_type = ev.text(names::AGENT_TYPE);
        }
        if h.target_id.is_none() {
            h.target_id = ev.text(names::TARGET_ID);
        }
        if h.model.is_none() {
            h.model = ev.text(names::MODEL);
        }
        if h.max_turns.is_none() {
            h.max_turns = ev.u64(names::MAX_TURNS);
        }
        if ev.is_error_level() {
            self.error_level_seen = true;
        }
        match ev.kind {
            Kind::Start => {
                self.header.started = true;
                self.header.start_ns = Some(ev.ts);
            }
            Kind::Turn => self.on_turn(&ev),
            Kind::LlmRequest => {
                self.turn_for(ev.ts, ev.u64(names::TURN));
                self.llm_request_ts = Some(ev.ts);
            }
            Kind::LlmResponse => self.on_llm_response(&ev),
            Kind::ToolCall => self.on_tool_call(&ev),
            Kind::ToolResult | Kind::ToolError => self.on_tool_end(&ev),
            Kind::ToolExecuted => {
                self.on_tool_call(&ev);
                self.on_tool_end(&ev);
            }
            Kind::Message => self.on_message(&ev),
            Kind::Done => self.on_done(&ev),
            Kind::Error => self.on_error(&ev),
            Kind::Other => self.other += 1,
        }
    }

    /// The turn a line belongs to: the logged turn number if it has one, else the current turn;
    /// a turn is created when none fits.
    fn turn_for(&mut self, ts: i64, hint: Option<u64>) -> usize {
        if let Some(n) = hint
            && let Some(i) = self.turns.iter().rposition(|t| t.number == n)
        {
            return i;
        }
        if hint.is_none()
            && let Some(i) = self.turns.len().checked_sub(1)
        {
            return i;
        }
        let number = hint.unwrap_or_else(|| self.turns.last().map_or(1, |t| t.number + 1));
        self.turns.push(Turn {
            number,
            start_ns: ts,
            ..Turn::default()
        });
        self.turns.len() - 1
    }

    fn on_turn(&mut self, ev: &Ev<'a>) {
        self.explicit_turns = true;
        self.llm_request_ts = None;
        let number = ev
            .u64(names::TURN)
            .unwrap_or_else(|| self.turns.last().map_or(1, |t| t.number + 1));
        // Lines logged just before `agent.turn` (the prompt) opened an inferred turn: adopt it.
        let adopt = self
            .turns
            .last()
            .is_some_and(|t| !t.logged && t.number == number);
        if !adopt {
            self.turns.push(Turn {
                number,
                start_ns: ev.ts,
                ..Turn::default()
            });
        }
        if let Some(t) = self.turns.last_mut() {
            t.logged = true;
            t.start_ns = t.start_ns.min(ev.ts);
            t.raw = Some(ev.line.to_string());
        }
    }

    fn on_llm_response(&mut self, ev: &Ev<'a>) {
        let hint = ev.u64(names::TURN);
        // Without `agent.turn` lines, each LLM response is a turn of its own.
        let new_inferred = hint.is_none()
            && !self.explicit_turns
            && self.turns.last().is_some_and(|t| t.llm_calls().count() > 0);
        let ti = if new_inferred {
            self.turn_for(ev.ts, self.turns.last().map(|t| t.number + 1))
        } else {
            self.turn_for(ev.ts, hint)
        };
        let logged = ev.f64(names::DURATION);
        let since = self.llm_request_ts.take().or_else(|| {
            let t = &self.turns[ti];
            t.logged.then_some(t.start_ns)
        });
        let derived = since.map(|s| (ev.ts - s) as f64 / 1e6);
        self.turns[ti].steps.push(Step::LlmResponse(LlmCall {
            ts_ns: ev.ts,
            stop_reason: ev.text(names::STOP),
            input_tokens: ev.u64(names::INPUT),
            output_tokens: ev.u64(names::OUTPUT),
            latency_ms: logged.or(derived),
            latency_derived: logged.is_none() && derived.is_some(),
            raw: ev.line.to_string(),
        }));
    }

    fn on_tool_call(&mut self, ev: &Ev<'a>) {
        let ti = self.turn_for(ev.ts, ev.u64(names::TURN));
        let duration = ev.f64(names::DURATION);
        let call = ToolCall {
            tool: ev.text(names::TOOL).unwrap_or_else(|| "?".into()),
            tool_call_id: ev.text(names::TOOL_CALL_ID),
            args: ev.json(names::ARGS).unwrap_or_default(),
            start_ns: ev.ts,
            end_ns: ev.ts,
            duration_ms: duration,
            pending: true,
            raw_call: Some(ev.line.to_string()),
            ..ToolCall::default()
        };
        self.turns[ti].steps.push(Step::ToolCall(call));
        self.pending.push((ti, self.turns[ti].steps.len() - 1));
    }

    /// Finds the call a result or error answers: same call id, else the oldest waiting call of
    /// the same tool.
    fn take_pending(&mut self, tool: Option<&str>, id: Option<&str>) -> Option<(usize, usize)> {
        let call_of = |turns: &[Turn], (ti, si): (usize, usize)| match turns.get(ti)?.steps.get(si)
        {
            Some(Step::ToolCall(c)) => Some((c.tool.clone(), c.tool_call_id.clone())),
            _ => None,
        };
        let by_id = id.and_then(|id| {
            self.pending.iter().position(|p| {
                call_of(&self.turns, *p).is_some_and(|(_, cid)| cid.as_deref() == Some(id))
            })
        });
        let pos = by_id.or_else(|| {
            self.pending.iter().position(|p| {
                call_of(&self.turns, *p).is_some_and(|(t, cid)| {
                    tool.is_none_or(|tool| t == tool) && (id.is_none() || cid.is_none())
                })
            })
        })?;
        Some(self.pending.remove(pos))
    }

    fn on_tool_end(&mut self, ev: &Ev<'a>) {
        let tool = ev.text(names::TOOL);
        let id = ev.text(names::TOOL_CALL_ID);
        let is_error = ev.kind == Kind::ToolError
            || (ev.kind == Kind::ToolExecuted && ev.has(&["error", "error.type"]));
        let error = is_error.then(|| {
            ev.text(names::ERROR)
                .or_else(|| ev.text(&["error.type"]))
                .unwrap_or_else(|| "error (no text logged)".into())
        });
        let slot = self.take_pending(tool.as_deref(), id.as_deref());
        let (ti, si) = match slot {
            Some(s) => s,
            None => {
                let ti = self.turn_for(ev.ts, ev.u64(names::TURN));
                self.turns[ti].steps.push(Step::ToolCall(ToolCall {
                    tool: tool.clone().unwrap_or_else(|| "?".into()),
                    tool_call_id: id.clone(),
                    start_ns: ev.ts,
                    end_ns: ev.ts,
                    call_missing: true,
                    ..ToolCall::default()
                }));
                (ti, self.turns[ti].steps.len() - 1)
            }
        };
        let Some(Step::ToolCall(call)) = self.turns[ti].steps.get_mut(si) else {
            return;
        };
        let derived = (ev.ts - call.start_ns) as f64 / 1e6;
        let duration = ev
            .f64(names::DURATION)
            .or(call.duration_ms)
            .or((!call.call_missing).then_some(derived));
        call.end_ns = ev.ts;
        call.duration_ms = duration;
        if let Some(d) = duration {
            call.start_ns = ev.ts - (d * 1e6) as i64;
        }
        call.result_chars = ev.u64(names::CHARS).or(call.result_chars);
        call.error = error;
        call.pending = false;
        if call.tool_call_id.is_none() {
            call.tool_call_id = id;
        }
        call.raw_result = Some(ev.line.to_string());
    }

    fn on_message(&mut self, ev: &Ev<'a>) {
        self.conversation_logged = true;
        let ti = self.turn_for(ev.ts, ev.u64(names::TURN));
        self.turns[ti].steps.push(Step::Message(Message {
            ts_ns: ev.ts,
            role: ev.text(names::ROLE).unwrap_or_else(|| "?".into()),
            content: ev.text(names::CONTENT).unwrap_or_default(),
            tool_call_id: ev.text(names::TOOL_CALL_ID),
            raw: ev.line.to_string(),
        }));
    }

    fn on_done(&mut self, ev: &Ev<'a>) {
        self.header.finished = true;
        self.header.end_ns = Some(ev.ts);
        let status = ev.text(&["status"]).unwrap_or_default();
        self.done_failed = matches!(status.as_str(), "failed" | "error");
        self.reported = Some(Reported {
            turns: ev.u64(names::TURNS),
            input_tokens: ev.u64(names::INPUT),
            output_tokens: ev.u64(names::OUTPUT),
            cost: ev.f64(names::COST),
        });
    }

    fn on_error(&mut self, ev: &Ev<'a>) {
        let turn = self.turns.last().map(|t| t.number);
        let message = ev.text(names::ERROR).unwrap_or_else(|| ev.event());
        // structlog's `exception` holds the formatted traceback (several lines) beside `error`
        let traceback = ev.text(names::TRACEBACK).or_else(|| {
            ev.text(&["exception"])
                .filter(|x| x.contains('\n') && *x != message)
        });
        let err = RunError {
            ts_ns: ev.ts,
            turn,
            event: ev.event(),
            message,
            traceback,
            raw: ev.line.to_string(),
        };
        if let Some(t) = self.turns.last_mut() {
            t.steps.push(Step::Error(err.clone()));
        }
        self.errors.push(err);
    }

    fn finish(mut self, now: i64, opts: &BuildOptions) -> AgentRun {
        let h = &mut self.header;
        let (status, reason) = if h.finished && self.done_failed {
            (
                RunStatus::Failed,
                "agent.done reports a failure".to_string(),
            )
        } else if h.finished {
            (RunStatus::Done, "agent.done logged".to_string())
        } else if self.error_level_seen {
            (
                RunStatus::Failed,
                "crashed: an error was logged and no agent.done".to_string(),
            )
        } else if !h.started {
            (
                RunStatus::Incomplete,
                "no agent.start in the lines: the run began before the range".to_string(),
            )
        } else if now - h.last_ns <= opts.stale_after_ns {
            (RunStatus::Running, "no agent.done yet".to_string())
        } else {
            (
                RunStatus::Incomplete,
                format!(
                    "no agent.done, silent for {} min",
                    (now - h.last_ns) / 60_000_000_000
                ),
            )
        };
        h.status = status;
        h.status_reason = reason;
        if h.end_ns.is_none() && status != RunStatus::Running {
            h.end_ns = Some(h.last_ns);
        }
        let mut run = AgentRun {
            header: self.header,
            turns: self.turns,
            errors: self.errors,
            totals: Totals::default(),
            conversation_logged: self.conversation_logged,
            duplicates_dropped: self.duplicates,
            other_lines: self.other,
        };
        run.totals = compute_totals(&run, self.reported, &opts.prices);
        run
    }
}
