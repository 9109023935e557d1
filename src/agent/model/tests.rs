//! The model on hand-made entry lists: one test per robustness case real logs bring.

use std::sync::Arc;

use super::*;
use crate::model::{Labels, LogEntry};

const S: i64 = 1_000_000_000;
const T0: i64 = 1_795_583_880 * S;

/// An agent line of run `id` at `T0 + ms` with the given extra JSON fields.
fn line(ms: i64, id: &str, event: &str, level: &str, extra: &str) -> LogEntry {
    let sep = if extra.is_empty() { "" } else { "," };
    let text = format!(
        r#"{{"event":"{event}"{sep}{extra},"agent_type":"event_classifier","agent_id":"{id}","target_id":"evt-1","level":"{level}","logger":"vulnsentinel.agent"}}"#
    );
    LogEntry::new(T0 + ms * 1_000_000, Arc::new(Labels::new()), text)
}

fn info(ms: i64, event: &str, extra: &str) -> LogEntry {
    line(ms, "ag-1", event, "info", extra)
}

/// A complete two-turn run, as the seed logs it.
fn full_run() -> Vec<LogEntry> {
    vec![
        info(
            0,
            "agent.start",
            r#""model":"claude-haiku-4-5","max_turns":5"#,
        ),
        info(10, "agent.turn", r#""turn":1,"max_turns":5"#),
        info(
            1010,
            "llm.response",
            r#""turn":1,"stop_reason":"tool_use","input_tokens":100,"output_tokens":10"#,
        ),
        line(
            1011,
            "ag-1",
            "agent.message",
            "debug",
            r#""role":"assistant","content":"let me look""#,
        ),
        info(
            1500,
            "tool.call",
            r#""tool":"fetch","args":{"sha":"abc"},"tool_call_id":"tc-1""#,
        ),
        info(
            1600,
            "tool.result",
            r#""tool":"fetch","chars":42,"duration_ms":500"#,
        ),
        line(
            1601,
            "ag-1",
            "agent.message",
            "debug",
            r#""role":"tool","tool_call_id":"tc-1","content":"diff""#,
        ),
        info(1700, "agent.turn", r#""turn":2,"max_turns":5"#),
        info(
            2700,
            "llm.response",
            r#""turn":2,"stop_reason":"end_turn","input_tokens":200,"output_tokens":20"#,
        ),
        info(
            2800,
            "agent.done",
            r#""turns":2,"input_tokens":300,"output_tokens":30,"cost":0.5"#,
        ),
    ]
}

fn opts_at(now_ms: i64) -> BuildOptions {
    BuildOptions {
        now_ns: Some(T0 + now_ms * 1_000_000),
        ..BuildOptions::default()
    }
}

fn one(entries: &[LogEntry]) -> AgentRun {
    let runs = build_runs_with(entries, &opts_at(3000));
    assert_eq!(runs.len(), 1, "{runs:#?}");
    runs.into_iter().next().unwrap()
}

#[test]
fn complete_run_has_header_turns_tools_and_totals() {
    let run = one(&full_run());
    let h = &run.header;
    assert_eq!(h.status, RunStatus::Done);
    assert_eq!(h.model.as_deref(), Some("claude-haiku-4-5"));
    assert_eq!(h.max_turns, Some(5));
    assert_eq!(h.start_ns, Some(T0));
    assert_eq!(h.end_ns, Some(T0 + 2800 * 1_000_000));
    assert_eq!(run.turns.len(), 2);
    let llm = run.turns[0].llm_calls().next().unwrap();
    assert_eq!(llm.latency_ms, Some(1000.0));
    assert!(llm.latency_derived);
    let call = run.turns[0].tool_calls().next().unwrap();
    assert_eq!(call.tool, "fetch");
    assert_eq!(call.duration_ms, Some(500.0));
    assert_eq!(call.result_chars, Some(42));
    assert_eq!(call.args["sha"], "abc");
    assert_eq!(call.start_ns, T0 + 1100 * 1_000_000);
    let t = &run.totals;
    assert_eq!((t.turns, t.llm_calls), (2, 2));
    assert_eq!((t.input_tokens, t.output_tokens), (300, 30));
    assert_eq!(
        t.cost.as_ref().map(|c| (c.usd, c.estimated)),
        Some((0.5, false))
    );
    assert!(t.mismatches.is_empty());
    assert_eq!(t.tools["fetch"].calls, 1);
    assert_eq!((t.llm_ms, t.tool_ms, t.wall_ms), (2000.0, 500.0, 2800.0));
    assert_eq!(t.other_ms, 300.0);
    assert!(run.conversation_logged);
}

#[test]
fn duplicate_lines_are_dropped() {
    let mut entries = full_run();
    let copy = entries.clone();
    entries.extend(copy);
    let run = one(&entries);
    assert_eq!(run.duplicates_dropped, 10);
    assert_eq!(run.totals.input_tokens, 300);
    assert_eq!(run.totals.tool_calls, 1);
}

#[test]
fn same_timestamp_different_lines_are_both_kept() {
    let mut entries = full_run();
    entries.push(line(
        1011,
        "ag-1",
        "agent.message",
        "debug",
        r#""role":"assistant","content":"second""#,
    ));
    let run = one(&entries);
    let messages = run.turns[0]
        .steps
        .iter()
        .filter(|s| matches!(s, Step::Message(_)))
        .count();
    assert_eq!(messages, 3);
}

#[test]
fn out_of_order_lines_are_put_back_in_time_order() {
    let mut entries = full_run();
    entries.reverse();
    entries.swap(2, 7);
    let run = one(&entries);
    assert_eq!(run.header.status, RunStatus::Done);
    assert_eq!(
        run.turns.iter().map(|t| t.number).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(run.totals.tools["fetch"].calls, 1);
    assert!(run.turns[0].tool_calls().all(|c| !c.pending));
}

#[test]
fn info_only_run_replays_and_says_conversation_missing() {
    let entries: Vec<_> = full_run()
        .into_iter()
        .filter(|e| !e.line.contains("\"debug\""))
        .collect();
    let run = one(&entries);
    assert!(!run.conversation_logged);
    assert_eq!(run.turns.len(), 2);
    assert_eq!(run.totals.output_tokens, 30);
}

#[test]
fn run_cut_by_window_is_incomplete() {
    let entries: Vec<_> = full_run().into_iter().skip(4).collect();
    let run = build_runs_with(&entries[..4], &opts_at(3000)).remove(0);
    assert_eq!(run.header.status, RunStatus::Incomplete);
    assert!(!run.header.started);
    assert!(run.header.status_reason.contains("agent.start"));
    // The tool result arrived without being preceded by a turn line: one inferred turn.
    assert_eq!(run.turns.len(), 2);
}

#[test]
fn crash_without_done_is_failed_with_traceback() {
    let mut entries: Vec<_> = full_run().into_iter().take(6).collect();
    entries.push(line(
        1700,
        "ag-1",
        "agent.crashed",
        "error",
        r#""error":"KeyError: 'label'","traceback":"Traceback (most recent call last):\n  File \"a.py\"\nKeyError: 'label'""#,
    ));
    let run = one(&entries);
    assert_eq!(run.header.status, RunStatus::Failed);
    assert_eq!(run.errors.len(), 1);
    assert_eq!(run.errors[0].message, "KeyError: 'label'");
    assert!(
        run.errors[0]
            .traceback
            .as_deref()
            .unwrap()
            .contains("File \"a.py\"")
    );
    assert_eq!(run.errors[0].turn, Some(1));
    assert!(run.turns[0].steps.last().unwrap().is_error());
    // No cost logged: estimated from the tokens with the model's price.
    let cost = run.totals.cost.as_ref().unwrap();
    assert!(cost.estimated);
    assert!((cost.usd - (100.0 * 1.0 + 10.0 * 5.0) / 1e6).abs() < 1e-12);
}

#[test]
fn unfinished_run_is_running_when_recent_and_incomplete_when_stale() {
    let entries: Vec<_> = full_run().into_iter().take(6).collect();
    let recent = build_runs_with(&entries, &opts_at(2000)).remove(0);
    assert_eq!(recent.header.status, RunStatus::Running);
    assert_eq!(recent.header.end_ns, None);
    let stale = build_runs_with(&entries, &opts_at(60 * 60 * 1000)).remove(0);
    assert_eq!(stale.header.status, RunStatus::Incomplete);
    assert!(stale.header.status_reason.contains("silent"));
}

#[test]
fn reused_agent_id_is_split_at_agent_start() {
    let mut entries: Vec<_> = full_run().into_iter().take(5).collect();
    entries.push(line(
        1550,
        "ag-1",
        "agent.failed",
        "error",
        r#""error":"rate limited""#,
    ));
    for mut e in full_run() {
        e.ts += 10 * S;
        entries.push(e);
    }
    let runs = build_runs_with(&entries, &opts_at(20_000));
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].header.status, RunStatus::Failed);
    assert_eq!(runs[0].totals.tool_calls, 1);
    assert!(runs[0].turns[0].tool_calls().next().unwrap().pending);
    assert_eq!(runs[1].header.status, RunStatus::Done);
    assert_eq!(runs[1].totals.turns, 2);
}

#[test]
fn non_json_noise_and_other_agents_are_kept_apart() {
    let mut entries = full_run();
    let noise = |ms: i64, text: &str| {
        LogEntry::new(
            T0 + ms * 1_000_000,
            Arc::new(Labels::new()),
            text.to_string(),
        )
    };
    entries.push(noise(5, "Traceback (most recent call last):"));
    entries.push(noise(6, "{not json"));
    entries.push(noise(7, r#"{"event":"request.end","status":200}"#));
    entries.push(line(8, "ag-2", "agent.start", "info", r#""model":"m""#));
    let runs = build_runs_with(&entries, &opts_at(3000));
    assert_eq!(runs.len(), 2);
    let ag1 = runs.iter().find(|r| r.header.agent_id == "ag-1").unwrap();
    assert_eq!(ag1.totals.input_tokens, 300);
}

#[test]
fn huge_message_is_complete_in_the_model() {
    let big = "x".repeat(200_000);
    let mut entries = full_run();
    entries.push(line(
        1012,
        "ag-1",
        "agent.message",
        "debug",
        &format!(r#""role":"assistant","content":"{big}""#),
    ));
    let run = one(&entries);
    let longest = run.turns[0]
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Message(m) => Some(m.content.len()),
            _ => None,
        })
        .max();
    assert_eq!(longest, Some(200_000));
}

#[test]
fn done_totals_disagreeing_with_turns_are_flagged() {
    let mut entries = full_run();
    entries.pop();
    entries.push(info(
        2800,
        "agent.done",
        r#""turns":3,"input_tokens":999,"output_tokens":30,"cost":0.5"#,
    ));
    let run = one(&entries);
    assert_eq!(run.totals.mismatches, ["turns", "input_tokens"]);
    let r = run.totals.reported.as_ref().unwrap();
    assert_eq!((r.turns, r.input_tokens), (Some(3), Some(999)));
    assert_eq!(run.totals.input_tokens, 300);
}

#[test]
fn tool_error_pairs_with_its_call_and_counts_per_tool() {
    let mut entries: Vec<_> = full_run().into_iter().take(4).collect();
    entries.push(info(
        1100,
        "tool.call",
        r#""tool":"search","args":{"q":"a"}"#,
    ));
    entries.push(info(
        1200,
        "tool.call",
        r#""tool":"search","args":{"q":"b"}"#,
    ));
    entries.push(line(
        31_100,
        "ag-1",
        "tool.error",
        "warning",
        r#""tool":"search","error":"timeout after 30s""#,
    ));
    entries.push(info(31_300, "tool.result", r#""tool":"search","chars":5"#));
    let run = build_runs_with(&entries, &opts_at(31_400)).remove(0);
    let calls: Vec<_> = run.turns[0].tool_calls().collect();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].args["q"], "a");
    assert_eq!(calls[0].error.as_deref(), Some("timeout after 30s"));
    assert_eq!(calls[0].duration_ms, Some(30_000.0));
    assert_eq!(calls[1].error, None);
    assert_eq!(calls[1].result_chars, Some(5));
    assert_eq!(run.totals.tools["search"].errors, 1);
    assert_eq!(run.totals.tool_errors, 1);
    // A warning-level tool error is not a crash.
    assert_eq!(run.header.status, RunStatus::Running);
}

#[test]
fn opentelemetry_genai_names_replay_too() {
    let genai = |ms: i64, body: &str| {
        LogEntry::new(
            T0 + ms * 1_000_000,
            Arc::new(Labels::new()),
            format!(
                r#"{{{body},"gen_ai.agent.id":"otel-1","gen_ai.request.model":"gpt-4o","level":"info"}}"#
            ),
        )
    };
    let entries = vec![
        genai(0, r#""event":"agent.start""#),
        genai(
            900,
            r#""gen_ai.operation.name":"chat","gen_ai.usage.input_tokens":1000,"gen_ai.usage.output_tokens":100,"gen_ai.response.finish_reasons":["tool_calls"]"#,
        ),
        genai(
            1000,
            r#""event":"tool.call","gen_ai.tool.name":"lookup","gen_ai.tool.call.id":"c1""#,
        ),
        genai(
            1300,
            r#""event":"tool.result","gen_ai.tool.name":"lookup","gen_ai.tool.call.id":"c1""#,
        ),
        genai(
            2000,
            r#""gen_ai.operation.name":"chat","gen_ai.usage.input_tokens":2000,"gen_ai.usage.output_tokens":50"#,
        ),
    ];
    let run = build_runs_with(&entries, &opts_at(2100)).remove(0);
    assert_eq!(run.header.agent_id, "otel-1");
    assert_eq!(run.header.model.as_deref(), Some("gpt-4o"));
    assert_eq!(
        run.turns.len(),
        2,
        "each chat response without agent.turn is a turn"
    );
    let llm = run.turns[0].llm_calls().next().unwrap();
    assert_eq!(llm.stop_reason.as_deref(), Some("tool_calls"));
    let call = run.turns[0].tool_calls().next().unwrap();
    assert_eq!(
        (call.tool.as_str(), call.duration_ms),
        ("lookup", Some(300.0))
    );
    assert_eq!(
        (run.totals.input_tokens, run.totals.output_tokens),
        (3000, 150)
    );
    let cost = run.totals.cost.as_ref().unwrap();
    assert!(cost.estimated);
    assert!((cost.usd - (3000.0 * 2.5 + 150.0 * 10.0) / 1e6).abs() < 1e-12);
}

#[test]
fn unknown_model_without_done_has_no_cost() {
    let entries = vec![
        line(
            0,
            "ag-9",
            "agent.start",
            "info",
            r#""model":"homegrown-llm""#,
        ),
        line(5, "ag-9", "llm.response", "info", r#""input_tokens":10"#),
    ];
    let run = build_runs_with(&entries, &opts_at(10)).remove(0);
    assert!(run.totals.cost.is_none());
}

#[test]
fn result_without_call_is_kept_and_marked() {
    let entries = vec![
        info(0, "agent.start", ""),
        info(
            100,
            "tool.result",
            r#""tool":"fetch","chars":3,"duration_ms":40"#,
        ),
    ];
    let run = build_runs_with(&entries, &opts_at(200)).remove(0);
    let call = run.turns[0].tool_calls().next().unwrap();
    assert!(call.call_missing);
    assert_eq!(call.duration_ms, Some(40.0));
}

#[test]
fn large_inputs_read_in_parallel_build_the_same_runs() {
    // Two interleaved runs, out of order, with duplicates: 3,000 lines take the parallel path,
    // each run alone (1,500 lines) the sequential one.
    let mut all = Vec::new();
    for id in ["ag-a", "ag-b"] {
        all.push(line(0, id, "agent.start", "info", r#""model":"m""#));
        for i in 1..1500 {
            let turn = i / 3 + 1;
            let entry = match i % 3 {
                0 => line(i, id, "agent.turn", "info", &format!(r#""turn":{turn}"#)),
                1 => line(
                    i,
                    id,
                    "llm.response",
                    "info",
                    &format!(r#""turn":{turn},"input_tokens":{i},"output_tokens":1"#),
                ),
                _ => line(i, id, "tool.call", "info", r#""tool":"read_file""#),
            };
            all.push(entry);
        }
    }
    all.reverse();
    all.extend(all[..10].to_vec());
    assert!(all.len() >= 3000);
    let together = build_runs(&all);
    let alone: Vec<AgentRun> = ["ag-a", "ag-b"]
        .iter()
        .flat_map(|id| {
            let mine: Vec<LogEntry> = all
                .iter()
                .filter(|e| e.line.contains(id))
                .cloned()
                .collect();
            build_runs_with(
                &mine,
                &BuildOptions {
                    now_ns: all.iter().map(|e| e.ts).max(),
                    ..BuildOptions::default()
                },
            )
        })
        .collect();
    assert_eq!(together.len(), 2);
    assert_eq!(together, alone);
    assert_eq!(
        together[0].duplicates_dropped + together[1].duplicates_dropped,
        10
    );
    assert!(together[0].turns.len() > 400);
}

#[test]
fn agent_error_takes_its_traceback_from_structlogs_exception_field() {
    let mut entries: Vec<_> = full_run().into_iter().take(6).collect();
    entries.push(line(
        1700,
        "ag-1",
        "agent.error",
        "error",
        r#""error":"KeyError: 'diff'","exception":"Traceback (most recent call last):\n  File \"base.py\", line 231, in run\nKeyError: 'diff'""#,
    ));
    let run = one(&entries);
    assert_eq!(run.errors[0].message, "KeyError: 'diff'");
    let tb = run.errors[0].traceback.as_deref().unwrap();
    assert!(
        tb.starts_with("Traceback") && tb.contains("line 231"),
        "{tb}"
    );
}
