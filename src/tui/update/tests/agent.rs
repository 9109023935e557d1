//! The agent screens: pivot, runs list, their key tables and help.

use super::*;

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
    t.draw(|f| crate::tui::render(f, a)).unwrap();
    let b = t.backend().buffer();
    (0..b.area.height)
        .map(|y| {
            (0..b.area.width)
                .map(|x| b[(x, y)].symbol())
                .collect::<String>()
        })
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

#[test]
fn details_opened_while_the_runs_load_close_when_the_list_opens() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(2, NOW, S));
    let (g, id) = fetch_agent_cmd(&update(&mut a, key('A')));
    update(&mut a, code(KeyCode::Enter));
    assert!(a.logs.details.is_some());
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
    assert!(matches!(a.nav.view, View::Agents(_)));
    assert!(a.logs.details.is_none());
    assert!(!screen_text(&a).contains("details ·"));
}

#[test]
fn help_keys_column_fits_the_longest_keys() {
    let mut a = app(120, 40);
    open_timeline(&mut a);
    update(&mut a, key('?'));
    let s = screen_text(&a);
    let col = |needle: &str| {
        s.lines()
            .find_map(|l| l.find(needle).map(|i| l[..i].chars().count()))
            .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{s}"))
    };
    // the help texts start in one column
    assert_eq!(col("fold every turn"), col("fold a turn, expand"));
    assert_eq!(col("this help"), col("close the timeline"));
}
