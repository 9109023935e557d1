use crate::agent::fetch::replay_query;
use crate::agent::model::build_runs_with;
use crate::backend::Backend;
use crate::model::LogEntry;
use crate::tui::View;
use crate::tui::testkit::{NOW, code, entry};

use super::*;

const S: i64 = 1_000_000_000;
const H: i64 = 3_600 * S;

fn session() -> Session {
    let client = crate::loki::LokiClient::new(crate::loki::LokiConfig::default()).unwrap();
    let mut s = Session::new(Backend::Loki(client), "vulnsentinel", NOW);
    s.scenes = crate::tui::testkit::scenes();
    s
}

fn run_lines(id: &str, at: i64) -> Vec<LogEntry> {
    let f = |extra: &str| {
        format!(r#""agent_type":"event_classifier","agent_id":"{id}","target_id":"evt-789"{extra}"#)
    };
    vec![
        entry(at, "agent", "info", "agent.start", &f(r#","max_turns":5"#)),
        entry(at + S, "agent", "info", "agent.turn", &f(r#","turn":1"#)),
        entry(
            at + 2 * S,
            "agent",
            "info",
            "agent.done",
            &f(r#","turns":1"#),
        ),
    ]
}

fn agent_start(runs: Vec<AgentRun>) -> TuiStart {
    TuiStart {
        agent: Some(AgentStart {
            agent_id: "ag-1".into(),
            runs,
            searched: Searched {
                query: replay_query("vulnsentinel", "ag-1"),
                start_ns: NOW - 7 * 24 * H,
                end_ns: NOW,
            },
        }),
        ..TuiStart::default()
    }
}

fn first_query(cmds: &[Command]) -> &crate::model::QueryRange {
    cmds.iter()
        .find_map(|c| match c {
            Command::RunQuery { req, .. } => Some(req),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no RunQuery in {cmds:?}"))
}

#[test]
fn one_run_opens_its_timeline_over_the_runs_lines() {
    let runs = build_runs_with(&run_lines("ag-1", NOW - H), &Default::default());
    assert_eq!(runs.len(), 1);
    let (app, cmds) = start(&session(), &agent_start(runs)).unwrap();
    assert!(matches!(app.nav.view, View::Agent(_)), "{:?}", app.nav.view);
    // Behind the agent screen: the run's lines over the range it was found in.
    let req = first_query(&cmds);
    assert_eq!(req.query, replay_query("vulnsentinel", "ag-1"));
    assert_eq!((req.start_ns, req.end_ns), (NOW - 7 * 24 * H, NOW));
}

#[test]
fn a_reused_id_opens_the_list_of_its_runs() {
    let mut lines = run_lines("ag-1", NOW - 2 * H);
    lines.extend(run_lines("ag-1", NOW - H));
    let runs = build_runs_with(&lines, &Default::default());
    assert_eq!(runs.len(), 2);
    let (mut app, _) = start(&session(), &agent_start(runs)).unwrap();
    let View::Agents(list) = &app.nav.view else {
        panic!("expected the runs list, got {:?}", app.nav.view)
    };
    assert_eq!(list.rows().len(), 2);
    // Opening one fetches it over the same range.
    let cmds = update::update(&mut app, code(crossterm::event::KeyCode::Enter));
    let range = cmds.iter().find_map(|c| match c {
        Command::FetchAgent { range, .. } => Some(*range),
        _ => None,
    });
    assert_eq!(range, Some((NOW - 7 * 24 * H, NOW)));
}

fn range_args(since: Option<&str>, from: Option<&str>, to: Option<&str>) -> TuiStart {
    TuiStart {
        query: Some(r#"{app="vulnsentinel"}"#.into()),
        range: RangeQuery {
            since: since.map(str::to_string),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            utc: true,
        },
        ..TuiStart::default()
    }
}

#[test]
fn the_command_line_range_follows_the_one_rule() {
    let s = session();
    let (app, _) = start(&s, &range_args(Some("30m"), None, None)).unwrap();
    assert_eq!(app.editor.range, RangeSpec::last("30m", 1800 * S));
    // --since with --from is refused, as on the command line.
    let err = start(&s, &range_args(Some("30m"), Some("now-2h"), None))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("--since") && err.contains("--from"), "{err}");
    // --to alone: the default hour before it.
    let (app, cmds) = start(&s, &range_args(None, None, Some("now-1h"))).unwrap();
    assert_eq!(app.editor.range.resolve(NOW + H), (NOW - 2 * H, NOW - H));
    let req = first_query(&cmds);
    assert_eq!((req.start_ns, req.end_ns), (NOW - 2 * H, NOW - H));
    // --from: fixed, ends now.
    let (app, _) = start(&s, &range_args(None, Some("now-3h"), None)).unwrap();
    assert_eq!(app.editor.range.resolve(NOW + H), (NOW - 3 * H, NOW));
}

#[test]
fn no_range_flag_keeps_the_first_scenes_range() {
    let s = session();
    let start_req = TuiStart::default();
    let (app, cmds) = start(&s, &start_req).unwrap();
    let first = s
        .scenes
        .iter()
        .find(|sc| sc.params.iter().all(|p| p.default.is_some()))
        .unwrap();
    assert_eq!(app.editor.range.label(), format!("last {}", first.since));
    assert!(!cmds.is_empty());
}
