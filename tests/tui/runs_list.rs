//! The runs list (`A`): newest first like the logs, k9s-style column sorts and filters from
//! the `Screen::Runs` key table.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use vs_logs::agent::model::RunStatus;
use vs_logs::agent::render::runs_table::RunRow;
use vs_logs::tui::agent_view::{AgentsView, ViewAction};

const S: i64 = 1_000_000_000;

fn row(
    id: &str,
    start_s: i64,
    ty: &str,
    status: RunStatus,
    cost: f64,
    secs: f64,
    tok: u64,
) -> RunRow {
    RunRow {
        start_ns: 1_795_600_800 * S + start_s * S,
        agent_type: Some(ty.into()),
        agent_id: id.into(),
        target_id: Some("evt-1".into()),
        status,
        turns: 1,
        input_tokens: tok,
        output_tokens: 0,
        cost_usd: Some(cost),
        cost_estimated: false,
        duration_ms: Some(secs * 1000.0),
        tool_errors: 0,
        errors: 0,
    }
}

fn ids(v: &AgentsView) -> Vec<&str> {
    v.rows().iter().map(|r| r.agent_id.as_str()).collect()
}

fn press(v: &mut AgentsView, c: char) {
    let m = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    assert_eq!(
        v.handle_key(KeyEvent::new(KeyCode::Char(c), m)),
        ViewAction::None
    );
}

fn runs() -> AgentsView {
    // given oldest first, as `agent::find::summarize` returns them
    AgentsView::new(
        vec![
            row("ag-1", 0, "classifier", RunStatus::Done, 0.002, 3.0, 500),
            row("ag-2", 60, "analyzer", RunStatus::Failed, 0.010, 9.0, 100),
            row(
                "ag-3",
                120,
                "classifier",
                RunStatus::Running,
                0.001,
                1.0,
                900,
            ),
        ],
        "last 1h",
    )
}

#[test]
fn runs_list_is_newest_first_like_the_logs() {
    let v = runs();
    assert_eq!(ids(&v), ["ag-3", "ag-2", "ag-1"]);
    let mut t = Terminal::new(TestBackend::new(110, 14)).unwrap();
    t.draw(|f| v.render(f, f.area())).unwrap();
    let s = crate::screens::text(t.backend().buffer());
    assert!(s.contains("by start ↓"), "{s}");
    // the selection opens the newest run
    let mut v = v;
    match v.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)) {
        ViewAction::OpenRun { agent_id, .. } => assert_eq!(agent_id, "ag-3"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn runs_list_sorts_by_each_column_and_reverses_on_the_same_key() {
    let mut v = runs();
    press(&mut v, 'C');
    assert_eq!(ids(&v), ["ag-2", "ag-1", "ag-3"], "dearest first");
    press(&mut v, 'C');
    assert_eq!(ids(&v), ["ag-3", "ag-1", "ag-2"], "cheapest first");
    press(&mut v, 'D');
    assert_eq!(ids(&v), ["ag-2", "ag-1", "ag-3"], "longest first");
    press(&mut v, 'T');
    assert_eq!(ids(&v), ["ag-3", "ag-1", "ag-2"], "most tokens first");
    press(&mut v, 'S');
    assert_eq!(ids(&v), ["ag-2", "ag-3", "ag-1"], "failed, running, done");
    press(&mut v, 'A');
    assert_eq!(ids(&v), ["ag-3", "ag-2", "ag-1"], "newest first");
    press(&mut v, 'A');
    assert_eq!(ids(&v), ["ag-1", "ag-2", "ag-3"], "oldest first");
    // the selected run stays selected across a re-sort
    press(&mut v, 'g');
    press(&mut v, 'j');
    assert_eq!(v.rows()[v.selected()].agent_id, "ag-2");
    press(&mut v, 'T');
    assert_eq!(v.rows()[v.selected()].agent_id, "ag-2");
}

#[test]
fn runs_list_filters_by_status_and_type() {
    let mut v = runs();
    press(&mut v, 'f');
    assert_eq!(ids(&v), ["ag-2"], "failed only");
    press(&mut v, 'f');
    assert_eq!(ids(&v), ["ag-3"], "running only");
    for _ in 0..3 {
        press(&mut v, 'f');
    }
    assert_eq!(v.order().status, None);
    assert_eq!(ids(&v).len(), 3);
    press(&mut v, 't');
    assert_eq!(ids(&v), ["ag-2"], "analyzer");
    press(&mut v, 't');
    assert_eq!(ids(&v), ["ag-3", "ag-1"], "classifier");
    let mut t = Terminal::new(TestBackend::new(110, 14)).unwrap();
    t.draw(|f| v.render(f, f.area())).unwrap();
    let s = crate::screens::text(t.backend().buffer());
    assert!(s.contains("2 of 3") && s.contains("type classifier"), "{s}");
    press(&mut v, 't');
    assert_eq!(ids(&v).len(), 3);
    // a filter nothing passes says so
    press(&mut v, 't');
    press(&mut v, 'f');
    press(&mut v, 'f');
    assert!(ids(&v).is_empty());
    t.draw(|f| v.render(f, f.area())).unwrap();
    let s = crate::screens::text(t.backend().buffer());
    assert!(s.contains("No run passes the filters"), "{s}");
}
