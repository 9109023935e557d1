//! The volume histogram's zoom: a span chosen with keys (highlighted, its range in the title),
//! Enter runs the query over it (the axis now reads the span's times), `Z` zooms back out.

use crossterm::event::KeyCode;
use ratatui::style::Color;

use vs_logs::tui::msg::Msg;
use vs_logs::tui::testkit::{NOW, app, code, key, lines, load};
use vs_logs::tui::update;

use super::screens::{Q, S, draw, find, text, volume_msg};

fn utc() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(0).unwrap()
}

#[test]
fn a_chosen_span_is_highlighted_and_enter_zooms_into_it() {
    let mut a = app(100, 30);
    a.logs.chart.zone = utc();
    load(&mut a, Q, lines(30, NOW, 60 * S));
    let m = volume_msg(&a);
    update(&mut a, m);
    update(&mut a, key('z'));
    for _ in 0..5 {
        update(&mut a, key('l'));
    }
    let t = draw(&a);
    insta::assert_snapshot!("span_chosen", t.backend());
    let b = t.backend().buffer();
    let s = text(b);
    // buckets 62..=76 of 30 s from 09:00: 09:31:00 to 09:38:30
    assert!(s.contains("zoom into 09:31:00 – 09:38:30"), "{s}");
    // the chosen columns: highlighted bars, `━` under them, nothing else highlighted
    let (_, marker_row) = find(b, "━").unwrap();
    let chosen: Vec<u16> = (0..b.area.width)
        .filter(|x| b[(*x, marker_row)].symbol() == "━")
        .collect();
    assert!(chosen.len() >= 10, "{chosen:?}");
    for x in 0..b.area.width {
        let bar = &b[(x, marker_row - 1)];
        assert_eq!(
            bar.bg == Color::DarkGray,
            chosen.contains(&x),
            "column {x}: {bar:?}"
        );
        if chosen.contains(&x) {
            assert_eq!(b[(x, marker_row)].fg, Color::Cyan);
        }
    }
    assert!(!s.contains('▲'), "the span replaces the on-screen marker");

    // Enter: the query runs over the span; its answers draw the zoomed histogram
    update(&mut a, code(KeyCode::Enter));
    let span_end = NOW - 60 * 60 * S + 77 * 30 * S;
    load(&mut a, Q, lines(15, span_end - S, 30 * S));
    let m = volume_msg(&a);
    update(&mut a, m);
    let t = draw(&a);
    insta::assert_snapshot!("span_zoomed", t.backend());
    let s = text(t.backend().buffer());
    assert!(s.contains("⏱ 09:31:00 – 09:38:30"), "{s}");
    assert!(s.contains("z zoom · Z out"), "{s}");
    // the axis reads the span's minutes now, not the hour's
    let axis = s.lines().nth(8).unwrap();
    assert!(axis.contains("09:32") && axis.contains("09:37"), "{axis}");
    assert!(!axis.contains("09:40"), "{axis}");

    // Z: back to the hour
    update(&mut a, key('Z'));
    assert_eq!(a.editor.range.label(), "last 1h");
}

#[test]
fn the_scale_and_legend_explain_the_bars() {
    let mut a = app(120, 30);
    a.logs.chart.zone = utc();
    load(&mut a, Q, lines(30, NOW, 60 * S));
    let m = volume_msg(&a);
    update(&mut a, m);
    let t = draw(&a);
    let b = t.backend().buffer();
    // the legend's words in the colours they name
    let (x, y) = find(b, "error warn").unwrap();
    assert_eq!(b[(x, y)].fg, Color::Red);
    assert_eq!(b[(x + 6, y)].fg, Color::Yellow);
    let (x, y) = find(b, "info debug").unwrap();
    assert_eq!(b[(x, y)].fg, Color::Green);
    assert_eq!(b[(x + 5, y)].fg, Color::Blue);
    let (x, y) = find(b, "▲ on screen").unwrap();
    assert_eq!(b[(x, y)].fg, Color::Magenta);
    // the scale: the tallest column's count at the top, 0 at the bottom of the bars
    let s = text(b);
    let rows: Vec<&str> = s.lines().collect();
    assert!(rows[2].contains("2094 lines · per 30s"), "{}", rows[2]);
    assert!(rows[3].starts_with("24 "), "{}", rows[3]);
    assert!(rows[6].starts_with(" 0 "), "{}", rows[6]);
}

#[test]
fn a_level_with_few_lines_gets_a_sliver_not_a_row() {
    use vs_logs::model::{Labels, MetricResult, Point, Series};
    let mut a = app(120, 30);
    load(&mut a, Q, lines(3, NOW, S));
    let req = a.logs.results.req.clone().unwrap();
    let step_ms = (req.end_ns - req.start_ns) / 120 / 1_000_000;
    let series = |level: &str, v: f64| {
        let mut l = Labels::new();
        l.insert("level".into(), level.into());
        Series {
            metric: l,
            points: (1..=120)
                .map(|i| Point {
                    t_ms: req.start_ns / 1_000_000 + step_ms * i,
                    v,
                })
                .collect(),
        }
    };
    // 1 error in 100 lines per bucket
    let generation = a.status.generation;
    update(
        &mut a,
        Msg::VolumeFinished {
            generation,
            result: Ok(MetricResult::Matrix(vec![
                series("error", 1.0),
                series("info", 99.0),
            ])),
        },
    );
    let t = draw(&a);
    let b = t.backend().buffer();
    // the histogram's rows (the log table below has red ERROR rows of its own)
    let cells = |color: Color| {
        (2..10)
            .flat_map(|y| (0..b.area.width).map(move |x| (x, y)))
            .filter(|p| b[*p].fg == color)
            .count()
    };
    let (red, green) = (cells(Color::Red), cells(Color::Green));
    // the legend's word `error` is red; no bar cell is
    assert_eq!(red, "error".len(), "{}", text(b));
    assert!(green > 4 * 100, "{green}");
}
