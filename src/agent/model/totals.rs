//! Sums over a run: tokens, cost (logged or estimated), tools, and where the time went.

use super::pricing::PriceTable;
use super::types::{AgentRun, Cost, Reported, Totals};

/// Totals of `run`; `reported` is what `agent.done` said, compared with the sum of the turns.
pub(crate) fn compute_totals(
    run: &AgentRun,
    reported: Option<Reported>,
    prices: &PriceTable,
) -> Totals {
    let mut t = Totals {
        turns: run.turns.len() as u64,
        ..Totals::default()
    };
    for turn in &run.turns {
        for llm in turn.llm_calls() {
            t.llm_calls += 1;
            t.input_tokens += llm.input_tokens.unwrap_or(0);
            t.output_tokens += llm.output_tokens.unwrap_or(0);
            t.llm_ms += llm.latency_ms.unwrap_or(0.0);
        }
        for call in turn.tool_calls() {
            let e = t.tools.entry(call.tool.clone()).or_default();
            e.calls += 1;
            t.tool_calls += 1;
            if call.error.is_some() {
                e.errors += 1;
                t.tool_errors += 1;
            }
            let ms = call.duration_ms.unwrap_or(0.0);
            e.total_ms += ms;
            t.tool_ms += ms;
        }
    }
    let h = &run.header;
    let start = h.start_ns.unwrap_or(h.first_ns);
    let end = h.end_ns.unwrap_or(h.last_ns);
    t.wall_ms = (end - start).max(0) as f64 / 1e6;
    t.other_ms = (t.wall_ms - t.llm_ms - t.tool_ms).max(0.0);

    if let Some(r) = &reported {
        let mut check = |name: &str, logged: Option<u64>, summed: u64| {
            if logged.is_some_and(|v| v != summed) {
                t.mismatches.push(name.to_string());
            }
        };
        check("turns", r.turns, t.turns);
        check("input_tokens", r.input_tokens, t.input_tokens);
        check("output_tokens", r.output_tokens, t.output_tokens);
    }
    let logged_cost = reported.as_ref().and_then(|r| r.cost);
    t.cost = match logged_cost {
        Some(usd) => Some(Cost {
            usd,
            estimated: false,
        }),
        None => {
            // Prefer agent.done's token counts (complete) over the sum of what was seen.
            let input = reported
                .as_ref()
                .and_then(|r| r.input_tokens)
                .unwrap_or(t.input_tokens);
            let output = reported
                .as_ref()
                .and_then(|r| r.output_tokens)
                .unwrap_or(t.output_tokens);
            h.model
                .as_deref()
                .and_then(|m| prices.estimate(m, input, output))
                .map(|usd| Cost {
                    usd,
                    estimated: true,
                })
        }
    };
    t.reported = reported;
    t
}
