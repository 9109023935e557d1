//! What the status line, the volume title and the empty table tell the user, drawn on a
//! `TestBackend`: totals exact or labelled approximate, indicators that end, the CLI's hint.

use vs_logs::model::MetricResult;
use vs_logs::model::{Labels, Point, Series};
use vs_logs::tui::app::App;
use vs_logs::tui::msg::{Msg, PageKind};
use vs_logs::tui::testkit::{NOW, app, key, lines, load};
use vs_logs::tui::update;

use super::screens::{Q, S, draw, find, text};

/// A volume answer whose 120 step-aligned buckets count `per_bucket` lines each.
fn volume(a: &App, per_bucket: f64) -> Msg {
    let req = a.logs.results.req.as_ref().unwrap();
    let step_ms = (req.end_ns - req.start_ns) / 120 / 1_000_000;
    let mut l = Labels::new();
    l.insert("level".into(), "info".into());
    let points = (0..=120)
        .map(|i| Point {
            t_ms: req.start_ns / 1_000_000 + step_ms * i,
            v: per_bucket,
        })
        .collect();
    Msg::VolumeFinished {
        generation: a.status.generation,
        result: Ok(MetricResult::Matrix(vec![Series { metric: l, points }])),
    }
}

#[test]
fn a_total_from_volume_buckets_is_labelled_approximate() {
    // 30 rows: the histogram (and its title) collapses on shorter terminals.
    let mut a = app(120, 30);
    a.logs.page_size = 100;
    load(&mut a, Q, lines(100, NOW, S));
    let m = volume(&a, 10.0);
    update(&mut a, m);
    let s = text(draw(&a).backend().buffer());
    assert!(s.contains("100 of about 1200 lines"), "{s}");
    assert!(s.contains("volume · about 1200 lines"), "{s}");
    assert!(!s.contains("100 lines of"), "{s}");
}

#[test]
fn a_complete_load_shows_the_exact_count_not_the_buckets() {
    let mut a = app(120, 24);
    load(&mut a, Q, lines(1, NOW, S));
    let m = volume(&a, 1.0);
    update(&mut a, m);
    let s = text(draw(&a).backend().buffer());
    assert!(s.contains("1 line ·"), "{s}");
    assert!(!s.contains("1 lines"), "{s}");
    assert!(!s.contains(" of 1"), "{s}");
}

#[test]
fn volume_title_ends_in_the_error_after_a_connection_error() {
    let mut a = app(100, 30);
    a.editor.input.set(Q);
    update(&mut a, key('r'));
    let g = a.status.generation;
    let refused = "error sending request for url (http://127.0.0.1:9/loki/api/v1/query_range)";
    for m in [
        Msg::QueryFinished {
            generation: g,
            page: PageKind::First,
            result: Err(refused.into()),
        },
        Msg::VolumeFinished {
            generation: g,
            result: Err(refused.into()),
        },
    ] {
        update(&mut a, m);
    }
    let t = draw(&a);
    let s = text(t.backend().buffer());
    assert!(!s.contains("loading…"), "{s}");
    assert!(
        s.contains("volume unavailable: error sending request"),
        "{s}"
    );
    // the table does not invite a first query: this one failed
    assert!(s.contains("The query failed"), "{s}");
    assert!(!s.contains("Choose a scene"), "{s}");
}

#[test]
fn an_empty_result_shows_the_cli_hint() {
    let mut a = app(100, 14);
    load(&mut a, Q, Vec::new());
    let t = draw(&a);
    insta::assert_snapshot!("empty_with_hint", t.backend());
    let b = t.backend().buffer();
    let s = text(b);
    assert!(s.contains("no lines matched in last 1h"), "{s}");
    // the same hint `vs-logs query` prints, with the TUI's keys
    let hint = vs_logs::output::no_lines_hint("keys 1-7 or t");
    assert!(hint.starts_with("widen the range") && hint.ends_with("or loosen the query"));
    assert!(s.contains("hint: widen the range"), "{s}");
    assert!(s.contains("or loosen the query"), "{s}");
    let (x, y) = find(b, "hint:").unwrap();
    assert_eq!(b[(x, y)].fg, ratatui::style::Color::DarkGray);
}
