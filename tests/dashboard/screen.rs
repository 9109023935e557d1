//! The dashboard screen drawn from canned data (no I/O) on a `TestBackend`: snapshots at 80x24
//! and 200x50, series colours and the failed panel's red frame checked cell by cell.

use std::sync::Arc;

use chrono::FixedOffset;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use vs_logs::dashboard::{
    DashboardView, GridPos, PanelState, import_grafana, layout_cells, overview,
};
use vs_logs::model::{Labels, LogEntry, MetricResult, Point, Sample, Series};
use vs_logs::tui::chart::{ERROR_COLOR, render_dashboard, series_color};

/// 2026-11-25T06:00:00Z.
const END: i64 = 1_795_586_400_000_000_000;
const H: i64 = 3_600_000_000_000;
const STEP_MS: i64 = 300_000;

fn labels(k: &str, v: &str) -> Labels {
    let mut l = Labels::new();
    l.insert(k.into(), v.into());
    l
}

/// A deterministic series over the 6 h range, one point per 5 min, shaped by `f(i)`.
fn series(k: &str, v: &str, f: impl Fn(i64) -> f64) -> Series {
    let start_ms = (END - 6 * H) / 1_000_000;
    Series {
        metric: labels(k, v),
        points: (1..=72)
            .map(|i| Point {
                t_ms: start_ms + i * STEP_MS,
                v: f(i),
            })
            .collect(),
    }
}

fn instant(k: &str, v: &str, x: f64) -> Sample {
    Sample {
        metric: labels(k, v),
        point: Point {
            t_ms: END / 1_000_000,
            v: x,
        },
    }
}

fn scalar(x: f64) -> MetricResult {
    MetricResult::Vector(vec![Sample {
        metric: Labels::new(),
        point: Point {
            t_ms: END / 1_000_000,
            v: x,
        },
    }])
}

fn log(ts: i64, line: &str) -> LogEntry {
    let mut l = labels("app", "vulnsentinel");
    l.insert("level".into(), "error".into());
    LogEntry::new(ts, Arc::new(l), line)
}

fn canned(name: &str) -> PanelState {
    let d = overview().unwrap();
    let p = d.panels.iter().find(|p| p.title == name).unwrap();
    let m = |r: MetricResult| PanelState::from_metric(p, &[(0, r)]);
    match name {
        "Errors" => m(scalar(38.0)),
        "API 5xx" => PanelState::Error(
            "parse error at line 1, col 58: syntax error: unexpected IDENTIFIER".into(),
        ),
        "Runs started" => m(scalar(124.0)),
        "Runs failed" => m(scalar(9.0)),
        "Failure %" => m(scalar(100.0 * 9.0 / 124.0)),
        "Tokens" => m(scalar(1_234_567.0)),
        "Agent cost" => m(scalar(4.8312)),
        "Error lines by module" => m(MetricResult::Matrix(vec![
            series("module", "agent", |i| f64::from((i % 12) as i32) / 2.0),
            series(
                "module",
                "api",
                |i| if i > 40 && i < 50 { 6.0 } else { 1.0 },
            ),
        ])),
        "Agent runs by type" => m(MetricResult::Matrix(vec![
            series("agent_type", "event_classifier", |i| 2.0 + (i % 3) as f64),
            series("agent_type", "vuln_analyzer", |i| 1.0 + (i % 2) as f64),
            series("agent_type", "patch_verifier", |_| 1.0),
        ])),
        "API latency p95" => m(MetricResult::Matrix(vec![
            series("method", "GET", |i| 40.0 + (i % 10) as f64 * 3.5),
            series("method", "POST", |i| 900.0 + (i % 7) as f64 * 110.25),
        ])),
        "Tool-call duration p50 / p95" => PanelState::from_metric(
            p,
            &[
                (
                    0,
                    MetricResult::Vector(vec![
                        instant("tool", "fetch_commit_diff", 1817.0),
                        instant("tool", "checkout_repo", 22925.449999999993),
                    ]),
                ),
                (
                    1,
                    MetricResult::Vector(vec![
                        instant("tool", "fetch_commit_diff", 540.0),
                        instant("tool", "checkout_repo", 1475.9499999999998),
                    ]),
                ),
            ],
        ),
        "Tool-call duration p95 over time" => m(MetricResult::Matrix(vec![
            series("tool", "checkout_repo", |i| {
                1000.0 + (i % 24) as f64 * 900.0
            }),
            series("tool", "fetch_commit_diff", |i| {
                200.0 + (i % 5) as f64 * 300.0
            }),
        ])),
        "Recent errors" => PanelState::Logs(vec![
            log(
                END - 60_000_000_000,
                r#"{"event":"agent.error","error":"tool crashed","agent_id":"ag-456"}"#,
            ),
            log(
                END - 3 * 60_000_000_000,
                "[ERROR] Worker (pid:4121) was sent SIGKILL!\x1b]0;pwned\x07",
            ),
        ]),
        other => panic!("no canned data for {other}"),
    }
}

fn view() -> DashboardView {
    let d = overview().unwrap();
    let mut v = DashboardView::new(&d, END - 6 * H, END, FixedOffset::east_opt(0).unwrap());
    for p in &mut v.panels {
        p.state = canned(&p.panel.title);
    }
    v
}

fn draw(v: &DashboardView, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render_dashboard(f, f.area(), v)).unwrap();
    t
}

/// The terminal rectangle of panel `title` (header row + grid), as `render_dashboard` lays it out.
fn panel_rect(v: &DashboardView, title: &str, w: u16, h: u16) -> (u16, u16, u16, u16) {
    let grid: Vec<GridPos> = v.panels.iter().map(|p| p.panel.grid).collect();
    let cells = layout_cells(&grid, w, h - 1);
    let i = v
        .panels
        .iter()
        .position(|p| p.panel.title == title)
        .unwrap();
    let c = cells[i];
    (c.x, c.y + 1, c.w, c.h)
}

fn colours_in(b: &Buffer, (x, y, w, h): (u16, u16, u16, u16)) -> Vec<Color> {
    let mut out = Vec::new();
    for yy in y + 1..y + h - 1 {
        for xx in x + 1..x + w - 1 {
            let c = b[(xx, yy)].fg;
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

fn series_colours(v: &DashboardView, title: &str) -> Vec<Color> {
    let p = v.panels.iter().find(|p| p.panel.title == title).unwrap();
    match &p.state {
        PanelState::Metric(s) => s.iter().map(|s| series_color(s.color)).collect(),
        other => panic!("{other:?}"),
    }
}

fn check_styles(t: &Terminal<TestBackend>, v: &DashboardView, w: u16, h: u16) {
    let b = t.backend().buffer();
    // The failed panel: red frame corners and red error text, while the others render.
    let (x, y, pw, ph) = panel_rect(v, "API 5xx", w, h);
    assert_eq!(b[(x, y)].fg, ERROR_COLOR);
    assert_eq!(b[(x + pw - 1, y + ph - 1)].fg, ERROR_COLOR);
    assert_eq!(b[(x + 1, y + 1)].fg, ERROR_COLOR, "error text is red");
    // Each chart draws every one of its series in that series' colour.
    for title in [
        "Agent runs by type",
        "API latency p95",
        "Error lines by module",
    ] {
        let used = colours_in(b, panel_rect(v, title, w, h));
        for c in series_colours(v, title) {
            assert!(
                used.contains(&c),
                "{title}: {c:?} not drawn (used {used:?})"
            );
        }
    }
    // No panel other than the failed one is red.
    for p in &v.panels {
        if p.panel.title == "API 5xx" || p.panel.title == "Recent errors" {
            continue;
        }
        let (x, y, _, _) = panel_rect(v, &p.panel.title, w, h);
        assert_ne!(b[(x, y)].fg, ERROR_COLOR, "{}", p.panel.title);
    }
}

fn text(b: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            s.push_str(b[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

#[test]
fn overview_80x24() {
    let v = view();
    let t = draw(&v, 80, 24);
    insta::assert_snapshot!("overview_80x24", t.backend());
    check_styles(&t, &v, 80, 24);
}

#[test]
fn overview_200x50() {
    let v = view();
    let t = draw(&v, 200, 50);
    insta::assert_snapshot!("overview_200x50", t.backend());
    check_styles(&t, &v, 200, 50);
    let s = text(t.backend().buffer());
    // Sensible numbers, units and time ticks; control bytes never reach the terminal.
    assert!(
        s.contains("22.9 s") && s.contains("1.48 s"),
        "bar gauge values"
    );
    assert!(s.contains("$4.83") && s.contains("1.23 Mil") && s.contains("7.26%"));
    assert!(s.contains("03:00"), "time axis");
    assert!(!s.contains('\x1b') && !s.contains('\x07'));
    assert!(s.contains("last ") && s.contains("avg "), "legend stats");
}

#[test]
fn cursor_shows_values_at_its_step() {
    let mut v = view();
    // Step 36: 3h after the start; GET = 40 + 6 × 3.5 = 61 ms.
    v.cursor_ns = Some(END - 6 * H + 36 * STEP_MS * 1_000_000);
    let t = draw(&v, 200, 50);
    let s = text(t.backend().buffer());
    assert!(s.contains("at cursor 61 ms"), "{s}");
    let (x, y, w, _) = panel_rect(&v, "API latency p95", 200, 50);
    // The cursor column shows a vertical line somewhere in the plot.
    let row = t
        .backend()
        .buffer()
        .content()
        .chunks(200)
        .nth(usize::from(y) + 2)
        .unwrap();
    assert!(
        row[usize::from(x)..usize::from(x + w)]
            .iter()
            .any(|c| c.symbol() == "│")
    );
}

#[test]
fn loading_and_no_data_are_said() {
    let d = overview().unwrap();
    let mut v = DashboardView::new(&d, END - 6 * H, END, FixedOffset::east_opt(0).unwrap());
    v.panels[0].state = PanelState::Metric(Vec::new());
    let s = text(draw(&v, 200, 50).backend().buffer());
    assert!(s.contains("loading…") && s.contains("no data in range"));
}

#[test]
fn grafana_fixture_renders_with_skipped_panels_listed() {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/grafana/vulnsentinel.json"
    ))
    .unwrap();
    let imp = import_grafana(&json).unwrap();
    let mut v = DashboardView::new(
        &imp.dashboard,
        END - 6 * H,
        END,
        FixedOffset::east_opt(0).unwrap(),
    );
    v.skipped = imp.skipped.clone();
    let s = text(draw(&v, 200, 50).backend().buffer());
    assert!(s.contains("skipped 3: Agent runs (PostgreSQL)"), "{s}");
    for p in &imp.dashboard.panels {
        assert!(s.contains(&p.title), "{} not drawn", p.title);
    }
}
