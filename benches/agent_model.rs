//! Building the model of a 10,000-event agent run, and drawing its first timeline frame.
//! Target: under 10 ms each. Run: `cargo bench --bench agent_model`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use vs_logs::agent::model::build_runs;
use vs_logs::model::{Labels, LogEntry};
use vs_logs::tui::agent_view::TimelineView;

/// A realistic run: each turn logs turn, request, response, assistant message, tool call,
/// tool result and tool message (7 events); 10,000 events in all.
fn run_of(events: usize) -> Vec<LogEntry> {
    let labels = Arc::new(Labels::new());
    let mut out = Vec::with_capacity(events);
    let mut ts: i64 = 1_795_583_880_000_000_000;
    let common = r#""agent_type":"vuln_analyzer","agent_id":"ag-bench","target_id":"evt-1","logger":"vulnsentinel.agent""#;
    let push = |out: &mut Vec<LogEntry>, ts: &mut i64, body: String| {
        *ts += 3_000_000;
        out.push(LogEntry::new(
            *ts,
            Arc::clone(&labels),
            format!("{{{body},{common}}}"),
        ));
    };
    push(
        &mut out,
        &mut ts,
        r#""event":"agent.start","model":"claude-sonnet-4-5","max_turns":2000,"level":"info""#
            .into(),
    );
    let mut turn = 0;
    while out.len() + 8 <= events {
        turn += 1;
        let id = format!("tc-{turn}");
        push(
            &mut out,
            &mut ts,
            format!(r#""event":"agent.turn","turn":{turn},"level":"info""#),
        );
        push(
            &mut out,
            &mut ts,
            format!(r#""event":"llm.request","turn":{turn},"level":"info""#),
        );
        push(
            &mut out,
            &mut ts,
            format!(
                r#""event":"llm.response","turn":{turn},"stop_reason":"tool_use","input_tokens":{},"output_tokens":120,"level":"info""#,
                1000 + turn
            ),
        );
        push(
            &mut out,
            &mut ts,
            format!(
                r#""event":"agent.message","role":"assistant","content":"Turn {turn}: I will look at the next file of the patch to see whether the bounds check is complete.","level":"debug""#
            ),
        );
        push(
            &mut out,
            &mut ts,
            format!(
                r#""event":"tool.call","tool":"read_file","args":{{"path":"lib/file{turn}.c"}},"tool_call_id":"{id}","level":"info""#
            ),
        );
        push(
            &mut out,
            &mut ts,
            format!(
                r#""event":"tool.result","tool":"read_file","chars":4096,"duration_ms":{},"level":"info""#,
                20 + turn % 300
            ),
        );
        push(
            &mut out,
            &mut ts,
            format!(
                r#""event":"agent.message","role":"tool","tool_call_id":"{id}","content":"static int parse(const char *p, size_t len) {{ if(len > MAX) return -1; ... }}","level":"debug""#
            ),
        );
    }
    while out.len() < events - 1 {
        push(
            &mut out,
            &mut ts,
            r#""event":"agent.heartbeat","level":"info""#.into(),
        );
    }
    push(
        &mut out,
        &mut ts,
        format!(
            r#""event":"agent.done","turns":{turn},"input_tokens":1,"output_tokens":1,"cost":1.5,"level":"info""#
        ),
    );
    out
}

fn bench(c: &mut Criterion) {
    let entries = run_of(10_000);
    assert_eq!(entries.len(), 10_000);
    c.bench_function("build_runs 10k events", |b| {
        // The runs are freed outside the measurement: building is what is timed.
        b.iter_with_large_drop(|| build_runs(black_box(&entries)))
    });
    let run = build_runs(&entries).pop().unwrap();
    assert!(run.turns.len() > 1000);
    c.bench_function("timeline first frame 10k events (120x40)", |b| {
        b.iter_batched(
            || {
                (
                    run.clone(),
                    Terminal::new(TestBackend::new(120, 40)).unwrap(),
                )
            },
            |(run, mut term)| {
                let view = TimelineView::new(run);
                term.draw(|f| view.render(f, f.area())).unwrap();
                // Returned, so criterion drops the run outside the measurement.
                (view, term)
            },
            BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
