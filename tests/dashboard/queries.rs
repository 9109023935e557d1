//! Dashboards end to end without a terminal: the built-in overview's queries and an imported
//! Grafana dashboard's queries run through the embedded engine on the demo data and on the
//! conformance data set (recorded from a real Loki, with non-JSON lines mixed in); every
//! panel must come back with data and no error.

use std::collections::BTreeMap;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use vs_logs::dashboard::{
    Dashboard, DashboardView, GridPos, PanelKind, PanelState, Unit, import_grafana, layout_cells,
    overview, plan_queries, resolve_vars,
};
use vs_logs::model::QueryOutput;
use vs_logs::source::LocalSource;
use vs_logs::source::demo::{DEMO_END_NS, demo_bytes};
use vs_logs::tui::chart::render_dashboard;

const H: i64 = 3_600_000_000_000;

fn grafana_fixture() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/grafana/vulnsentinel.json"
    ))
    .unwrap()
}

/// Runs every panel of `d` over `[start, end]`; returns each panel's state.
fn run(d: &Dashboard, src: &LocalSource, start: i64, end: i64) -> Vec<PanelState> {
    let grid: Vec<GridPos> = d.panels.iter().map(|p| p.grid).collect();
    let cells = layout_cells(&grid, 200, 49);
    let vars = resolve_vars(&d.variables, &[]).unwrap();
    let mut metric: BTreeMap<usize, Vec<(usize, vs_logs::model::MetricResult)>> = BTreeMap::new();
    let mut states: Vec<Option<PanelState>> = vec![None; d.panels.len()];
    for q in plan_queries(d, &vars, start, end, &cells) {
        match src.query(&q.to_query_range(20), &|_| {}) {
            Ok((QueryOutput::Metric(m), _)) => {
                metric.entry(q.panel).or_default().push((q.target, m))
            }
            Ok((QueryOutput::Streams(e), _)) => states[q.panel] = Some(PanelState::Logs(e)),
            Err(e) => states[q.panel] = Some(PanelState::Error(format!("{}: {e}", q.expr))),
        }
    }
    for (p, results) in metric {
        if states[p].is_none() {
            states[p] = Some(PanelState::from_metric(&d.panels[p], &results));
        }
    }
    states
        .into_iter()
        .map(|s| s.unwrap_or(PanelState::Loading))
        .collect()
}

fn assert_all_have_data(d: &Dashboard, states: &[PanelState]) {
    for (p, s) in d.panels.iter().zip(states) {
        match s {
            PanelState::Metric(series) => {
                assert!(!series.is_empty(), "{}: no series", p.title);
                assert!(
                    series.iter().all(|s| !s.points.is_empty()),
                    "{}: empty series",
                    p.title
                );
            }
            PanelState::Logs(e) => assert!(!e.is_empty(), "{}: no lines", p.title),
            other => panic!("{}: {other:?}", p.title),
        }
    }
}

fn value(states: &[PanelState], d: &Dashboard, title: &str) -> f64 {
    let i = d.panels.iter().position(|p| p.title == title).unwrap();
    match &states[i] {
        PanelState::Metric(s) => s[0].points[0].v,
        other => panic!("{title}: {other:?}"),
    }
}

#[test]
fn overview_runs_on_the_demo_data() {
    let d = overview().unwrap();
    let src = LocalSource::from_bytes("demo", demo_bytes(DEMO_END_NS), "vulnsentinel");
    let states = run(&d, &src, DEMO_END_NS - 6 * H, DEMO_END_NS);
    assert_all_have_data(&d, &states);
    let started = value(&states, &d, "Runs started");
    let failed = value(&states, &d, "Runs failed");
    assert!(started > 0.0 && started.fract() == 0.0);
    let pct = value(&states, &d, "Failure %");
    assert!(
        (pct - 100.0 * failed / started).abs() < 1e-9,
        "{pct} vs {failed}/{started}"
    );
    assert!(value(&states, &d, "Agent cost") > 0.0);
    assert!(value(&states, &d, "Tokens") > 1000.0);
}

#[test]
fn overview_survives_non_json_lines_of_the_conformance_data() {
    // The conformance data has console, SIGKILL and raw-ANSI lines: a `| json` metric without
    // `| __error__=""` fails on Loki (cases M10, M31). Its last line is at 05:49:48Z.
    let d = overview().unwrap();
    let data = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/logql-conformance/dataset.jsonl"
    ))
    .unwrap();
    let src = LocalSource::from_bytes("conformance", data, "vulnsentinel");
    let end = 1_795_585_848_695_220_000;
    let states = run(&d, &src, end - 6 * H, end);
    assert_all_have_data(&d, &states);
    // 40 error lines in the data set, 38 of them in the last six hours (case M29: level=error 38).
    assert_eq!(value(&states, &d, "Errors"), 38.0);
}

#[test]
fn grafana_fixture_imports_every_supported_type_and_lists_the_rest() {
    let imp = import_grafana(&grafana_fixture()).unwrap();
    let d = &imp.dashboard;
    assert_eq!(d.title, "VulnSentinel");
    assert_eq!(d.since, "6h");
    let kinds: Vec<(String, PanelKind)> =
        d.panels.iter().map(|p| (p.title.clone(), p.kind)).collect();
    let kind = |t: &str| kinds.iter().find(|(n, _)| n == t).map(|(_, k)| *k);
    assert_eq!(kind("Errors in range"), Some(PanelKind::Stat));
    assert_eq!(kind("Agent failure ratio"), Some(PanelKind::Bargauge));
    assert_eq!(kind("Error rate by module"), Some(PanelKind::Timeseries));
    assert_eq!(kind("API latency p95"), Some(PanelKind::Timeseries));
    assert_eq!(kind("Tool-call duration p95"), Some(PanelKind::Bargauge));
    assert_eq!(
        kind("Tool-call duration distribution"),
        Some(PanelKind::Histogram)
    );
    assert_eq!(kind("Tool-call p95 heatmap"), Some(PanelKind::Heatmap));
    assert_eq!(kind("API 5xx by status"), Some(PanelKind::Table));
    assert_eq!(kind("Agent errors"), Some(PanelKind::Logs));
    let skipped: Vec<(&str, &str)> = imp
        .skipped
        .iter()
        .map(|s| (s.title.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                "Agent runs (PostgreSQL)",
                r#"data source type "grafana-postgresql-datasource" is not Loki"#
            ),
            ("About", r#"panel type "text" is not supported"#),
            ("Service map", r#"panel type "nodeGraph" is not supported"#),
        ]
    );
    let p = |t: &str| d.panels.iter().find(|p| p.title == t).unwrap();
    // Units, decimals, reduce calcs, stacking, legends, hidden targets, instant queries.
    assert_eq!(p("Agent failure ratio").unit, Unit::PercentUnit);
    assert_eq!(p("Agent failure ratio").decimals, Some(1));
    assert_eq!(p("API latency p95").unit, Unit::Ms);
    assert_eq!(
        p("API latency p95").targets.len(),
        1,
        "hidden target B dropped"
    );
    assert_eq!(
        p("API latency p95").targets[0].legend.as_deref(),
        Some("p95 {{method}}")
    );
    assert_eq!(
        p("Errors in range").reduce,
        Some(vs_logs::dashboard::Reduce::Sum)
    );
    assert!(p("Agent runs by type").stacked);
    assert!(!p("Error rate by module").stacked);
    assert!(p("Tool-call duration p95").targets[0].instant);
    // Layout from gridPos, panels of the collapsed row included.
    assert_eq!(
        p("Agent runs by type").grid,
        GridPos {
            x: 12,
            y: 5,
            w: 12,
            h: 8
        }
    );
    assert_eq!(
        p("Agent errors").grid,
        GridPos {
            x: 0,
            y: 30,
            w: 24,
            h: 10
        }
    );
    // Variables: textbox current value, multi-value "All" → allValue, interval current value.
    let vars = resolve_vars(&d.variables, &[]).unwrap();
    assert_eq!(vars["app"], "vulnsentinel");
    assert_eq!(vars["agent_type"], ".+");
    assert_eq!(vars["window"], "5m");
    assert!(!vars.contains_key("DS_LOKI_VAR"));
}

#[test]
fn grafana_fixture_runs_on_the_demo_data_and_renders() {
    let imp = import_grafana(&grafana_fixture()).unwrap();
    let src = LocalSource::from_bytes("demo", demo_bytes(DEMO_END_NS), "vulnsentinel");
    let (start, end) = (DEMO_END_NS - 6 * H, DEMO_END_NS);
    let states = run(&imp.dashboard, &src, start, end);
    assert_all_have_data(&imp.dashboard, &states);
    // End to end: imported panels with their real data on the dashboard screen.
    let zone = chrono::FixedOffset::east_opt(0).unwrap();
    let mut view = DashboardView::new(&imp.dashboard, start, end, zone);
    view.skipped = imp.skipped.clone();
    for (p, s) in view.panels.iter_mut().zip(states) {
        p.state = s;
    }
    let mut t = Terminal::new(TestBackend::new(200, 50)).unwrap();
    t.draw(|f| render_dashboard(f, f.area(), &view)).unwrap();
    let b = t.backend().buffer();
    let text: String = b.content().iter().map(|c| c.symbol()).collect();
    assert!(
        !text.contains("loading") && !text.contains("no data"),
        "{text}"
    );
    assert!(text.contains("skipped 3"));
    // Braille lines and bars were drawn.
    assert!(text.chars().any(|c| ('\u{2801}'..='\u{28ff}').contains(&c)));
    assert!(text.contains('█'));
}

#[test]
fn grafana_import_rejects_what_is_not_a_dashboard() {
    assert!(import_grafana("{\"title\": \"x\"}").is_err());
    assert!(import_grafana("not json").is_err());
    // The HTTP API's wrapper is accepted.
    let wrapped = format!("{{\"dashboard\": {}, \"meta\": {{}}}}", grafana_fixture());
    assert_eq!(
        import_grafana(&wrapped).unwrap().dashboard.title,
        "VulnSentinel"
    );
}
