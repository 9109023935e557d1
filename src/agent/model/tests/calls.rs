//! Tool calls and their results, totals, cost, OpenTelemetry names and large inputs.

use super::*;

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
