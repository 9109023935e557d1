//! Headless whole-app interaction: large loads, the pivot to the agent timeline, mouse,
//! wrap/pretty toggles, export, long queries — driven by messages, drawn on a `TestBackend`.

use crossterm::event::KeyCode;
use ratatui::style::Color;

use vs_logs::tui::app::Mode;
use vs_logs::tui::msg::Msg;
use vs_logs::tui::testkit::{NOW, app, code, key, lines, load};
use vs_logs::tui::update;

use super::screens::{Q, S, draw, find, text};

#[test]
fn million_lines_render_only_the_screen() {
    let mut a = app(200, 50);
    a.volume.show = false;
    let n = 200_000;
    load(&mut a, Q, lines(n, NOW, 1_000_000));
    update(&mut a, key('G'));
    draw(&a);
    // only rows that were drawn were derived
    assert!(
        a.logs.rows.len() <= 50,
        "derived {} rows",
        a.logs.rows.len()
    );
    assert_eq!(a.logs.selected, n - 1);
}

#[test]
fn pivot_to_the_agent_timeline() {
    let mut a = app(120, 30);
    a.volume.show = false;
    load(&mut a, Q, lines(2, NOW, S));
    let cmds = update(&mut a, key('a'));
    let (g, id) = cmds
        .iter()
        .find_map(|c| match c {
            vs_logs::tui::Command::FetchAgent {
                generation,
                agent_id,
                ..
            } => Some((*generation, agent_id.clone())),
            _ => None,
        })
        .unwrap();
    let f = |extra: &str| {
        format!(r#""agent_type":"event_classifier","agent_id":"{id}","target_id":"evt-789"{extra}"#)
    };
    use vs_logs::tui::testkit::entry;
    let run_lines = vec![
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
            "error",
            "tool.error",
            &f(r#","tool":"fetch_commit_diff","error":"timeout after 30s","duration_ms":30000"#),
        ),
        entry(
            NOW - 6 * S,
            "agent",
            "info",
            "agent.done",
            &f(r#","turns":1,"input_tokens":3200,"output_tokens":450,"cost":0.0012"#),
        ),
    ];
    let runs = vs_logs::agent::model::build_runs_with(&run_lines, &Default::default());
    update(
        &mut a,
        Msg::AgentFinished {
            generation: g,
            agent_id: id,
            start_ns: None,
            result: Ok(runs),
        },
    );
    let t = draw(&a);
    insta::assert_snapshot!("agent_timeline", t.backend());
    let s = text(t.backend().buffer());
    assert!(s.contains("ag-1") && s.contains("fetch_commit_diff"));
    update(&mut a, code(KeyCode::Esc));
    assert!(text(draw(&a).backend().buffer()).contains("tool.call"));
}

#[test]
fn help_uses_two_columns_on_a_short_wide_screen() {
    let mut a = app(160, 30);
    update(&mut a, key('?'));
    let s = text(draw(&a).backend().buffer());
    // the first and the last entries of the table are both visible
    assert!(s.contains("quit"));
    assert!(s.contains("this help"));
}

#[test]
fn mouse_click_selects_and_wheel_scrolls() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut a = app(120, 30);
    a.volume.show = false;
    load(&mut a, Q, lines(50, NOW, S));
    let t = draw(&a);
    let header = find(t.backend().buffer(), "time").unwrap().1;
    let ev = |kind, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column: 10,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(
        &mut a,
        ev(MouseEventKind::Down(MouseButton::Left), header + 5),
    );
    assert_eq!(a.logs.selected, 4);
    update(&mut a, ev(MouseEventKind::ScrollDown, header + 5));
    assert_eq!(a.logs.selected, 7);
    update(&mut a, ev(MouseEventKind::ScrollUp, header + 5));
    assert_eq!(a.logs.selected, 4);
    let t = draw(&a);
    assert_eq!(t.backend().buffer()[(0, header + 5)].bg, Color::DarkGray);
}

#[test]
fn wrap_and_pretty_toggles() {
    let mut a = app(80, 24);
    a.volume.show = false;
    load(&mut a, Q, lines(3, NOW, S));
    update(&mut a, key('w'));
    let wrapped = text(draw(&a).backend().buffer());
    // long lines continue on rows that start under the message column
    let continuation = |s: &str| {
        s.lines()
            .filter(|l| l.starts_with(&" ".repeat(32)) && !l.trim().is_empty())
            .count()
    };
    assert!(continuation(&wrapped) >= 2, "{wrapped}");
    assert!(wrapped.contains("target_id=e"));
    update(&mut a, key('w'));
    update(&mut a, key('J'));
    let t = draw(&a);
    insta::assert_snapshot!("pretty", t.backend());
    let pretty = text(t.backend().buffer());
    assert!(pretty.contains("\"event\": \"request.end\","));
}

#[test]
fn export_writes_the_loaded_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.jsonl");
    let mut a = app(100, 20);
    load(&mut a, Q, lines(4, NOW, S));
    update(&mut a, key('x'));
    update(&mut a, vs_logs::tui::testkit::ctrl('u'));
    update(&mut a, Msg::Paste(path.display().to_string()));
    let cmds = update(&mut a, code(KeyCode::Enter));
    let Some(vs_logs::tui::Command::Export {
        path: p,
        format,
        chunks,
    }) = cmds.into_iter().next()
    else {
        panic!("no export command")
    };
    assert_eq!(p, path);
    let note = vs_logs::tui::export::export_to(&p, &chunks, format).unwrap();
    assert_eq!(note, format!("exported 4 lines to {}", path.display()));
    let written = std::fs::read_to_string(&path).unwrap();
    let lines_out: Vec<serde_json::Value> = written
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines_out.len(), 4);
    assert!(
        lines_out[0]["line"]
            .as_str()
            .unwrap()
            .contains("agent.failed")
    );
}

#[test]
fn a_query_wider_than_the_terminal_scrolls_to_keep_the_cursor_and_the_caret_in_view() {
    let mut a = app(40, 10);
    let q = r#"{app="vulnsentinel", module="agent"} | json | agent_type="event_classifier" | lvl"#;
    a.editor.input.set(q);
    a.mode = Mode::EditQuery;
    let t = draw(&a);
    let b = t.backend().buffer();
    // The end of the query is on screen, and the cursor sits right after it, inside the row.
    let row = text(b).lines().nth(1).unwrap().to_string();
    assert!(row.trim_end().ends_with("| lvl"), "{row}");
    let cursor = t.backend().cursor_position();
    assert!(cursor.x < 40, "cursor at {cursor:?}");
    let (lx, _) = find(b, "lvl").unwrap();
    assert_eq!(cursor.x, lx + 3);
}
