//! State-machine tests of `update`: no terminal, no I/O.

use crossterm::event::KeyCode;

use super::super::app::{Mode, Running, View};
use super::super::msg::{Command, Msg, PageKind};
use super::super::testkit::{NOW, app, code, ctrl, entry, finished, key, lines, load};
use super::*;
use crate::model::Direction;
use crate::tail::TailEvent;

const S: i64 = 1_000_000_000;
const Q: &str = r#"{app="vulnsentinel"} | json"#;

fn run_cmd(cmds: &[Command]) -> Option<(u64, PageKind, crate::model::QueryRange, usize)> {
    cmds.iter().find_map(|c| match c {
        Command::RunQuery {
            generation,
            page,
            req,
            boundary,
        } => Some((*generation, *page, req.clone(), boundary.len())),
        _ => None,
    })
}

fn selected_line(a: &App) -> String {
    a.logs.selected_row().unwrap().line().to_string()
}

#[test]
fn run_query_starts_query_and_volume() {
    let mut a = app(120, 40);
    a.editor.input.set(Q);
    let cmds = update(&mut a, key('r'));
    let (g, page, req, _) = run_cmd(&cmds).unwrap();
    assert_eq!((g, page), (1, PageKind::First));
    assert_eq!(req.end_ns, NOW);
    assert_eq!(req.start_ns, NOW - 3600 * S);
    assert_eq!(req.direction, Direction::Backward);
    assert_eq!(req.limit, 1000);
    assert!(cmds.iter().any(|c| matches!(c,
        Command::FetchVolume { req, .. } if req.query.starts_with("sum by (level) (count_over_time({app=\"vulnsentinel\"} | json | drop __error__"))));
    assert!(cmds.contains(&Command::SaveHistory(Q.to_string())));
    assert_eq!(a.status.running, Some(Running::Query));
}

#[test]
fn new_query_cancels_the_one_in_flight_and_stale_results_are_dropped() {
    let mut a = app(120, 40);
    a.editor.input.set(Q);
    update(&mut a, key('r'));
    let first_gen = a.status.generation;
    a.editor.input.set(r#"{app="vulnsentinel"} |= "rate limit""#);
    let cmds = update(&mut a, key('r'));
    assert!(cmds.contains(&Command::CancelQuery));
    // the first query's answer arrives late: ignored
    update(
        &mut a,
        finished(first_gen, PageKind::First, lines(5, NOW, S)),
    );
    assert!(a.logs.is_empty());
    assert_eq!(a.status.running, Some(Running::Query));
    let g = a.status.generation;
    update(&mut a, finished(g, PageKind::First, lines(3, NOW, S)));
    assert_eq!(a.logs.len(), 3);
    assert_eq!(a.status.running, None);
}

#[test]
fn ctrl_c_cancels_first_then_quits_when_idle() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(10, NOW, S));
    a.editor.input.set(r#"{app="x"}"#);
    update(&mut a, key('r'));
    let running_gen = a.status.generation;
    let cmds = update(&mut a, ctrl('c'));
    assert_eq!(cmds, vec![Command::CancelQuery]);
    assert!(!a.quit);
    assert_eq!(a.status.running, None);
    // results of the cancelled query are stale; the old results stay
    update(
        &mut a,
        finished(running_gen, PageKind::First, lines(2, NOW, S)),
    );
    assert_eq!(a.logs.len(), 10);
    let cmds = update(&mut a, ctrl('c'));
    assert!(cmds.contains(&Command::Quit));
    assert!(a.quit);
}

#[test]
fn q_quits_even_while_running_and_cancels() {
    let mut a = app(120, 40);
    a.editor.input.set(Q);
    update(&mut a, key('r'));
    let cmds = update(&mut a, key('q'));
    assert_eq!(cmds, vec![Command::CancelQuery, Command::Quit]);
}

#[test]
fn errors_keep_current_results() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(10, NOW, S));
    a.editor.input.set(r#"{app="vulnsentinel"} | jsn"#);
    update(&mut a, key('r'));
    let msg = "parse error at line 1, col 24: syntax error: unexpected IDENTIFIER";
    let g = a.status.generation;
    update(
        &mut a,
        Msg::QueryFinished {
            generation: g,
            page: PageKind::First,
            result: Err(msg.to_string()),
        },
    );
    assert_eq!(a.logs.len(), 10);
    assert_eq!(a.status.error.as_deref(), Some(msg));
    assert_eq!(
        a.editor.query_error.as_ref().map(|e| e.message.as_str()),
        Some(msg)
    );
    assert!(!a.quit);
}

#[test]
fn scrolling_to_the_end_loads_older_lines_keeping_the_position() {
    let mut a = app(120, 40);
    a.logs.page_size = 100;
    load(&mut a, Q, lines(100, NOW, S));
    assert!(!a.logs.results.older_done);
    let cmds = update(&mut a, key('G'));
    let (g, page, req, boundary) = run_cmd(&cmds).unwrap();
    assert_eq!((g, page), (a.status.generation, PageKind::Older));
    let oldest = NOW - 99 * S;
    assert_eq!(req.end_ns, oldest + 1);
    assert_eq!(req.direction, Direction::Backward);
    assert_eq!(boundary, 1);
    assert_eq!(a.status.running, Some(Running::Older));
    let before = selected_line(&a);
    let sel = a.logs.selected;
    // the page repeats the boundary line, then 50 older ones
    let mut page_lines = lines(50, oldest - S, S);
    page_lines.push(a.logs.results.store.get(0).unwrap().entry());
    let Some(Command::RunQuery { boundary, .. }) = cmds
        .into_iter()
        .find(|c| matches!(c, Command::RunQuery { .. }))
    else {
        panic!()
    };
    let page_lines = page_entries(page_lines, &boundary);
    assert_eq!(page_lines.len(), 50);
    update(&mut a, finished(g, PageKind::Older, page_lines));
    assert_eq!(a.logs.len(), 150);
    assert_eq!(selected_line(&a), before);
    assert_eq!(a.logs.selected, sel);
    // fewer than a page came back: that end is done, no more requests
    assert!(a.logs.results.older_done);
    let cmds = update(&mut a, key('G'));
    assert!(run_cmd(&cmds).is_none());
}

#[test]
fn oldest_first_paging_shifts_the_selection_with_the_data() {
    let mut a = app(120, 40);
    a.logs.page_size = 100;
    load(&mut a, Q, lines(100, NOW, S));
    update(&mut a, key('j'));
    update(&mut a, key('j'));
    update(&mut a, key('o'));
    assert!(!a.logs.newest_first);
    let before = selected_line(&a);
    let cmds = update(&mut a, key('g'));
    let (g, page, ..) = run_cmd(&cmds).unwrap();
    assert_eq!(page, PageKind::Older);
    update(&mut a, key('\'')); // harmless: no mark
    let marked = a.logs.selected;
    update(
        &mut a,
        finished(g, PageKind::Older, lines(30, NOW - 100 * S, S)),
    );
    assert_eq!(a.logs.selected, marked + 30);
    assert_ne!(selected_line(&a), before);
    assert_eq!(a.logs.len(), 130);
}

#[test]
fn page_entries_drop_each_boundary_duplicate_once() {
    let b = vec![
        entry(5, "api", "info", "x", ""),
        entry(5, "api", "info", "y", ""),
    ];
    let answer = vec![
        entry(5, "api", "info", "x", ""),
        entry(5, "api", "info", "x", ""),
        entry(5, "api", "info", "y", ""),
        entry(4, "api", "info", "z", ""),
    ];
    let kept = page_entries(answer, &b);
    assert_eq!(kept.len(), 2);
    assert!(kept[0].line.contains("\"x\""));
    assert!(kept[1].line.contains("\"z\""));
}

fn open_details_on(a: &mut App, key_name: &str) {
    update(a, code(KeyCode::Enter));
    let fields = super::super::fields::fields_of(&a.logs.selected_row().unwrap());
    let i = fields.iter().position(|f| f.key == key_name).unwrap();
    for _ in 0..i {
        update(a, key('j'));
    }
}

#[test]
fn filter_for_a_json_field_adds_a_label_filter() {
    let mut a = app(120, 40);
    load(&mut a, r#"{app="vulnsentinel"}"#, lines(3, NOW, S));
    // newest first: lines(3) index 2 → the request.end line
    open_details_on(&mut a, "method");
    let cmds = update(&mut a, key('+'));
    let (_, _, req, _) = run_cmd(&cmds).unwrap();
    assert_eq!(req.query, r#"{app="vulnsentinel"} | json | method="POST""#);
    assert_eq!(a.editor.input.text, req.query);
    assert!(a.logs.details.is_none());
    // back returns to the previous query
    let cmds = update(&mut a, code(KeyCode::Backspace));
    assert_eq!(run_cmd(&cmds).unwrap().2.query, r#"{app="vulnsentinel"}"#);
}

#[test]
fn filter_out_a_stream_label_goes_into_the_selector() {
    let mut a = app(120, 40);
    load(&mut a, r#"{app="vulnsentinel"} | json"#, lines(3, NOW, S));
    open_details_on(&mut a, "module");
    let cmds = update(&mut a, key('-'));
    let (_, _, req, _) = run_cmd(&cmds).unwrap();
    assert_eq!(req.query, r#"{app="vulnsentinel", module!="api"} | json"#);
}

#[test]
fn nested_field_uses_the_flattened_name() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(2, NOW, S));
    // newest first: the tool.call line is selected
    open_details_on(&mut a, "args_repo");
    let cmds = update(&mut a, key('+'));
    assert_eq!(
        run_cmd(&cmds).unwrap().2.query,
        r#"{app="vulnsentinel"} | json | args_repo="a/b""#
    );
}

fn agent_run_lines(id: &str) -> Vec<crate::model::LogEntry> {
    let f = |extra: &str| {
        format!(r#""agent_type":"event_classifier","agent_id":"{id}","target_id":"evt-789"{extra}"#)
    };
    vec![
        entry(
            NOW - 10 * S,
            "agent",
            "info",
            "agent.start",
            &f(r#","model":"claude-x","max_turns":5"#),
        ),
        entry(
            NOW - 9 * S,
            "agent",
            "info",
            "agent.turn",
            &f(r#","turn":1,"max_turns":5"#),
        ),
        entry(
            NOW - 8 * S,
            "agent",
            "info",
            "tool.call",
            &f(r#","tool":"fetch_commit_diff","args":{"repo":"a/b"}"#),
        ),
        entry(
            NOW - 7 * S,
            "agent",
            "info",
            "tool.result",
            &f(r#","tool":"fetch_commit_diff","chars":120,"duration_ms":556"#),
        ),
        entry(
            NOW - 6 * S,
            "agent",
            "info",
            "agent.done",
            &f(r#","turns":1,"input_tokens":3200,"output_tokens":450,"cost":0.0012"#),
        ),
    ]
}

fn fetch_agent_cmd(cmds: &[Command]) -> (u64, String) {
    match cmds
        .iter()
        .find(|c| matches!(c, Command::FetchAgent { .. }))
    {
        Some(Command::FetchAgent {
            generation,
            agent_id,
            ..
        }) => (*generation, agent_id.clone()),
        _ => panic!("no FetchAgent in {cmds:?}"),
    }
}

#[test]
fn pivot_opens_the_run_timeline_and_back_returns() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(2, NOW, S));
    let cmds = update(&mut a, key('a'));
    let (g, id) = fetch_agent_cmd(&cmds);
    assert_eq!(id, "ag-1");
    assert_eq!(a.status.running, Some(Running::Agent));
    let runs = crate::agent::model::build_runs_with(&agent_run_lines("ag-1"), &Default::default());
    assert_eq!(runs.len(), 1);
    update(
        &mut a,
        Msg::AgentFinished {
            generation: g,
            agent_id: id,
            start_ns: None,
            result: Ok(runs),
        },
    );
    assert!(matches!(a.nav.view, View::Agent(_)));
    assert_eq!(a.status.running, None);
    // keys go to the timeline; Esc/q there closes it
    update(&mut a, code(KeyCode::Esc));
    assert!(matches!(a.nav.view, View::Logs));
    assert_eq!(a.logs.len(), 2);
}

#[test]
fn pivot_without_a_run_falls_back_to_the_agent_lines() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(2, NOW, S));
    let (g, id) = fetch_agent_cmd(&update(&mut a, key('a')));
    let cmds = update(
        &mut a,
        Msg::AgentFinished {
            generation: g,
            agent_id: id,
            start_ns: None,
            result: Ok(Vec::new()),
        },
    );
    assert_eq!(
        run_cmd(&cmds).unwrap().2.query,
        r#"{app="vulnsentinel"} | json | agent_id="ag-1""#
    );
    assert_eq!(a.nav.back.len(), 1);
}

#[test]
fn agents_list_opens_a_run_and_returns_to_the_list() {
    let mut a = app(120, 40);
    let (g, id) = fetch_agent_cmd(&update(&mut a, key('A')));
    assert_eq!(id, "");
    let mut entries = agent_run_lines("ag-1");
    entries.extend(agent_run_lines("ag-2"));
    let runs = crate::agent::model::build_runs_with(&entries, &Default::default());
    update(
        &mut a,
        Msg::AgentFinished {
            generation: g,
            agent_id: id,
            start_ns: None,
            result: Ok(runs.clone()),
        },
    );
    let View::Agents(list) = &a.nav.view else {
        panic!("expected the agents list, got {:?}", a.nav.view)
    };
    assert_eq!(list.rows().len(), 2);
    let cmds = update(&mut a, code(KeyCode::Enter));
    let (g, id) = fetch_agent_cmd(&cmds);
    assert!(id == "ag-1" || id == "ag-2");
    let mine: Vec<_> = runs
        .into_iter()
        .filter(|r| r.header.agent_id == id)
        .collect();
    update(
        &mut a,
        Msg::AgentFinished {
            generation: g,
            agent_id: id,
            start_ns: None,
            result: Ok(mine),
        },
    );
    assert!(matches!(a.nav.view, View::Agent(_)));
    update(&mut a, code(KeyCode::Esc));
    assert!(matches!(a.nav.view, View::Agents(_)));
    update(&mut a, code(KeyCode::Esc));
    assert!(matches!(a.nav.view, View::Logs));
}

#[test]
fn ctrl_c_in_the_editor_cancels_a_running_query() {
    let mut a = app(120, 40);
    a.editor.input.set(Q);
    update(&mut a, key('r'));
    update(&mut a, key('i'));
    let cmds = update(&mut a, ctrl('c'));
    assert_eq!(cmds, vec![Command::CancelQuery]);
    assert_eq!(a.mode, Mode::EditQuery);
    update(&mut a, ctrl('c'));
    assert_eq!(a.mode, Mode::Normal);
    assert!(!a.quit);
}

#[test]
fn errors_search_and_marks_navigate() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(20, NOW, S));
    // newest first: display 0 = index 19
    update(&mut a, key('e'));
    assert!(selected_line(&a).contains("agent.failed"));
    let first_err = a.logs.selected;
    update(&mut a, key('e'));
    assert!(a.logs.selected > first_err);
    update(&mut a, key('E'));
    assert_eq!(a.logs.selected, first_err);
    update(&mut a, key('m'));
    update(&mut a, key('x'));
    update(&mut a, key('g'));
    assert_eq!(a.logs.selected, 0);
    update(&mut a, key('\''));
    update(&mut a, key('x'));
    assert_eq!(a.logs.selected, first_err);
    update(&mut a, key('/'));
    for c in "rate limit".chars() {
        update(&mut a, key(c));
    }
    update(&mut a, code(KeyCode::Enter));
    assert!(selected_line(&a).contains("rate limit"));
    let m = a.logs.selected;
    update(&mut a, key('n'));
    assert!(a.logs.selected > m && selected_line(&a).contains("rate limit"));
    update(&mut a, key('N'));
    assert_eq!(a.logs.selected, m);
}

fn start_follow(a: &mut App, capacity: usize) -> u64 {
    a.logs.buffer_lines = capacity;
    a.editor.query = Q.into();
    let cmds = update(a, key('F'));
    match cmds.iter().find(|c| matches!(c, Command::StartTail { .. })) {
        Some(Command::StartTail { generation, opts }) => {
            assert_eq!(opts.query, Q);
            *generation
        }
        _ => panic!("no StartTail in {cmds:?}"),
    }
}

#[test]
fn follow_sticks_to_newest_then_counts_waiting_lines_and_bounds_the_buffer() {
    let mut a = app(120, 40);
    let g = start_follow(&mut a, 100);
    update(
        &mut a,
        Msg::TailBatch {
            generation: g,
            events: vec![TailEvent::Entries(lines(60, NOW, S))],
        },
    );
    assert_eq!(a.logs.len(), 60);
    assert_eq!(a.logs.selected, 0);
    assert!(
        selected_line(&a).contains(
            &chrono::DateTime::from_timestamp_nanos(NOW)
                .format("%H:%M:%S")
                .to_string()
        )
    );
    // scroll away from the newest
    update(&mut a, key('j'));
    update(&mut a, key('j'));
    let watched = selected_line(&a);
    update(
        &mut a,
        Msg::TailBatch {
            generation: g,
            events: vec![TailEvent::Entries(lines(60, NOW + 100 * S, S))],
        },
    );
    assert_eq!(a.logs.len(), 100);
    let f = a.follow.as_ref().unwrap();
    assert_eq!(f.waiting, 60);
    assert_eq!(f.dropped, 20);
    assert_eq!(selected_line(&a), watched);
    // going back to the newest clears the counter
    update(&mut a, key('g'));
    assert_eq!(a.follow.as_ref().unwrap().waiting, 0);
    // a stale tail (an earlier follow) is ignored
    update(
        &mut a,
        Msg::TailBatch {
            generation: g - 1,
            events: vec![TailEvent::Entries(lines(5, NOW + 500 * S, S))],
        },
    );
    assert_eq!(a.logs.len(), 100);
}

#[test]
fn follow_pause_resume_and_clear() {
    let mut a = app(120, 40);
    let g = start_follow(&mut a, 1000);
    update(&mut a, key('p'));
    update(
        &mut a,
        Msg::TailBatch {
            generation: g,
            events: vec![TailEvent::Entries(lines(10, NOW, S))],
        },
    );
    assert_eq!(a.logs.len(), 0);
    assert_eq!(a.follow.as_ref().unwrap().waiting, 10);
    update(&mut a, key('p'));
    assert_eq!(a.logs.len(), 10);
    assert_eq!(a.follow.as_ref().unwrap().waiting, 0);
    update(&mut a, key('C'));
    assert_eq!(a.logs.len(), 0);
    let cmds = update(&mut a, key('F'));
    assert_eq!(cmds, vec![Command::StopTail]);
    assert!(a.follow.is_none());
}

#[test]
fn follow_burst_of_a_thousand_lines_is_one_message() {
    let mut a = app(120, 40);
    let g = start_follow(&mut a, 100_000);
    let cmds = update(
        &mut a,
        Msg::TailBatch {
            generation: g,
            events: vec![TailEvent::Entries(lines(1000, NOW, 1_000_000))],
        },
    );
    assert!(cmds.is_empty());
    assert_eq!(a.logs.len(), 1000);
    assert_eq!(a.logs.selected, 0);
}

#[test]
fn range_presets_rerun_the_query() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(3, NOW, S));
    let cmds = update(&mut a, key('5'));
    let req = run_cmd(&cmds).unwrap().2;
    assert_eq!(req.end_ns - req.start_ns, 12 * 3600 * S);
    assert_eq!(a.editor.range.label(), "last 12h");
}

#[test]
fn scene_with_a_parameter_asks_for_it() {
    let mut a = app(120, 40);
    update(&mut a, key('s'));
    assert_eq!(a.mode, Mode::Scenes);
    update(&mut a, key('j'));
    update(&mut a, code(KeyCode::Enter));
    let Mode::Prompt(p) = &a.mode else {
        panic!("expected a prompt, got {:?}", a.mode)
    };
    assert!(p.label.starts_with("agent_id"));
    for c in "ag-456".chars() {
        update(&mut a, key(c));
    }
    update(&mut a, code(KeyCode::Enter));
    assert_eq!(a.mode, Mode::Normal);
    // the scene renders through `crate::scenes`: either it ran, or its error is shown
    assert!(
        a.status.running.is_some()
            || a.status.error
                .as_deref()
                .is_some_and(|e| e.starts_with("scene replay"))
    );
}

#[test]
fn resize_keeps_the_selection_visible() {
    let mut a = app(120, 60);
    load(&mut a, Q, lines(200, NOW, S));
    for _ in 0..50 {
        update(&mut a, key('j'));
    }
    update(&mut a, Msg::Resize(80, 20));
    let page = super::super::layout::page_rows(&a);
    assert!(a.logs.selected >= a.logs.scroll && a.logs.selected < a.logs.scroll + page);
}

#[test]
fn history_browsing_in_the_editor() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(1, NOW, S));
    load(&mut a, r#"{app="b"}"#, lines(1, NOW, S));
    update(&mut a, key('i'));
    update(&mut a, code(KeyCode::Up));
    assert_eq!(a.editor.input.text, r#"{app="b"}"#);
    update(&mut a, code(KeyCode::Up));
    assert_eq!(a.editor.input.text, Q);
    update(&mut a, code(KeyCode::Esc));
    assert_eq!(a.mode, Mode::Normal);
}

#[test]
fn completion_of_label_names_and_values() {
    let mut a = app(120, 40);
    update(&mut a, key('i'));
    a.editor.input.set("{mo");
    let cmds = update(&mut a, code(KeyCode::Tab));
    assert!(matches!(cmds[0], Command::FetchLabels { .. }));
    update(
        &mut a,
        Msg::LabelsFinished(Ok(vec!["app".into(), "module".into(), "level".into()])),
    );
    assert_eq!(a.editor.input.text, "{module");
    for c in "=\"a".chars() {
        update(&mut a, key(c));
    }
    assert_eq!(a.editor.input.text, "{module=\"a");
    let cmds = update(&mut a, code(KeyCode::Tab));
    assert!(matches!(&cmds[0], Command::FetchLabelValues { name, .. } if name == "module"));
    update(
        &mut a,
        Msg::LabelValuesFinished {
            name: "module".into(),
            result: Ok(vec!["agent".into(), "api".into(), "db".into()]),
        },
    );
    assert_eq!(a.editor.input.text, "{module=\"agent");
    update(&mut a, code(KeyCode::Tab));
    assert_eq!(a.editor.input.text, "{module=\"api");
}

#[test]
fn a_failed_tail_leaves_follow_mode_and_reloads_the_results() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(5, NOW, S));
    let g = start_follow(&mut a, 100);
    assert!(a.logs.is_empty());
    let cmds = update(
        &mut a,
        Msg::TailBatch {
            generation: g,
            events: vec![TailEvent::Failed("no websocket".into())],
        },
    );
    assert!(a.follow.is_none());
    assert_eq!(cmds[0], Command::StopTail);
    assert_eq!(run_cmd(&cmds).unwrap().2.query, Q);
    assert_eq!(a.status.error.as_deref(), Some("follow stopped: no websocket"));
}

#[test]
fn a_parse_error_is_shown_at_its_position_and_nothing_is_sent() {
    let mut a = app(120, 40);
    update(&mut a, key('i'));
    for c in r#"{app="v"} | json | level=="#.chars() {
        update(&mut a, key(c));
    }
    let e = a.editor.query_error.clone().expect("a parse error while typing");
    assert!(e.col.is_some(), "{e:?}");
    let cmds = update(&mut a, code(KeyCode::Enter));
    assert!(run_cmd(&cmds).is_none());
    assert!(a.editor.query_error.is_some());
    assert_eq!(a.status.generation, 0);
}

/// Opens the timeline of `ag-1` (pivot from a loaded line).
fn open_timeline(a: &mut App) {
    load(a, Q, lines(2, NOW, S));
    let (g, id) = fetch_agent_cmd(&update(a, key('a')));
    let runs = crate::agent::model::build_runs_with(&agent_run_lines("ag-1"), &Default::default());
    update(
        a,
        Msg::AgentFinished {
            generation: g,
            agent_id: id,
            start_ns: None,
            result: Ok(runs),
        },
    );
    assert!(matches!(a.nav.view, View::Agent(_)));
}

fn screen_text(a: &App) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(
        a.size.width,
        a.size.height,
    ))
    .unwrap();
    t.draw(|f| super::super::render(f, a)).unwrap();
    let b = t.backend().buffer();
    (0..b.area.height)
        .map(|y| (0..b.area.width).map(|x| b[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn help_on_the_timeline_lists_the_timeline_keys() {
    let mut a = app(120, 40);
    open_timeline(&mut a);
    update(&mut a, key('?'));
    assert_eq!(a.mode, Mode::Help);
    let s = screen_text(&a);
    assert!(s.contains("fold every turn (again: unfold all)"), "{s}");
    assert!(s.contains("show/hide the raw log line of the row"), "{s}");
    assert!(!s.contains("search in the results"), "{s}");
    update(&mut a, code(KeyCode::Esc));
    assert_eq!(a.mode, Mode::Normal);
    assert!(matches!(a.nav.view, View::Agent(_)));
}

#[test]
fn timeline_keys_follow_the_config_overrides() {
    let mut o = std::collections::BTreeMap::new();
    o.insert("back".to_string(), "b".to_string());
    o.insert("fold_all".to_string(), "Z".to_string());
    let mut a = app(120, 40);
    a.keys = crate::tui::keys::KeyMap::new(&o);
    open_timeline(&mut a);
    let folded = |a: &App| screen_text(a).contains("▸ Turn");
    // `z` is no longer bound; `Z` folds every turn
    update(&mut a, key('z'));
    assert!(!folded(&a));
    update(&mut a, key('Z'));
    assert!(folded(&a));
    // `q` no longer closes the timeline; `b` does
    update(&mut a, key('q'));
    assert!(matches!(a.nav.view, View::Agent(_)));
    assert!(!a.quit);
    update(&mut a, key('b'));
    assert!(matches!(a.nav.view, View::Logs));
}

#[test]
fn ctrl_c_in_the_runs_list_cancels_a_running_fetch_then_closes() {
    let mut a = app(120, 40);
    let (g, id) = fetch_agent_cmd(&update(&mut a, key('A')));
    let runs = crate::agent::model::build_runs_with(&agent_run_lines("ag-1"), &Default::default());
    update(
        &mut a,
        Msg::AgentFinished {
            generation: g,
            agent_id: id,
            start_ns: None,
            result: Ok(runs),
        },
    );
    let cmds = update(&mut a, code(KeyCode::Enter));
    let (g, _) = fetch_agent_cmd(&cmds);
    assert_eq!(a.status.running, Some(Running::Agent));
    let cmds = update(&mut a, ctrl('c'));
    assert!(cmds.contains(&Command::CancelQuery), "{cmds:?}");
    assert_eq!(a.status.running, None);
    assert!(a.status.generation > g);
    assert!(matches!(a.nav.view, View::Agents(_)));
    update(&mut a, ctrl('c'));
    assert!(matches!(a.nav.view, View::Logs));
    assert!(!a.quit);
}
