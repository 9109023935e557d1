//! The dashboard screen driven through the app (`tui::start` with a dashboard, `update`,
//! `render`), its panel queries run on the demo data through the embedded engine: snapshots at
//! 80x24 and 200x50 with series colours and a failed panel checked by style, stale answers
//! dropped, re-planning on resize, and the dashboard key / Enter round trip with the explorer.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use vs_logs::backend::Backend;
use vs_logs::dashboard::{PanelState, overview, resolve_vars};
use vs_logs::session::Session;
use vs_logs::source::LocalSource;
use vs_logs::source::demo::{DEMO_END_NS, demo_bytes};
use vs_logs::timespec::RangeQuery;
use vs_logs::tui::chart::{ERROR_COLOR, series_color};
use vs_logs::tui::dash::{DashState, DashboardStart, zone};
use vs_logs::tui::msg::{Command, Msg};
use vs_logs::tui::{App, TuiStart, View, render, start, update};

pub(crate) const H: i64 = 3_600_000_000_000;

pub(crate) fn demo() -> (Session, Arc<LocalSource>) {
    let src = Arc::new(LocalSource::from_bytes(
        "demo",
        demo_bytes(DEMO_END_NS),
        "vulnsentinel",
    ));
    // "now" is a day after the demo's newest line: the range must anchor at the data.
    let s = Session::new(
        Backend::Local(src.clone()),
        "vulnsentinel",
        DEMO_END_NS + 24 * H,
    );
    (s, src)
}

pub(crate) fn request() -> TuiStart {
    let d = overview().unwrap();
    let vars = resolve_vars(&d.variables, &[]).unwrap();
    TuiStart {
        range: RangeQuery {
            utc: true,
            ..RangeQuery::default()
        },
        dashboard: Some(DashboardStart {
            dashboard: d,
            skipped: Vec::new(),
            vars,
            refresh_ms: None,
            zone: zone(true),
        }),
        ..TuiStart::default()
    }
}

pub(crate) fn dash(app: &App) -> &DashState {
    match &app.nav.view {
        View::Dashboard(d) => d,
        v => panic!("not on the dashboard: {v:?}"),
    }
}

/// Runs the panel queries of `cmds` on `src`, feeding answers back (`fail` answers query
/// `fail` with an error instead).
pub(crate) fn run(app: &mut App, src: &LocalSource, cmds: Vec<Command>, fail: Option<usize>) {
    for c in cmds {
        if let Command::FetchPanels {
            generation,
            queries,
        } = c
        {
            for (index, req) in queries.iter().enumerate() {
                let result = if fail == Some(index) {
                    Err("parse error at line 1, col 9: syntax error: unexpected IDENTIFIER".into())
                } else {
                    src.query(req, &|_| {})
                        .map(|(o, _)| o)
                        .map_err(|e| e.to_string())
                };
                update(
                    app,
                    Msg::PanelFinished {
                        generation,
                        index,
                        result,
                    },
                );
            }
        }
    }
}

pub(crate) fn draw(app: &App) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    t.draw(|f| render(f, app)).unwrap();
    t.backend().buffer().clone()
}

pub(crate) fn text(b: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            s.push_str(b[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

fn opened(width: u16, height: u16, fail: Option<usize>) -> App {
    opened_on(width, height, fail).0
}

/// The overview on the demo data, every panel answered, and the source it ran on.
pub(crate) fn opened_on(width: u16, height: u16, fail: Option<usize>) -> (App, Arc<LocalSource>) {
    let (session, src) = demo();
    let (mut app, cmds) = start(&session, &request()).unwrap();
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::FetchPanels { .. }))
    );
    let cmds = update(&mut app, Msg::Resize(width, height));
    run(&mut app, &src, cmds, fail);
    (app, src)
}

#[test]
fn the_range_anchors_at_the_newest_demo_line() {
    let app = opened(80, 24, None);
    let d = dash(&app);
    assert!(d.view.end_ns > DEMO_END_NS - H && d.view.end_ns <= DEMO_END_NS + 1);
    assert_eq!(
        d.view.end_ns - d.view.start_ns,
        6 * H,
        "the overview's own 6h"
    );
}

#[test]
fn every_panel_has_data_and_series_take_their_palette_colours() {
    let app = opened(200, 50, None);
    let d = dash(&app);
    for p in &d.view.panels {
        match &p.state {
            PanelState::Metric(s) => assert!(
                s.iter().any(|s| !s.points.is_empty()),
                "{} has no points",
                p.panel.title
            ),
            PanelState::Logs(l) => assert!(!l.is_empty(), "{}", p.panel.title),
            other => panic!("{}: {other:?}", p.panel.title),
        }
    }
    let b = draw(&app);
    let s = text(&b);
    insta::assert_snapshot!("app_200x50", s);
    for p in &d.view.panels {
        assert!(s.contains(&p.panel.title), "{} not drawn", p.panel.title);
    }
    let fgs: Vec<_> = b.content.iter().map(|c| c.fg).collect();
    for slot in 0..3 {
        assert!(
            fgs.contains(&series_color(slot)),
            "no cell in series colour {slot}"
        );
    }
    // nothing failed: no panel frame is red (log lines of level error may be)
    assert!(
        !b.content
            .iter()
            .any(|c| c.symbol() == "┌" && c.fg == ERROR_COLOR),
        "a red frame"
    );
}

#[test]
fn a_failed_panel_shows_its_error_in_red_while_the_others_render() {
    let app = opened(80, 24, Some(0));
    let d = dash(&app);
    let PanelState::Error(e) = &d.view.panels[0].state else {
        panic!("{:?}", d.view.panels[0].state)
    };
    assert!(e.contains("parse error"));
    assert!(
        d.view.panels[1..]
            .iter()
            .all(|p| !matches!(p.state, PanelState::Error(_) | PanelState::Loading))
    );
    let b = draw(&app);
    insta::assert_snapshot!("app_80x24_failed", text(&b));
    // the failed panel is the top-left one: its frame corner and its message are red
    let title_row = 2;
    assert_eq!(
        b[(0, title_row)].fg,
        ERROR_COLOR,
        "frame of the failed panel"
    );
    let red_text = (title_row + 1..b.area.height)
        .flat_map(|y| (1..10).map(move |x| (x, y)))
        .any(|p| b[p].fg == ERROR_COLOR && b[p].symbol() != "│");
    assert!(red_text, "the error text is red");
    // the status line counts panels
    assert!(text(&b).contains(&format!(
        "panels {}/{}",
        d.view.panels.len(),
        d.view.panels.len()
    )));
}

#[test]
fn stale_answers_are_dropped_and_resize_replans_the_steps() {
    let (session, src) = demo();
    let (mut app, first) = start(&session, &request()).unwrap();
    let Some(Command::FetchPanels {
        generation: g1,
        queries: q1,
    }) = first.first().cloned()
    else {
        panic!("{first:?}")
    };
    let second = update(&mut app, Msg::Resize(200, 50));
    let Some(Command::FetchPanels {
        generation: g2,
        queries: q2,
    }) = second.first().cloned()
    else {
        panic!("{second:?}")
    };
    assert!(g2 > g1);
    // wider panels, finer steps
    let steps = |q: &[vs_logs::model::QueryRange]| -> Vec<i64> {
        q.iter().filter_map(|r| r.step_ms).collect()
    };
    assert!(steps(&q2).iter().sum::<i64>() < steps(&q1).iter().sum::<i64>());
    // an answer of the first generation changes nothing
    run(&mut app, &src, first, None);
    assert!(
        dash(&app)
            .view
            .panels
            .iter()
            .all(|p| p.state == PanelState::Loading)
    );
    run(&mut app, &src, second, None);
    let n = dash(&app).view.panels.len();
    assert_eq!(dash(&app).done(), (n, n));
}

pub(crate) fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

#[test]
fn enter_explores_the_focused_panel_and_the_dashboard_key_returns() {
    let mut app = opened(120, 40, None);
    key(&mut app, KeyCode::Tab);
    let d = dash(&app);
    assert_eq!(d.view.focus, Some(1));
    let expr = d.focused_query().unwrap().expr.clone();
    assert!(!expr.contains("$app"), "variables substituted: {expr}");
    let c = key(&mut app, KeyCode::Enter);
    assert!(matches!(app.nav.view, View::Logs));
    // a metric panel opens the logs behind it (`explore::` checks the text)
    let logs = vs_logs::logql::logs_behind(&expr).unwrap();
    assert_ne!(logs, expr);
    assert_eq!(app.editor.input.text, logs);
    assert!(
        c.iter()
            .any(|c| matches!(c, Command::RunQuery { req, .. } if req.query == logs))
    );
    let c = key(&mut app, KeyCode::Char('D'));
    assert_eq!(
        dash(&app).view.focus,
        Some(1),
        "the same dashboard comes back"
    );
    assert!(c.iter().any(|c| matches!(c, Command::FetchPanels { .. })));
    // presets re-plan over the new range
    let c = key(&mut app, KeyCode::Char('3'));
    let d = dash(&app);
    assert_eq!(d.view.end_ns - d.view.start_ns, H);
    assert!(c.iter().any(|c| matches!(c, Command::FetchPanels { .. })));
    // the time cursor walks the range
    key(&mut app, KeyCode::Char('h'));
    let c1 = dash(&app).view.cursor_ns.unwrap();
    key(&mut app, KeyCode::Char('h'));
    assert!(dash(&app).view.cursor_ns.unwrap() < c1);
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.nav.view, View::Logs));
    assert!(app.nav.dashboard.is_some());
}

#[test]
fn the_logs_screen_opens_the_overview_with_d() {
    let mut app = vs_logs::tui::testkit::app(100, 30);
    let c = key(&mut app, KeyCode::Char('D'));
    assert_eq!(dash(&app).view.title, overview().unwrap().title);
    assert!(c.iter().any(|c| matches!(c, Command::FetchPanels { .. })));
    let c = key(&mut app, KeyCode::Char('q'));
    assert!(app.quit && c.contains(&Command::Quit));
}

#[test]
fn auto_refresh_reschedules_and_old_timers_are_ignored() {
    let (session, _) = demo();
    let mut req = request();
    if let Some(d) = &mut req.dashboard {
        d.refresh_ms = Some(30_000);
    }
    let (mut app, cmds) = start(&session, &req).unwrap();
    let g = dash(&app).generation;
    assert!(cmds.contains(&Command::ScheduleRefresh {
        generation: g,
        after_ms: 30_000
    }));
    let c = update(&mut app, Msg::DashboardRefresh { generation: g });
    assert!(c.iter().any(|c| matches!(c, Command::FetchPanels { .. })));
    assert!(dash(&app).generation > g);
    let c = update(&mut app, Msg::DashboardRefresh { generation: g });
    assert!(c.is_empty(), "a timer of an old generation does nothing");
}
