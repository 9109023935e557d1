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
