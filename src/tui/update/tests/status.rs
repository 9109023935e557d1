//! What the user is told: a query that was not run, indicators that end, messages that clear,
//! search counts.

use super::*;

fn type_text(a: &mut App, s: &str) {
    for c in s.chars() {
        update(a, key(c));
    }
}

#[test]
fn a_parse_error_on_enter_keeps_the_editor_with_the_caret_at_the_error() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(3, NOW, S));
    update(&mut a, key('i'));
    a.editor
        .input
        .set(r#"{app="vulnsentinel"} | jsn | level="error""#);
    let cmds = update(&mut a, code(KeyCode::Enter));
    assert!(run_cmd(&cmds).is_none());
    assert_eq!(a.mode, Mode::EditQuery, "the editor stays in edit mode");
    let col = a.editor.query_error.as_ref().and_then(|e| e.col).unwrap();
    assert!(
        col - 1 < a.editor.input.text.len(),
        "the error is inside the query"
    );
    assert_eq!(a.editor.input.cursor, col - 1, "the caret is on the error");
    let said = a.status.error.clone().unwrap_or_default();
    assert!(said.contains("not run"), "{said:?}");
    // the next keys still edit the query: `a` does not open the agent runs
    update(&mut a, key('o'));
    assert_eq!(a.mode, Mode::EditQuery);
    assert_eq!(a.editor.input.text.chars().nth(col - 1), Some('o'));
    assert!(matches!(a.nav.view, View::Logs));
    assert!(a.logs.newest_first);
}

#[test]
fn an_empty_query_on_enter_is_not_run_and_says_so() {
    let mut a = app(120, 40);
    update(&mut a, key('i'));
    update(&mut a, code(KeyCode::Enter));
    assert_eq!(a.mode, Mode::EditQuery);
    assert!(a.status.error.as_deref().unwrap_or("").contains("not run"));
}

#[test]
fn volume_loading_ends_in_an_error_after_a_connection_error() {
    let mut a = app(120, 40);
    a.editor.input.set(Q);
    update(&mut a, key('r'));
    assert!(volume_loading(&a));
    let g = a.status.generation;
    let refused = "cannot reach Loki at http://127.0.0.1:9: connection refused".to_string();
    update(
        &mut a,
        Msg::QueryFinished {
            generation: g,
            page: PageKind::First,
            result: Err(refused.clone()),
        },
    );
    update(
        &mut a,
        Msg::VolumeFinished {
            generation: g,
            result: Err(refused.clone()),
        },
    );
    assert!(!volume_loading(&a));
    assert_eq!(a.volume.error.as_deref(), Some(refused.as_str()));
}

#[test]
fn volume_loading_ends_when_the_query_is_cancelled_or_followed() {
    let mut a = app(120, 40);
    a.editor.input.set(Q);
    update(&mut a, key('r'));
    update(&mut a, ctrl('c'));
    assert!(!volume_loading(&a), "cancel aborts the volume query too");
    load(&mut a, Q, lines(3, NOW, S));
    assert!(volume_loading(&a));
    update(&mut a, key('F'));
    assert!(a.follow.is_some());
    assert!(!volume_loading(&a));
}

#[test]
fn a_failed_label_listing_ends_the_completion_wait() {
    let mut a = app(120, 40);
    update(&mut a, key('i'));
    type_text(&mut a, "{mo");
    let cmds = update(&mut a, code(KeyCode::Tab));
    assert!(matches!(cmds[..], [Command::FetchLabels { .. }]));
    assert!(a.editor.completion.is_some());
    update(
        &mut a,
        Msg::LabelsFinished(Err("connection refused".into())),
    );
    assert!(a.editor.completion.is_none(), "no 'loading…' left behind");
}

#[test]
fn status_messages_clear_on_the_next_action() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(10, NOW, S));
    // an error from a prompt
    update(&mut a, key('t'));
    type_text(&mut a, "blah");
    update(&mut a, code(KeyCode::Enter));
    assert!(a.status.error.is_some());
    update(&mut a, key('j'));
    assert_eq!(a.status.error, None);
    // a search note
    update(&mut a, key('/'));
    type_text(&mut a, "zzz");
    update(&mut a, code(KeyCode::Enter));
    assert!(a.status.note.is_some());
    update(&mut a, key('j'));
    assert_eq!(a.status.note, None);
}

#[test]
fn search_says_no_match_or_no_more_matches_and_counts() {
    let mut a = app(120, 40);
    // 14 lines: every 7th is agent.failed (2 of them)
    load(&mut a, Q, lines(14, NOW, S));
    update(&mut a, key('/'));
    type_text(&mut a, "zzz");
    update(&mut a, code(KeyCode::Enter));
    let note = a.status.note.clone().unwrap();
    assert!(note.starts_with("no match for \"zzz\""), "{note}");
    update(&mut a, key('/'));
    type_text(&mut a, "agent.failed");
    update(&mut a, code(KeyCode::Enter));
    assert_eq!(
        a.status.note.as_deref(),
        Some("match 1/2 for \"agent.failed\"")
    );
    update(&mut a, key('n'));
    assert_eq!(
        a.status.note.as_deref(),
        Some("match 2/2 for \"agent.failed\"")
    );
    let at = a.logs.selected;
    update(&mut a, key('n'));
    let note = a.status.note.clone().unwrap();
    assert!(
        note.starts_with("no more matches for \"agent.failed\""),
        "{note}"
    );
    assert!(note.contains("2 in the loaded lines"), "{note}");
    assert_eq!(a.logs.selected, at);
    update(&mut a, key('N'));
    assert_eq!(
        a.status.note.as_deref(),
        Some("match 1/2 for \"agent.failed\"")
    );
}

#[test]
fn export_says_what_lies_beyond_the_loaded_lines_and_offers_the_whole_range() {
    use crate::model::{Labels, MetricResult, Point, Series};
    let mut a = app(120, 40);
    a.logs.page_size = 100;
    load(&mut a, Q, lines(100, NOW, S));
    let mut l = Labels::new();
    l.insert("level".into(), "info".into());
    let points = (1..=120)
        .map(|i| Point {
            t_ms: (NOW - 3600 * S) / 1_000_000 + 30_000 * i,
            v: 10.0,
        })
        .collect();
    let g = a.status.generation;
    update(
        &mut a,
        Msg::VolumeFinished {
            generation: g,
            result: Ok(MetricResult::Matrix(vec![Series { metric: l, points }])),
        },
    );
    update(&mut a, key('x'));
    let label = |a: &App| match &a.mode {
        Mode::Prompt(p) => p.label.clone(),
        m => panic!("expected the export prompt, got {m:?}"),
    };
    let first = label(&a);
    assert!(
        first.contains("the 100 loaded lines; about 1100 more in the range"),
        "{first}"
    );
    assert!(first.contains("tab: the whole range"), "{first}");
    update(&mut a, code(KeyCode::Tab));
    let all = label(&a);
    assert!(
        all.starts_with("export all of about 1200 lines in the range"),
        "{all}"
    );
    let cmds = update(&mut a, code(KeyCode::Enter));
    let Some(Command::ExportRange { req, path, .. }) = cmds.into_iter().next() else {
        panic!("no export of the range")
    };
    assert_eq!(path.to_str(), Some("vs-logs-export.jsonl"));
    assert_eq!(req.direction, Direction::Forward);
    assert_eq!((req.start_ns, req.end_ns), (NOW - 3600 * S, NOW));
    assert_eq!(req.query, Q);
    assert_eq!(a.status.exporting, Some(0));
    update(&mut a, Msg::ExportProgress(5000));
    assert_eq!(a.status.exporting, Some(5000));
    update(
        &mut a,
        Msg::ExportFinished(Ok("exported 1200 lines".into())),
    );
    assert_eq!(a.status.exporting, None, "the indicator ends");
    // a complete load has nothing beyond it: Tab changes nothing
    load(&mut a, Q, lines(3, NOW, S));
    update(&mut a, key('x'));
    assert!(label(&a).starts_with("export the 3 lines"), "{}", label(&a));
    update(&mut a, code(KeyCode::Tab));
    assert!(matches!(&a.mode, Mode::Prompt(p) if p.kind == crate::tui::app::PromptKind::Export));
}

#[test]
fn user_facing_strings_count_one_line_and_say_what_keys_do() {
    // "1 lines" nowhere: the export note, the status while querying, follow notices
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one.log");
    let chunks = vec![(
        std::sync::Arc::new(crate::tui::store::Chunk::build(lines(1, NOW, S))),
        0,
    )];
    let note =
        crate::tui::export::export_to(&path, &chunks, crate::tui::msg::ExportFormat::Raw).unwrap();
    assert_eq!(note, format!("exported 1 line to {}", path.display()));
    let mut a = app(120, 40);
    load(&mut a, r#"{app="vulnsentinel"}"#, lines(1, NOW, S));
    update(&mut a, key('F'));
    let g = a.follow.as_ref().unwrap().generation;
    update(
        &mut a,
        Msg::TailBatch {
            generation: g,
            events: vec![TailEvent::Reconnected { backfilled: 1 }],
        },
    );
    let notice = a.follow.as_ref().unwrap().notice.clone().unwrap();
    assert_eq!(notice, "reconnected; 1 line backfilled");
    // the key table tells the truth: g is the top, and o runs the query again
    let rows = a.keys.help_rows(crate::tui::keys::Screen::Logs);
    let says = |k: &str| {
        rows.iter()
            .find(|(keys, _)| keys.split(' ').any(|x| x == k))
            .map(|(_, d)| d.to_string())
            .unwrap()
    };
    assert!(says("g").starts_with("top row"), "{}", says("g"));
    assert!(!says("g").contains("at the end"), "{}", says("g"));
    assert!(says("o").contains("runs the query"), "{}", says("o"));
    assert!(says("x").contains("whole range"), "{}", says("x"));
}
