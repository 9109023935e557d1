//! From the dashboard to the explorer and back (issue 10): Enter on a metric panel shows the
//! logs behind it (Grafana's "logs sample") over the dashboard's range, a logs panel opens as
//! it is, Esc returns; and the dashboard's custom range prompt (`t`, the explorer's prompt)
//! re-plans every panel over the typed range.

use crossterm::event::KeyCode;
use vs_logs::model::{QueryOutput, QueryRange};
use vs_logs::source::LocalSource;
use vs_logs::tui::app::Mode;
use vs_logs::tui::msg::{Command, PageKind};
use vs_logs::tui::{App, View, testkit, update};

use super::app::{H, dash, draw, key, opened_on, run, text};

/// Tabs to the panel called `title`.
fn focus(app: &mut App, title: &str) {
    for _ in 0..dash(app).view.panels.len() {
        let d = dash(app);
        if d.view.panels[d.view.focus.unwrap()].panel.title == title {
            return;
        }
        key(app, KeyCode::Tab);
    }
    panic!("no panel {title}");
}

fn run_query(cmds: &[Command]) -> Option<&QueryRange> {
    cmds.iter().find_map(|c| match c {
        Command::RunQuery { req, .. } => Some(req),
        _ => None,
    })
}

/// Answers the explorer's query with what the source returns; gives the lines.
fn answer(app: &mut App, src: &LocalSource, req: &QueryRange) -> Vec<vs_logs::model::LogEntry> {
    let Ok((QueryOutput::Streams(lines), _)) = src.query(req, &|_| {}) else {
        panic!("{} did not return lines", req.query)
    };
    let g = app.status.generation;
    update(app, testkit::finished(g, PageKind::First, lines.clone()));
    lines
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        update(app, testkit::key(c));
    }
}

#[test]
fn enter_on_a_metric_panel_shows_the_lines_behind_it_and_esc_returns() {
    let (mut app, src) = opened_on(120, 40, None);
    focus(&mut app, "Error lines by module");
    let (start, end) = (dash(&app).view.start_ns, dash(&app).view.end_ns);
    let c = key(&mut app, KeyCode::Enter);
    assert!(matches!(app.nav.view, View::Logs));
    let req = run_query(&c).expect("the explorer runs a query").clone();
    // the panel's `sum by (module) (count_over_time({…} [$__interval]))`, logs only
    assert_eq!(req.query, r#"{app="vulnsentinel", level="error"}"#);
    assert_eq!(app.editor.input.text, req.query);
    assert_eq!(
        (req.start_ns, req.end_ns),
        (start, end),
        "the dashboard's range"
    );
    assert!(!req.instant && req.step_ms.is_none(), "a log query");

    let lines = answer(&mut app, &src, &req);
    assert!(lines.len() > 3, "the demo has error lines: {}", lines.len());
    assert!(
        lines
            .iter()
            .all(|e| e.labels.get("level").map(String::as_str) == Some("error"))
    );
    assert!(app.logs.results.metric.is_none(), "lines, not a chart");
    let screen = text(&draw(&app));
    // the newest error line is on screen (its event, as the table shows it)
    let newest = lines.iter().max_by_key(|e| e.ts).unwrap();
    let v: serde_json::Value = serde_json::from_str(&newest.line).unwrap();
    let event = v["event"].as_str().unwrap();
    assert!(screen.contains(event), "{event} not shown:\n{screen}");
    assert!(
        screen.contains("Error lines by module: esc returns to the dashboard"),
        "{screen}"
    );

    // Esc: back to the same dashboard (same focus), which runs again
    let c = key(&mut app, KeyCode::Esc);
    assert_eq!(
        dash(&app).view.panels[dash(&app).view.focus.unwrap()]
            .panel
            .title,
        "Error lines by module"
    );
    assert!(c.iter().any(|c| matches!(c, Command::FetchPanels { .. })));
    assert!(!app.nav.from_dashboard);
}

#[test]
fn unwrap_panels_drop_the_unwrap_and_logs_panels_open_as_they_are() {
    let (mut app, src) = opened_on(120, 40, None);
    focus(&mut app, "API latency p95");
    let c = key(&mut app, KeyCode::Enter);
    let req = run_query(&c).unwrap().clone();
    assert_eq!(
        req.query,
        r#"{app="vulnsentinel", module="api"} | json | event="request.end""#
    );
    let lines = answer(&mut app, &src, &req);
    assert!(lines.iter().all(|e| e.line.contains("request.end")));
    assert!(!lines.is_empty());

    key(&mut app, KeyCode::Char('D'));
    focus(&mut app, "Recent errors");
    let expr = dash(&app).focused_query().unwrap().expr.clone();
    let c = key(&mut app, KeyCode::Enter);
    assert_eq!(run_query(&c).unwrap().query, expr, "a log panel as it is");
}

#[test]
fn esc_first_undoes_a_filter_then_returns_to_the_dashboard() {
    let (mut app, _) = opened_on(120, 40, None);
    focus(&mut app, "Error lines by module");
    key(&mut app, KeyCode::Enter);
    let explored = app.editor.query.clone();
    // a filter pushed after exploring (as details' filter for does)
    app.nav
        .back
        .push((explored.clone(), app.editor.range.clone()));
    app.editor.input.set(format!("{explored} |= \"x\""));
    key(&mut app, KeyCode::Esc);
    assert!(
        matches!(app.nav.view, View::Logs),
        "the filter is undone first"
    );
    assert_eq!(app.editor.input.text, explored);
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.nav.view, View::Dashboard(_)));
}

#[test]
fn leaving_the_dashboard_with_esc_does_not_come_back_on_esc() {
    let (mut app, _) = opened_on(120, 40, None);
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.nav.view, View::Logs));
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.nav.view, View::Logs), "esc on the logs stays");
    key(&mut app, KeyCode::Char('D'));
    assert!(matches!(app.nav.view, View::Dashboard(_)));
}

fn steps(cmds: &[Command]) -> Vec<i64> {
    cmds.iter()
        .find_map(|c| match c {
            Command::FetchPanels { queries, .. } => {
                Some(queries.iter().filter_map(|q| q.step_ms).collect())
            }
            _ => None,
        })
        .expect("panels re-planned")
}

#[test]
fn a_custom_range_re_plans_every_panel() {
    let (mut app, src) = opened_on(120, 40, None);
    let before: Vec<i64> = dash(&app).plan.iter().map(|q| q.step_ns).collect();
    key(&mut app, KeyCode::Char('t'));
    assert!(matches!(app.mode, Mode::Prompt(_)));
    type_text(&mut app, "90m");
    // the prompt is drawn on the dashboard's status line
    let screen = text(&draw(&app));
    let last = screen.lines().last().unwrap();
    assert!(
        last.contains("range (e.g. 90m") && last.contains("90m"),
        "{last}"
    );
    let c = key(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    let d = dash(&app);
    assert_eq!(d.view.end_ns - d.view.start_ns, 90 * 60_000_000_000);
    let after = steps(&c);
    assert!(!after.is_empty());
    let new: Vec<i64> = d.plan.iter().map(|q| q.step_ns).collect();
    assert!(
        new.iter().zip(&before).all(|(a, b)| a <= b) && new != before,
        "a shorter range, finer steps: {before:?} → {new:?}"
    );

    // FROM .. TO: absolute, inside the demo data; the panels answer over it
    let to = dash(&app).view.start_ns;
    let from_s = chrono::DateTime::from_timestamp_nanos(to - 2 * H)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let to_s = chrono::DateTime::from_timestamp_nanos(to)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    key(&mut app, KeyCode::Char('t'));
    type_text(&mut app, &format!("{from_s} .. {to_s}"));
    let c = key(&mut app, KeyCode::Enter);
    let d = dash(&app);
    assert_eq!(d.view.end_ns - d.view.start_ns, 2 * H);
    assert_eq!(d.view.start_ns % 1_000_000_000, 0);
    let queries = match c.iter().find(|c| matches!(c, Command::FetchPanels { .. })) {
        Some(Command::FetchPanels { queries, .. }) => queries.clone(),
        _ => panic!("{c:?}"),
    };
    assert!(
        queries
            .iter()
            .all(|q| q.start_ns == d.view.start_ns && q.end_ns == d.view.end_ns || q.instant)
    );
    run(&mut app, &src, c, None);
    let n = dash(&app).view.panels.len();
    assert_eq!(dash(&app).done(), (n, n));
}

#[test]
fn a_bad_range_says_why_and_changes_nothing() {
    let (mut app, _) = opened_on(120, 40, None);
    let before = (dash(&app).view.start_ns, dash(&app).view.end_ns);
    let g = dash(&app).generation;
    key(&mut app, KeyCode::Char('t'));
    type_text(&mut app, "garbage");
    let c = key(&mut app, KeyCode::Enter);
    assert!(c.is_empty(), "{c:?}");
    assert!(matches!(app.nav.view, View::Dashboard(_)));
    assert_eq!((dash(&app).view.start_ns, dash(&app).view.end_ns), before);
    assert_eq!(dash(&app).generation, g);
    let screen = text(&draw(&app));
    assert!(
        screen.lines().last().unwrap().contains("error:"),
        "{screen}"
    );
    // Esc in the prompt cancels it and stays on the dashboard
    key(&mut app, KeyCode::Char('t'));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
    assert!(matches!(app.nav.view, View::Dashboard(_)));
}

#[test]
fn presets_and_typed_durations_end_at_the_newest_line_of_a_local_input() {
    use vs_logs::source::demo::DEMO_END_NS;
    use vs_logs::tui::app::RangeSpec;
    // the session's clock is a day after the demo's newest line (a copied file)
    let (mut app, src) = opened_on(120, 40, None);
    let c = key(&mut app, KeyCode::Char('3'));
    let d = dash(&app);
    assert!(
        d.view.end_ns > DEMO_END_NS - H && d.view.end_ns <= DEMO_END_NS + 1,
        "the last hour of the data, not of the clock"
    );
    assert_eq!(d.view.end_ns - d.view.start_ns, H);
    assert_eq!(app.editor.range.label(), "last 1h of the input");
    run(&mut app, &src, c, None);
    let panels = &dash(&app).view.panels;
    let with_data = panels
        .iter()
        .filter(|p| match &p.state {
            vs_logs::dashboard::PanelState::Metric(s) => s.iter().any(|s| !s.points.is_empty()),
            vs_logs::dashboard::PanelState::Logs(l) => !l.is_empty(),
            _ => false,
        })
        .count();
    assert!(
        with_data > panels.len() / 2,
        "{with_data} of {}",
        panels.len()
    );

    key(&mut app, KeyCode::Char('t'));
    type_text(&mut app, "90m");
    key(&mut app, KeyCode::Enter);
    let d = dash(&app);
    assert!(d.view.end_ns <= DEMO_END_NS + 1);
    assert_eq!(d.view.end_ns - d.view.start_ns, 90 * 60_000_000_000);

    // against Loki (no local data) a preset still ends now
    let mut loki = testkit::app(100, 30);
    update(&mut loki, testkit::key('3'));
    assert!(matches!(loki.editor.range, RangeSpec::Last { .. }));
}
