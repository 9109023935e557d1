#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The log context view end to end: `L` on a line asks the test Loki stub (or a local source)
//! for the two bounded queries through the Backend, the answer is cut around the line and
//! drawn like the results table with the line highlighted; snapshotted, styles checked.

use std::sync::Arc;

use ratatui::style::{Color, Modifier};

use vs_logs::backend::Backend;
use vs_logs::backend::drill::fetch_context;
use vs_logs::drill::ContextQueries;
use vs_logs::loki::{LokiClient, LokiConfig};
use vs_logs::model::{Direction, LogEntry, QueryOutput, QueryRange};
use vs_logs::source::LocalSource;
use vs_logs::tui::app::{App, View};
use vs_logs::tui::msg::{Command, Msg};
use vs_logs::tui::testkit::{NOW, app, code, entry, key, load};
use vs_logs::tui::update;

use super::screens::{Q, S, draw, find, text};
use crate::support::loki_stub::LokiStub;

/// 60 lines of one stream, one a second, the last at `NOW`.
fn stream_lines() -> Vec<LogEntry> {
    (0..60)
        .map(|i| {
            entry(
                NOW - (59 - i) * S,
                "agent",
                "info",
                "tool.call",
                &format!(r#""agent_id":"ag-{i}","tool":"fetch""#),
            )
        })
        .collect()
}

fn fetch_cmd(cmds: Vec<Command>) -> (u64, ContextQueries) {
    cmds.into_iter()
        .find_map(|c| match c {
            Command::FetchContext {
                generation,
                queries,
            } => Some((generation, queries)),
            _ => None,
        })
        .expect("a context fetch")
}

/// Runs the fetch as the loop does and hands the answer to `update`.
async fn answer(a: &mut App, b: &Backend, cmds: Vec<Command>) -> ContextQueries {
    let (generation, queries) = fetch_cmd(cmds);
    let result = fetch_context(b, &queries).await.map_err(|e| e.to_string());
    update(a, Msg::ContextFinished { generation, result });
    queries
}

/// A stub holding the stream, an app with it loaded and the line `ag-40` selected.
fn setup() -> (LokiStub, Backend, App) {
    let stub = LokiStub::start();
    let all = stream_lines();
    let labels: Vec<(String, String)> = all[0]
        .labels
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let labels: Vec<(&str, &str)> = labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    stub.add_stream(&labels, all.iter().map(|e| (e.ts, e.line.clone())));
    // another stream at the same times: only a widened selector reaches it
    let other = entry(
        NOW - 19 * S,
        "agent",
        "error",
        "agent.failed",
        r#""agent_id":"zz-other""#,
    );
    let mut ol = labels.clone();
    ol.retain(|(k, _)| *k != "level");
    ol.push(("level", "error"));
    stub.add_stream(&ol, [(other.ts, other.line.clone())]);
    let backend = Backend::Loki(
        LokiClient::new(LokiConfig {
            addr: stub.url(),
            ..LokiConfig::default()
        })
        .unwrap(),
    );
    let mut a = app(120, 24);
    load(&mut a, Q, all);
    for _ in 0..19 {
        update(&mut a, key('j'));
    }
    (stub, backend, a)
}

const SELECTOR: &str =
    r#"{app="vulnsentinel", container="vulnsentinel", level="info", module="agent"}"#;

#[tokio::test]
async fn the_stub_receives_two_bounded_queries_and_the_view_shows_the_window() {
    let (stub, b, mut a) = setup();
    let cmds = update(&mut a, key('L'));
    answer(&mut a, &b, cmds).await;
    let reqs = stub.requests_to("/loki/api/v1/query_range");
    let ts = NOW - 19 * S;
    // the client may re-ask a full page's last timestamp (ties at the cut-off): every
    // request stays inside the two windows, the first of each direction is the query itself
    let param = |r: &crate::support::loki_stub::Request, k| r.param(k).unwrap().to_string();
    for r in &reqs {
        assert_eq!(param(r, "query"), SELECTOR);
        let (s, e): (i64, i64) = (
            param(r, "start").parse().unwrap(),
            param(r, "end").parse().unwrap(),
        );
        let backward = param(r, "direction") == "backward";
        assert!(s >= ts - 3600 * S && e <= ts + 3600 * S, "{r:?}");
        assert!(if backward { e <= ts + 1 } else { s >= ts }, "{r:?}");
    }
    let first = |dir: &str| {
        reqs.iter()
            .find(|r| r.param("direction") == Some(dir))
            .unwrap()
    };
    let (before, after) = (first("backward"), first("forward"));
    assert_eq!(reqs[0].param("direction"), Some("backward"));
    assert_eq!(before.param("query"), Some(SELECTOR));
    assert_eq!(before.param("direction"), Some("backward"));
    assert_eq!(before.param("limit"), Some("10"));
    assert_eq!(before.param("end"), Some(ts.to_string().as_str()));
    assert_eq!(
        before.param("start"),
        Some((ts - 3600 * S).to_string().as_str())
    );
    assert_eq!(after.param("query"), Some(SELECTOR));
    assert_eq!(after.param("direction"), Some("forward"));
    assert_eq!(after.param("limit"), Some("11"));
    assert_eq!(after.param("start"), Some(ts.to_string().as_str()));
    assert_eq!(
        after.param("end"),
        Some((ts + 3600 * S).to_string().as_str())
    );
    let View::Context(v) = &a.nav.view else {
        panic!("not the context view")
    };
    let lines = v.lines.as_ref().unwrap();
    assert_eq!((lines.len(), v.at), (21, 10));
    assert!(lines.line(v.at).contains("ag-40"));
    assert!(lines.line(0).contains("ag-30") && lines.line(20).contains("ag-50"));

    // w on `level` widens the selector: the other stream's line joins, from Loki
    update(&mut a, key('l'));
    update(&mut a, key('l'));
    let cmds = update(&mut a, key('w'));
    let q = answer(&mut a, &b, cmds).await;
    assert!(!q.before.query.contains("level"), "{}", q.before.query);
    let reqs = stub.requests_to("/loki/api/v1/query_range");
    assert_eq!(
        reqs.last().unwrap().param("query"),
        Some(q.after.query.as_str())
    );
    let View::Context(v) = &a.nav.view else {
        panic!()
    };
    let c = v.lines.as_ref().unwrap();
    assert!((0..c.len()).any(|i| c.line(i).contains("zz-other")));
    assert!(c.line(v.at).contains("ag-40"));
}

#[tokio::test]
async fn context_view_snapshot_with_the_line_highlighted() {
    let (_stub, b, mut a) = setup();
    let selected = a.logs.selected;
    let cmds = update(&mut a, key('L'));
    answer(&mut a, &b, cmds).await;
    let t = draw(&a);
    let buf = t.backend().buffer().clone();
    insta::assert_snapshot!("context_view", text(&buf));
    // the line itself: selection background, bold; its neighbours: plain
    let (x, y) = find(&buf, "agent_id=ag-40").unwrap();
    assert_eq!(buf[(x, y)].bg, Color::DarkGray);
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    let (x, y) = find(&buf, "agent_id=ag-39").unwrap();
    assert_eq!(buf[(x, y)].bg, Color::Reset);
    assert!(!buf[(x, y)].modifier.contains(Modifier::BOLD));
    // the chosen label is underlined; a dropped one is struck out
    let (x, y) = find(&buf, "stream app=").unwrap();
    assert!(buf[(x + 7, y)].modifier.contains(Modifier::UNDERLINED));
    assert!(!buf[(x + 7, y)].modifier.contains(Modifier::CROSSED_OUT));
    update(&mut a, key('w'));
    let buf = draw(&a).backend().buffer().clone();
    let (x, y) = find(&buf, "stream app=").unwrap();
    assert!(buf[(x + 7, y)].modifier.contains(Modifier::CROSSED_OUT));
    // esc: back to the results, the same line selected
    update(&mut a, code(crossterm::event::KeyCode::Esc));
    assert!(matches!(a.nav.view, View::Logs));
    assert_eq!(a.logs.selected, selected);
    assert!(a.logs.selected_row().unwrap().line().contains("ag-40"));
}

#[tokio::test]
async fn a_local_source_answers_the_same_two_queries() {
    let all = stream_lines();
    let text: String = all.iter().map(|e| format!("{}\n", e.line)).collect();
    let b = Backend::Local(Arc::new(LocalSource::from_bytes(
        "ctx.jsonl",
        text.into_bytes(),
        "vulnsentinel",
    )));
    // load the lines as the TUI would, through the same backend (local labels)
    let req = QueryRange {
        query: r#"{app="vulnsentinel"}"#.into(),
        start_ns: NOW - 3600 * S,
        end_ns: NOW + S,
        limit: 1000,
        direction: Direction::Backward,
        step_ms: None,
        instant: false,
    };
    let (QueryOutput::Streams(loaded), _) = b.query(&req, Arc::new(|_| {})).await.unwrap() else {
        panic!("lines expected")
    };
    assert_eq!(loaded.len(), 60);
    let mut a = app(120, 24);
    load(&mut a, &req.query, loaded);
    for _ in 0..19 {
        update(&mut a, key('j'));
    }
    let cmds = update(&mut a, key('L'));
    answer(&mut a, &b, cmds).await;
    let View::Context(v) = &a.nav.view else {
        panic!()
    };
    let lines = v.lines.as_ref().unwrap();
    assert!(!v.missing);
    assert_eq!((lines.len(), v.at), (21, 10));
    assert!(lines.line(v.at).contains("ag-40"));
    assert!(lines.line(0).contains("ag-30") && lines.line(20).contains("ag-50"));
}

#[test]
fn the_details_pane_waits_under_the_context_view() {
    let mut a = app(120, 24);
    load(&mut a, Q, stream_lines());
    update(&mut a, code(crossterm::event::KeyCode::Enter));
    assert!(text(draw(&a).backend().buffer()).contains(" details · "));
    update(&mut a, key('L'));
    let s = text(draw(&a).backend().buffer());
    assert!(
        s.contains(" Context · 10 lines before/after · loading… "),
        "{s}"
    );
    assert!(!s.contains(" details · "), "{s}");
    update(&mut a, code(crossterm::event::KeyCode::Esc));
    assert!(a.logs.details.is_some());
    assert!(text(draw(&a).backend().buffer()).contains(" details · "));
}
