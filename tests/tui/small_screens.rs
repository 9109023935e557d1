//! An 80x24 terminal (and a few others): help scrolls and searches, the histogram collapses,
//! the agent header keeps the cost, the details pane shows more than the labels; and on every
//! screen no text is drawn in its own background colour.

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use crate::screens::{Q, S, draw, text};
use crate::support::agent::{ag456, failed_variant};
use vs_logs::agent::model::build_runs;
use vs_logs::tui::agent_view::{AgentsView, TimelineView};
use vs_logs::tui::app::{App, View};
use vs_logs::tui::msg::{Msg, PageKind};
use vs_logs::tui::testkit::{NOW, app, code, key, lines, load};
use vs_logs::tui::update;

/// Fails when a visible character has the same colour as its background (after REVERSED).
pub(super) fn assert_every_text_visible(b: &Buffer, what: &str) {
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            let c = &b[(x, y)];
            if c.symbol().trim().is_empty() {
                continue;
            }
            let (fg, bg) = if c.modifier.contains(Modifier::REVERSED) {
                (c.bg, c.fg)
            } else {
                (c.fg, c.bg)
            };
            assert!(
                fg == Color::Reset || fg != bg,
                "{what}: {:?} at ({x},{y}) is {fg:?} on {bg:?}:\n{}",
                c.symbol(),
                text(b)
            );
        }
    }
}

fn timeline_app(w: u16, h: u16) -> App {
    let mut a = app(w, h);
    load(&mut a, Q, lines(40, NOW, 60 * S));
    let run = build_runs(&ag456()).pop().unwrap();
    a.nav.view = View::Agent(Box::new(TimelineView::new(run)));
    a
}

#[test]
fn help_scrolls_to_the_last_key_and_searches_at_80x24() {
    let mut a = app(80, 24);
    load(&mut a, Q, lines(5, NOW, S));
    update(&mut a, key('?'));
    let s = text(draw(&a).backend().buffer());
    assert!(s.contains("quit") && !s.contains("this help"), "{s}");
    assert!(s.contains("1–22 of 56"), "{s}");
    // j scrolls one row, G to the end: the last key is on screen
    update(&mut a, key('j'));
    let s = text(draw(&a).backend().buffer());
    assert!(s.contains("2–23 of 56"), "{s}");
    update(&mut a, key('G'));
    let t = draw(&a);
    insta::assert_snapshot!("help_80x24_end", t.backend());
    let s = text(t.backend().buffer());
    assert!(s.contains("this help") && s.contains("35–56 of 56"), "{s}");
    // `/` searches keys and texts; Esc clears the search, Esc again closes
    update(&mut a, key('/'));
    for c in "export".chars() {
        update(&mut a, key(c));
    }
    let s = text(draw(&a).backend().buffer());
    assert!(
        s.contains("/export") && s.contains("export the loaded lines"),
        "{s}"
    );
    assert!(
        !s.contains("this help") && !s.contains("previous line"),
        "{s}"
    );
    update(&mut a, code(KeyCode::Enter));
    assert_eq!(a.mode, vs_logs::tui::app::Mode::Help);
    update(&mut a, code(KeyCode::Esc));
    let s = text(draw(&a).backend().buffer());
    assert!(s.contains("quit") && !s.contains("/export"), "{s}");
    update(&mut a, code(KeyCode::Esc));
    assert_eq!(a.mode, vs_logs::tui::app::Mode::Normal);
    // opening it again starts at the top
    update(&mut a, key('?'));
    assert!(text(draw(&a).backend().buffer()).contains("1–22 of 56"));
}

#[test]
fn help_of_the_timeline_and_the_runs_list_fits_80x24() {
    let mut a = timeline_app(80, 24);
    update(&mut a, key('?'));
    let s = text(draw(&a).backend().buffer());
    assert!(s.contains("fold a turn") && s.contains("this help"), "{s}");
    update(&mut a, code(KeyCode::Esc));
    let runs = build_runs(&ag456());
    a.nav.view = View::Agents(Box::new(AgentsView::from_runs(&runs, "last 1h")));
    update(&mut a, key('?'));
    update(&mut a, key('G'));
    let s = text(draw(&a).backend().buffer());
    assert!(s.contains("sort by cost") && s.contains("this help"), "{s}");
}

#[test]
fn histogram_collapses_under_30_rows_also_in_the_agent_view() {
    let volume = |a: &App| Msg::VolumeFinished {
        generation: a.status.generation,
        result: Ok(vs_logs::model::MetricResult::Matrix(Vec::new())),
    };
    let mut a = app(80, 24);
    load(&mut a, Q, lines(40, NOW, 60 * S));
    let m = volume(&a);
    update(&mut a, m);
    assert!(a.volume.histogram.is_some() || a.volume.error.is_some());
    let area = ratatui::layout::Rect::new(0, 0, 80, 24);
    assert_eq!(vs_logs::tui::layout::layout(area, &a).volume, None);
    // the lines get the rows: 24 - title - editor - status - header
    let s = text(draw(&a).backend().buffer());
    let rows = s.lines().filter(|l| l.starts_with("11-25 ")).count();
    assert_eq!(rows, 20, "{s}");
    let mut tall = app(80, 30);
    load(&mut tall, Q, lines(40, NOW, 60 * S));
    let m = volume(&tall);
    update(&mut tall, m);
    let area = ratatui::layout::Rect::new(0, 0, 80, 30);
    assert!(vs_logs::tui::layout::layout(area, &tall).volume.is_some());

    let mut t = timeline_app(80, 24);
    let m = volume(&t);
    update(&mut t, m);
    let area = ratatui::layout::Rect::new(0, 0, 80, 24);
    assert_eq!(vs_logs::tui::layout::layout(area, &t).volume, None);
}

#[test]
fn agent_header_keeps_the_cost_at_80x24() {
    let a = timeline_app(80, 24);
    let t = draw(&a);
    insta::assert_snapshot!("timeline_80x24", t.backend());
    let s = text(t.backend().buffer());
    assert!(s.contains("cost $0.0012"), "{s}");
    assert!(s.contains("model claude-haiku-4-5"), "{s}");
    assert!(s.contains("tool errors 0 · errors 0"), "{s}");
    // the turns are on screen, not only the header
    assert!(
        s.contains("Turn 1/5") && s.contains("TOOL fetch_commit_diff"),
        "{s}"
    );
}

#[test]
fn details_pane_shows_the_parsed_fields_and_scrolls_at_80x24() {
    let mut a = app(80, 24);
    load(&mut a, Q, lines(3, NOW, S));
    update(&mut a, code(KeyCode::Enter));
    let t = draw(&a);
    insta::assert_snapshot!("details_80x24", t.backend());
    let s = text(t.backend().buffer());
    // the four stream labels and the first parsed (json) fields
    assert!(s.contains("label  module"), "{s}");
    assert!(s.contains("json   event"), "{s}");
    // moving the field cursor to the last field scrolls it into view
    for _ in 0..30 {
        update(&mut a, key('j'));
    }
    let s = text(draw(&a).backend().buffer());
    assert!(s.contains("duration_ms = 12"), "{s}");
    assert!(!s.contains("label  app"), "{s}");
}

#[test]
fn no_text_has_the_colour_of_its_background_on_any_screen() {
    // results with the selection, and a search match on the selected row
    let mut a = app(100, 24);
    load(&mut a, Q, lines(20, NOW, 60 * S));
    assert_every_text_visible(draw(&a).backend().buffer(), "results");
    update(&mut a, key('/'));
    for c in "tool".chars() {
        update(&mut a, key(c));
    }
    update(&mut a, code(KeyCode::Enter));
    assert_every_text_visible(draw(&a).backend().buffer(), "search");
    // details (the cursor on a label, then on a json field, then a hidden field)
    update(&mut a, code(KeyCode::Enter));
    assert_every_text_visible(draw(&a).backend().buffer(), "details");
    for _ in 0..5 {
        update(&mut a, key('j'));
    }
    update(&mut a, key('h'));
    assert_every_text_visible(draw(&a).backend().buffer(), "details on json");
    update(&mut a, code(KeyCode::Esc));
    // help
    update(&mut a, key('?'));
    assert_every_text_visible(draw(&a).backend().buffer(), "help");
    update(&mut a, code(KeyCode::Esc));
    // a failed query: the error line
    update(&mut a, key('r'));
    let g = a.status.generation;
    update(
        &mut a,
        Msg::QueryFinished {
            generation: g,
            page: PageKind::First,
            result: Err("loki returned 400: parse error".into()),
        },
    );
    assert_every_text_visible(draw(&a).backend().buffer(), "error");
    // scenes sidebar
    update(&mut a, key('s'));
    assert_every_text_visible(draw(&a).backend().buffer(), "scenes");
    update(&mut a, code(KeyCode::Esc));
    // agent timeline: every row selected in turn, expanded, raw line
    let mut entries = ag456();
    entries.extend(failed_variant("ag-457"));
    let runs = build_runs(&entries);
    let mut t = timeline_app(100, 30);
    t.nav.view = View::Agent(Box::new(TimelineView::new(runs[1].clone())));
    for i in 0..14 {
        update(&mut t, code(KeyCode::Enter));
        assert_every_text_visible(draw(&t).backend().buffer(), &format!("timeline row {i}"));
        update(&mut t, key('j'));
    }
    update(&mut t, key('r'));
    assert_every_text_visible(draw(&t).backend().buffer(), "raw line");
    // runs list
    let mut l = app(100, 24);
    l.nav.view = View::Agents(Box::new(AgentsView::from_runs(&runs, "last 1h")));
    for i in 0..2 {
        assert_every_text_visible(draw(&l).backend().buffer(), &format!("runs row {i}"));
        update(&mut l, key('j'));
    }
}
