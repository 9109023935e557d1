//! A metric query in the explorer: a chart with a time axis, y-axis labels and a legend
//! instead of the log table's header and rows; `N series` instead of `0 lines`; a cursor that
//! walks the time axis; a table view of the same series.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use vs_logs::model::{Labels, MetricResult, Point, QueryStats, Series};
use vs_logs::tui::chart::series_color;
use vs_logs::tui::msg::{Msg, PageKind, QueryData, QueryDone};
use vs_logs::tui::testkit::{NOW, app};
use vs_logs::tui::{App, render, update};

const MIN_MS: i64 = 60_000;

fn series(level: &str, f: impl Fn(i64) -> f64) -> Series {
    let mut l = Labels::new();
    l.insert("level".into(), level.into());
    let end_ms = NOW / 1_000_000;
    Series {
        metric: l,
        points: (0..60)
            .map(|i| Point {
                t_ms: end_ms - 60 * MIN_MS + i * MIN_MS,
                v: f(i),
            })
            .collect(),
    }
}

fn charted() -> App {
    let mut a = app(100, 30);
    a.logs.chart.zone = chrono::FixedOffset::east_opt(0).unwrap();
    let q = r#"sum by (level) (count_over_time({app="vulnsentinel"}[1m]))"#;
    a.editor.input.set(q);
    vs_logs::tui::update::run_query(&mut a, q.to_string());
    let generation = a.status.generation;
    let m = MetricResult::Matrix(vec![
        series("error", |i| (i % 7) as f64),
        series("info", |i| 100.0 + (i * 3 % 40) as f64),
    ]);
    update(
        &mut a,
        Msg::QueryFinished {
            generation,
            page: PageKind::First,
            result: Ok(Box::new(QueryDone {
                data: QueryData::Metric(m),
                stats: QueryStats::default(),
                elapsed_ms: 5,
            })),
        },
    );
    a
}

fn draw(a: &App) -> (Buffer, String) {
    let mut t = Terminal::new(TestBackend::new(a.size.width, a.size.height)).unwrap();
    t.draw(|f| render(f, a)).unwrap();
    let b = t.backend().buffer().clone();
    let mut s = String::new();
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            s.push_str(b[(x, y)].symbol());
        }
        s.push('\n');
    }
    (b, s)
}

#[test]
fn a_metric_result_is_a_chart_with_axes_and_a_legend() {
    let a = charted();
    let (b, s) = draw(&a);
    insta::assert_snapshot!("metric_chart_100x30", s);
    assert!(!s.contains("time  "), "no log header over a chart");
    assert!(!s.contains("0 lines"), "{s}");
    assert!(s.contains("2 series"), "{s}");
    // time axis ticks in HH:MM (UTC here), y labels, the legend's names
    assert!(
        s.contains("09:30") || s.contains("09:20") || s.contains("09:40"),
        "{s}"
    );
    assert!(s.contains("125") && s.contains("150"), "y ticks: {s}");
    assert!(
        s.contains("{level=\"error\"}  last 3  min 0  max 6"),
        "legend: {s}"
    );
    let fgs: Vec<_> = b.content.iter().map(|c| c.fg).collect();
    assert!(fgs.contains(&series_color(0)) || fgs.contains(&series_color(1)));
}

#[test]
fn the_cursor_walks_the_time_axis_and_t_shows_a_table() {
    let mut a = charted();
    let k = |c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    update(&mut a, k('['));
    let c1 = a.logs.chart.cursor_ns.unwrap();
    update(&mut a, k('['));
    assert!(a.logs.chart.cursor_ns.unwrap() < c1);
    update(&mut a, k(']'));
    assert_eq!(a.logs.chart.cursor_ns, Some(c1));
    update(&mut a, k('T'));
    assert!(a.logs.chart.table);
    let (_, s) = draw(&a);
    assert!(s.contains("max") && s.contains("avg"), "{s}");
}

#[test]
fn a_hidden_series_leaves_the_chart_and_its_scale() {
    let mut a = charted();
    let k = |c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    // j selects the second series (info, 100..139), space hides it
    update(&mut a, k('j'));
    assert_eq!(a.logs.chart.selected, 1);
    update(&mut a, k(' '));
    assert_eq!(a.logs.chart.hidden, vec!["{level=\"info\"}".to_string()]);
    let (b, s) = draw(&a);
    insta::assert_snapshot!("metric_chart_info_hidden", s);
    // the y scale follows the error series alone (0..6): no 100s left on the axis
    assert!(!s.contains("125") && !s.contains("150"), "{s}");
    assert!(s.contains("{level=\"info\"}  hidden"), "{s}");
    // no cell of the chart or legend in the hidden series' colour (its legend mark is dimmed)
    let named = vs_logs::tui::metric::named_series(a.logs.results.metric.as_ref().unwrap());
    let (error, info) = (series_color(named[0].color), series_color(named[1].color));
    assert_ne!(error, info);
    let below_editor = |color| {
        (2..b.area.height)
            .flat_map(|y| (0..b.area.width).map(move |x| (x, y)))
            .any(|p| b[p].fg == color)
    };
    assert!(!below_editor(info), "{s}");
    assert!(below_editor(error), "{s}");
    let (x, y) = find(&b, "{level=\"info\"}  hidden");
    assert_eq!(b[(x - 2, y)].fg, ratatui::style::Color::DarkGray);
    // the selected row reads as a cursor
    assert!(
        b[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
    // space again: shown, and scaled for, again
    update(&mut a, k(' '));
    assert!(a.logs.chart.hidden.is_empty());
    let (_, s) = draw(&a);
    assert!(s.contains("125") && s.contains("150"), "{s}");
}

#[test]
fn the_table_view_lists_each_step_with_a_column_per_series() {
    let mut a = charted();
    let k = |c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    update(&mut a, k('T'));
    let (b, s) = draw(&a);
    insta::assert_snapshot!("metric_steps_table", s);
    let rows: Vec<&str> = s.lines().collect();
    let head = rows.iter().position(|r| r.starts_with("time ")).unwrap();
    assert!(rows[head].contains("{level=\"error\"}") && rows[head].contains("{level=\"info\"}"));
    // the first step: 09:00 UTC, error 0, info 100 (whole numbers stay whole)
    let first: Vec<&str> = rows[head + 1].split_whitespace().collect();
    assert_eq!(first, ["09:00:00", "0", "100"]);
    // headers in the series' colours
    let named = vs_logs::tui::metric::named_series(a.logs.results.metric.as_ref().unwrap());
    let (x, y) = find(&b, "{level=\"info\"}");
    assert_eq!(b[(x, y)].fg, series_color(named[1].color));
    // the summary under the rows, and where the rows are
    assert!(s.contains("steps 1–"), "{s}");
    let max_row = rows.iter().find(|r| r.starts_with("max ")).unwrap();
    assert_eq!(
        max_row.split_whitespace().collect::<Vec<_>>(),
        ["max", "6", "139"]
    );
    // j scrolls one step; G to the last page ends at the last step (09:59)
    update(&mut a, k('j'));
    let (_, s) = draw(&a);
    let first: Vec<&str> = s
        .lines()
        .nth(head + 1)
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(first[0], "09:01:00");
    update(
        &mut a,
        Msg::Key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)),
    );
    let (_, s) = draw(&a);
    assert!(s.contains("of 60"), "{s}");
    let last_step = s.lines().filter(|r| r.starts_with("09:59:00")).count();
    assert_eq!(last_step, 1, "{s}");
    // a hidden series has no column
    update(&mut a, k('T'));
    update(&mut a, k(' '));
    update(&mut a, k('T'));
    let (_, s) = draw(&a);
    assert!(!s.contains("{level=\"error\"}"), "{s}");
}

fn find(b: &Buffer, needle: &str) -> (u16, u16) {
    for y in 0..b.area.height {
        let row: String = (0..b.area.width).map(|x| b[(x, y)].symbol()).collect();
        if let Some(i) = row.find(needle) {
            return (row[..i].chars().count() as u16, y);
        }
    }
    panic!("{needle} not on screen");
}
