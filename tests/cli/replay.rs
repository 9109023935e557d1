#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `replay` and `agents` on the real ag-456 capture (Loki's own response body) and on variants
//! of it: the model's figures, the text timeline at 80 columns, the JSON document, the diff,
//! the runs table and the search widening.

use crate::support::agent::{Canned, ag456, failed_variant, prefs, session};
use vs_logs::agent::find::{AgentsRequest, ReplayRequest};
use vs_logs::agent::model::{RunStatus, Step, build_runs};
use vs_logs::cli::commands::agents::agents_to;
use vs_logs::cli::commands::replay::replay_to;
use vs_logs::output::OutputFormat;
use vs_logs::timespec::RangeQuery;

/// The JSON object of the fixture line whose `event` is `event` (and `tool`, when given).
fn fixture_line(event: &str, tool: Option<&str>) -> serde_json::Value {
    ag456()
        .iter()
        .map(|e| serde_json::from_str::<serde_json::Value>(&e.line).unwrap())
        .find(|v| v["event"] == event && tool.is_none_or(|t| v["tool"] == t))
        .unwrap()
}

#[test]
fn capture_02_rebuilds_ag456_with_the_logged_figures() {
    let runs = build_runs(&ag456());
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let done = fixture_line("agent.done", None);
    let fetch = fixture_line("tool.result", Some("fetch_commit_diff"));

    assert_eq!(run.header.agent_id, "ag-456");
    assert_eq!(run.header.status, RunStatus::Done);
    assert_eq!(run.turns.len() as u64, done["turns"].as_u64().unwrap());
    assert_eq!(run.turns.len(), 2);
    let tools: Vec<&str> = run
        .turns
        .iter()
        .flat_map(|t| t.tool_calls())
        .map(|c| c.tool.as_str())
        .collect();
    assert_eq!(tools, ["fetch_commit_diff", "submit_classification"]);
    let fetch_call = run.turns[0].tool_calls().next().unwrap();
    assert_eq!(fetch_call.duration_ms, fetch["duration_ms"].as_f64());
    assert_eq!(fetch_call.duration_ms, Some(556.0));
    assert_eq!(fetch_call.result_chars, fetch["chars"].as_u64());
    let t = &run.totals;
    assert_eq!(t.input_tokens, done["input_tokens"].as_u64().unwrap());
    assert_eq!(t.output_tokens, done["output_tokens"].as_u64().unwrap());
    assert_eq!((t.input_tokens, t.output_tokens), (3200, 450));
    let cost = t.cost.as_ref().unwrap();
    assert!(!cost.estimated);
    assert_eq!(cost.usd, done["cost"].as_f64().unwrap());
    assert_eq!(cost.usd, 0.0012);
    assert!(t.mismatches.is_empty());
    assert!(run.conversation_logged);
    let messages = run
        .turns
        .iter()
        .flat_map(|t| &t.steps)
        .filter(|s| matches!(s, Step::Message(_)))
        .count();
    assert_eq!(messages, 4);
}

/// Times in UTC (`--utc`), so the snapshots do not depend on the machine's time zone.
fn replay_args(id: &str) -> ReplayRequest {
    ReplayRequest {
        agent_id: id.into(),
        range: utc_range(),
        ..ReplayRequest::default()
    }
}

fn utc_range() -> RangeQuery {
    RangeQuery {
        utc: true,
        ..RangeQuery::default()
    }
}

async fn run_replay(
    src: &Canned,
    args: &ReplayRequest,
    format: OutputFormat,
    color: bool,
) -> String {
    let mut out = Vec::new();
    replay_to(&session(), &prefs(format, color), args, src, &mut out)
        .await
        .unwrap();
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn replay_text_fits_80_columns_and_is_plain_when_piped() {
    let src = Canned::new(ag456());
    let text = run_replay(&src, &replay_args("ag-456"), OutputFormat::Text, false).await;
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }
    assert!(!text.contains('\u{1b}'));
    assert!(text.contains("fetch_commit_diff · 556 ms"));
    // which size is the tool's output and which the logged excerpt
    assert!(text.contains("556 ms · output 1,523 chars"), "{text}");
    assert!(text.contains("… (logged text: 290 chars;"), "{text}");
    // JSON args never break inside a key or a value
    assert!(!text.contains("\"confid\n"), "{text}");
    assert!(text.contains("\"confidence\":0.92}"), "{text}");
    insta::assert_snapshot!("replay_ag456_text", text);
    let asked = src.asked.borrow();
    assert_eq!(
        asked[0].0,
        r#"{app="vulnsentinel"} |= "ag-456" | json | agent_id="ag-456" or gen_ai_agent_id="ag-456""#
    );
    assert_eq!(asked[0].2 - asked[0].1, 7 * 24 * 3_600_000_000_000);
}

#[tokio::test]
async fn replay_text_is_coloured_on_a_terminal() {
    let src = Canned::new(ag456());
    let text = run_replay(&src, &replay_args("ag-456"), OutputFormat::Text, true).await;
    assert!(text.contains("\u{1b}[32mdone\u{1b}[0m"), "status in green");
}

#[tokio::test]
async fn replay_json_is_complete_and_stable() {
    let src = Canned::new(ag456());
    let text = run_replay(&src, &replay_args("ag-456"), OutputFormat::Json, false).await;
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema"], "vs-logs.replay/1");
    let run = &v["runs"][0];
    assert_eq!(run["totals"]["input_tokens"], 3200);
    assert_eq!(run["turns"][0]["steps"][2]["kind"], "tool_call");
    assert_eq!(run["turns"][0]["steps"][2]["duration_ms"], 556.0);
    insta::assert_snapshot!("replay_ag456_json", text);
}

#[tokio::test]
async fn replay_info_only_crashed_run_shows_errors_and_estimate() {
    let src = Canned::new(failed_variant("ag-999"));
    let text = run_replay(&src, &replay_args("ag-999"), OutputFormat::Text, false).await;
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }
    assert!(text.contains("conversation text was not logged"));
    assert!(text.contains("status failed"));
    assert!(text.contains("^[[31m(retry later)"), "escape made visible");
    assert!(text.contains("cost ≈$"));
    insta::assert_snapshot!("replay_failed_info_only_text", text);
}

#[tokio::test]
async fn replay_widens_the_search_then_says_how() {
    let mut old = ag456();
    let shift = 10 * 24 * 3_600_000_000_000;
    for e in &mut old {
        e.ts -= shift;
    }
    let src = Canned::new(old);
    let text = run_replay(&src, &replay_args("ag-456"), OutputFormat::Text, false).await;
    assert!(text.contains("Agent run ag-456"));
    let spans: Vec<i64> = src
        .asked
        .borrow()
        .iter()
        .map(|a| (a.2 - a.1) / 86_400_000_000_000)
        .collect();
    assert_eq!(spans, [7, 30]);

    let src = Canned::new(ag456());
    let err = replay_to(
        &session(),
        &prefs(OutputFormat::Text, false),
        &replay_args("ag-404"),
        &src,
        &mut Vec::new(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("no lines for agent ag-404"), "{err}");
    assert!(err.contains("--since 90d"), "{err}");

    // A range the user chose is not widened.
    let src = Canned::new(ag456());
    let mut args = replay_args("ag-404");
    args.range = RangeQuery {
        from: Some("2026-11-25T05:00:00Z".into()),
        ..RangeQuery::default()
    };
    let _ = replay_to(
        &session(),
        &prefs(OutputFormat::Text, false),
        &args,
        &src,
        &mut Vec::new(),
    )
    .await;
    assert!(src.asked.borrow().len() <= 1);
}

#[tokio::test]
async fn replay_diff_shows_both_runs_and_the_divergence() {
    let mut entries = ag456();
    entries.extend(failed_variant("ag-457"));
    let src = Canned::new(entries);
    let mut args = replay_args("ag-456");
    args.diff = Some("ag-457".into());
    let text = run_replay(&src, &args, OutputFormat::Text, false).await;
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }
    assert!(text.contains("First divergence"));
    insta::assert_snapshot!("replay_diff_text", text);
    let json = run_replay(&src, &args, OutputFormat::Json, false).await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema"], "vs-logs.replay-diff/1");
    assert_eq!(v["a"]["header"]["agent_id"], "ag-456");
    assert_eq!(v["b"]["header"]["status"], "failed");
}

#[tokio::test]
async fn agents_table_and_totals() {
    let mut entries = ag456();
    entries.extend(failed_variant("ag-457"));
    let src = Canned::new(entries.clone());
    let args = AgentsRequest {
        range: utc_range(),
        ..AgentsRequest::default()
    };
    let mut out = Vec::new();
    agents_to(
        &session(),
        &prefs(OutputFormat::Text, false),
        &args,
        &src,
        &mut out,
    )
    .await
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    insta::assert_snapshot!("agents_text", text);
    let (query, start, end) = src.asked.borrow()[0].clone();
    assert!(query.contains(
        "event=~\"agent.start|agent.done|agent.turn|llm.response|tool.call|tool.error\""
    ));
    assert_eq!(end - start, 24 * 3_600_000_000_000);

    let src = Canned::new(entries);
    let args = AgentsRequest {
        status: Some("failed".into()),
        ..AgentsRequest::default()
    };
    let mut out = Vec::new();
    agents_to(
        &session(),
        &prefs(OutputFormat::Json, false),
        &args,
        &src,
        &mut out,
    )
    .await
    .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["schema"], "vs-logs.agents/1");
    assert_eq!(v["runs"].as_array().unwrap().len(), 1);
    assert_eq!(v["runs"][0]["agent_id"], "ag-457");
    assert_eq!(v["by_type"][0]["failure_rate"], 1.0);

    let bad = AgentsRequest {
        status: Some("crashed".into()),
        ..AgentsRequest::default()
    };
    let err = agents_to(
        &session(),
        &prefs(OutputFormat::Text, false),
        &bad,
        &src,
        &mut Vec::new(),
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("use done, failed, running or incomplete")
    );
}
