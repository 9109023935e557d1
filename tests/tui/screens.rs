#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Headless whole-app tests: the app driven by key messages and fixture results, drawn on a
//! `TestBackend`, each screen snapshotted; styles that carry meaning checked cell by cell.
//! (Interaction across screens: `interaction.rs`.)

use std::sync::Arc;

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

use vs_logs::model::{Labels, LogEntry, MetricResult, Point, Series};
use vs_logs::tui::app::{App, QueryError};
use vs_logs::tui::msg::{Msg, PageKind};
use vs_logs::tui::testkit::{NOW, app, code, key, lines, load, stream};
use vs_logs::tui::{render, update};

pub(super) const S: i64 = 1_000_000_000;
pub(super) const Q: &str = r#"{app="vulnsentinel"} | json"#;

pub(super) fn draw(a: &App) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(a.size.width, a.size.height)).unwrap();
    t.draw(|f| render(f, a)).unwrap();
    t
}

pub(super) fn text(b: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            s.push_str(b[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// Position of the first cell where `needle` starts.
pub(super) fn find(b: &Buffer, needle: &str) -> Option<(u16, u16)> {
    for y in 0..b.area.height {
        let row: Vec<&str> = (0..b.area.width).map(|x| b[(x, y)].symbol()).collect();
        let line: String = row.concat();
        if let Some(byte) = line.find(needle) {
            // map the byte offset back to a column (all cells here are one char wide)
            let mut acc = 0;
            for (x, sym) in row.iter().enumerate() {
                if acc == byte {
                    return Some((x as u16, y));
                }
                acc += sym.len();
            }
        }
    }
    None
}

pub(super) fn volume_msg(a: &App) -> Msg {
    let series = |level: &str, vals: &[f64]| {
        let mut l = Labels::new();
        l.insert("level".into(), level.into());
        let req = a.logs.results.req.as_ref().unwrap();
        let step_ms = (req.end_ns - req.start_ns) / 120 / 1_000_000;
        Series {
            metric: l,
            points: vals
                .iter()
                .enumerate()
                .map(|(i, v)| Point {
                    t_ms: req.start_ns / 1_000_000 + step_ms * (i as i64 + 1),
                    v: *v,
                })
                .collect(),
        }
    };
    Msg::VolumeFinished {
        generation: a.status.generation,
        result: Ok(MetricResult::Matrix(vec![
            series(
                "error",
                &(0..120).map(|i| f64::from((i * 7) % 5)).collect::<Vec<_>>(),
            ),
            series(
                "warning",
                &(0..120).map(|i| f64::from((i * 3) % 4)).collect::<Vec<_>>(),
            ),
            series(
                "info",
                &(0..120)
                    .map(|i| f64::from(10 + (i * 11) % 9))
                    .collect::<Vec<_>>(),
            ),
        ])),
    }
}

#[test]
fn loading_screen() {
    let mut a = app(100, 16);
    a.editor.input.set(Q);
    update(&mut a, key('r'));
    let t = draw(&a);
    insta::assert_snapshot!("loading", t.backend());
    let b = t.backend().buffer();
    assert!(text(b).contains("Loading…"));
}

#[test]
fn empty_screen() {
    let mut a = app(100, 12);
    load(&mut a, Q, Vec::new());
    insta::assert_snapshot!("empty", draw(&a).backend());
}

#[test]
fn results_screen_with_level_colours_and_selection() {
    let mut a = app(140, 20);
    a.volume.show = false;
    load(&mut a, Q, lines(14, NOW, 7 * S));
    let t = draw(&a);
    insta::assert_snapshot!("results", t.backend());
    let b = t.backend().buffer();
    let (x, y) = find(b, "ERROR").unwrap();
    assert_eq!(b[(x, y)].fg, Color::Red);
    let (x, y) = find(b, "WARN").unwrap();
    assert_eq!(b[(x, y)].fg, Color::Yellow);
    let (x, y) = find(b, "INFO").unwrap();
    assert_eq!(b[(x, y)].fg, Color::Green);
    let (x, y) = find(b, "DEBUG").unwrap();
    assert_eq!(b[(x, y)].fg, Color::Blue);
    // the selected row (first line under the header) is highlighted across its width
    let header = find(b, "time").unwrap().1;
    assert_eq!(b[(0, header + 1)].bg, Color::DarkGray);
    assert_eq!(b[(60, header + 1)].bg, Color::DarkGray);
    assert_ne!(b[(0, header + 2)].bg, Color::DarkGray);
    // moving down moves the highlight
    update(&mut a, key('j'));
    let t = draw(&a);
    let b = t.backend().buffer();
    assert_eq!(b[(0, header + 2)].bg, Color::DarkGray);
    assert_ne!(b[(0, header + 1)].bg, Color::DarkGray);
}

#[test]
fn error_screen_keeps_results_and_shows_the_message_in_red() {
    let mut a = app(120, 14);
    a.volume.show = false;
    load(&mut a, Q, lines(4, NOW, S));
    a.editor.input.set(r#"{app="vulnsentinel"} | jsn"#);
    update(&mut a, key('r'));
    let g = a.status.generation;
    update(
        &mut a,
        Msg::QueryFinished {
            generation: g,
            page: PageKind::First,
            result: Err("loki returned 400: parse error at line 1, col 24: syntax error: unexpected IDENTIFIER".into()),
        },
    );
    let t = draw(&a);
    insta::assert_snapshot!("error", t.backend());
    let b = t.backend().buffer();
    let (x, y) = find(b, "error: loki returned 400").unwrap();
    assert_eq!(b[(x, y)].fg, Color::Red);
    assert!(text(b).contains("request.end"));
}

#[test]
fn parse_error_is_shown_at_its_column() {
    let mut a = app(80, 10);
    a.editor.input.set(r#"{app="vulnsentinel"} | jsn"#);
    a.editor.query_error = Some(QueryError {
        message: "parse error at line 1, col 24: unexpected IDENTIFIER".into(),
        col: Some(24),
    });
    let t = draw(&a);
    insta::assert_snapshot!("parse_error", t.backend());
    let b = t.backend().buffer();
    let (x, _) = find(b, "^ parse error").unwrap();
    // "❯ " prefix is two columns; column 24 of the query is screen column 25 (0-based)
    assert_eq!(x, 2 + 23);
    assert_eq!(b[(x, 2)].symbol(), "^");
    let (qx, _) = find(b, "jsn").unwrap();
    assert_eq!(qx, x);
}

#[test]
fn details_screen() {
    let mut a = app(120, 24);
    a.volume.show = false;
    load(&mut a, Q, lines(2, NOW, S));
    update(&mut a, code(KeyCode::Enter));
    update(&mut a, key('j'));
    let t = draw(&a);
    insta::assert_snapshot!("details", t.backend());
    // the field cursor is on the second field
    let b = t.backend().buffer();
    let (x, y) = find(b, "container").unwrap();
    assert_eq!(b[(x, y)].bg, Color::DarkGray);
    let (x, y) = find(b, "module = ").unwrap();
    assert_ne!(b[(x, y)].bg, Color::DarkGray);
}

#[test]
fn help_screen_is_generated_from_the_key_table() {
    let mut a = app(100, 52);
    load(&mut a, Q, lines(2, NOW, S));
    update(&mut a, key('?'));
    let t = draw(&a);
    insta::assert_snapshot!("help", t.backend());
    let s = text(t.backend().buffer());
    assert!(s.contains("search in the results"));
    update(&mut a, code(KeyCode::Esc));
    assert!(!text(draw(&a).backend().buffer()).contains("search in the results"));
}

#[test]
fn histogram_screen_stacked_by_level_with_the_view_marked() {
    // from 30 rows up: smaller screens collapse the histogram
    let mut a = app(120, 30);
    a.logs.chart.zone = chrono::FixedOffset::east_opt(0).unwrap();
    load(&mut a, Q, lines(30, NOW, 60 * S));
    let m = volume_msg(&a);
    update(&mut a, m);
    let t = draw(&a);
    insta::assert_snapshot!("histogram", t.backend());
    let b = t.backend().buffer();
    let mut red = 0;
    let mut green = 0;
    let mut marker = 0;
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            let c = &b[(x, y)];
            match (c.symbol(), c.fg) {
                ("█", Color::Red) => red += 1,
                ("█", Color::Green) => green += 1,
                ("▲", Color::Magenta) => marker += 1,
                _ => {}
            }
        }
    }
    assert!(red > 0 && green > red, "red {red} green {green}");
    assert!(marker > 0);
}

#[test]
fn follow_screen() {
    let mut a = app(120, 16);
    a.volume.show = false;
    a.logs.buffer_lines = 8;
    a.editor.query = Q.into();
    let cmds = update(&mut a, key('F'));
    let g = match &cmds[0] {
        vs_logs::tui::Command::StartTail { generation, .. } => *generation,
        other => panic!("{other:?}"),
    };
    update(
        &mut a,
        Msg::TailBatch {
            generation: g,
            events: vec![vs_logs::tail::TailEvent::Entries(lines(6, NOW, S))],
        },
    );
    update(&mut a, key('j'));
    update(
        &mut a,
        Msg::TailBatch {
            generation: g,
            events: vec![vs_logs::tail::TailEvent::Entries(lines(5, NOW + 10 * S, S))],
        },
    );
    let t = draw(&a);
    insta::assert_snapshot!("follow", t.backend());
    let s = text(t.backend().buffer());
    assert!(s.contains("5 new"));
    assert!(s.contains("3 oldest dropped (buffer 8)"));
}

#[test]
fn hostile_line_renders_visibly() {
    let mut a = app(100, 10);
    a.volume.show = false;
    let hostile = LogEntry::new(
        NOW,
        stream("app", "error"),
        "worker died \u{1b}]0;pwned\u{7} \u{1b}[31mred\u{1b}[0m \u{9b}2J",
    );
    let json = LogEntry::new(
        NOW - S,
        Arc::new(Labels::new()),
        r#"{"event":"x\u001b]0;t\u0007","level":"info","note":"\u001b[2J"}"#,
    );
    load(&mut a, Q, vec![hostile, json]);
    update(&mut a, code(KeyCode::Enter));
    let t = draw(&a);
    insta::assert_snapshot!("hostile", t.backend());
    let b = t.backend().buffer();
    let s = text(b);
    assert!(s.contains("^[]0;pwned^G"));
    assert!(s.contains("<U+009B>2J"));
    for c in b.content() {
        assert!(
            !c.symbol().chars().any(|ch| ch.is_control()),
            "control char in {:?}",
            c.symbol()
        );
    }
}

#[test]
fn scenes_sidebar() {
    let mut a = app(100, 12);
    a.volume.show = false;
    load(&mut a, Q, lines(3, NOW, S));
    update(&mut a, key('s'));
    update(&mut a, key('j'));
    insta::assert_snapshot!("scenes", draw(&a).backend());
}
