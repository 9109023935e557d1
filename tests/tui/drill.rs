#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The Patterns view: opening it mines the loaded lines in the background (a tagged
//! command), Enter lists a pattern's lines, `+`/`-` rewrite the query with `|>`/`!>`; drawn
//! on a `TestBackend`, snapshotted, styles checked.

use crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

use vs_logs::logql::rewrite::with_pattern_filter;
use vs_logs::tui::app::{App, View};
use vs_logs::tui::drill::patterns::mine_chunks;
use vs_logs::tui::msg::{Command, Msg};
use vs_logs::tui::testkit::{NOW, app, code, entry, key, lines, load};
use vs_logs::tui::update;

use super::screens::{Q, S, draw, find, text};

/// Opens the Patterns view on `n` fixture lines and answers its mining command as the loop
/// would (`previous`: lines of the range before, for the new markers).
fn open(n: usize, previous: Option<Vec<vs_logs::model::LogEntry>>) -> App {
    let mut a = app(120, 24);
    load(&mut a, Q, lines(n, NOW - S, S));
    let cmds = update(&mut a, key('P'));
    let (generation, query, chunks, start_ns, end_ns) = cmds
        .into_iter()
        .find_map(|c| match c {
            Command::MinePatterns {
                generation,
                query,
                chunks,
                start_ns,
                end_ns,
            } => Some((generation, query, chunks, start_ns, end_ns)),
            _ => None,
        })
        .expect("P asks for mining");
    assert!(matches!(a.nav.view, View::Patterns(_)));
    assert_eq!(query, Q);
    let mined = mine_chunks(&query, &chunks, previous.as_deref(), start_ns, end_ns);
    update(
        &mut a,
        Msg::PatternsFinished {
            generation,
            result: Ok(Box::new(mined)),
        },
    );
    a
}

fn view(a: &App) -> &vs_logs::tui::drill::patterns::PatternsView {
    match &a.nav.view {
        View::Patterns(v) => v,
        _ => panic!("not the patterns view"),
    }
}

fn run_query_text(cmds: &[Command]) -> Option<String> {
    cmds.iter().find_map(|c| match c {
        Command::RunQuery { req, .. } => Some(req.query.clone()),
        _ => None,
    })
}

#[test]
fn include_and_exclude_rewrite_the_query_with_a_pattern_filter() {
    let mut a = open(70, None);
    let v = view(&a);
    let m = v.mined.as_ref().unwrap();
    // 7 event kinds, 10 lines each: one pattern per kind at most.
    assert!(m.report.patterns.len() >= 7, "{:?}", m.report.patterns);
    let total: u64 = m.report.patterns.iter().map(|p| p.count).sum();
    assert_eq!(total, 70);
    let first = m.report.patterns[0].pattern.clone();
    assert!(m.report.patterns[0].include.is_some());
    let cmds = update(&mut a, key('+'));
    let q = run_query_text(&cmds).expect("+ runs the rewritten query");
    assert_eq!(q, with_pattern_filter(Q, &first, true));
    assert!(q.starts_with(&format!("{Q} |> \"")), "{q}");
    assert!(matches!(a.nav.view, View::Logs));
    assert_eq!(a.nav.back.last().unwrap().0, Q);

    // Exclude from a fresh view: `!>`; backspace returns to the query before.
    let mut a = open(70, None);
    update(&mut a, key('j'));
    let second = view(&a).mined.as_ref().unwrap().report.patterns[1]
        .pattern
        .clone();
    let q = run_query_text(&update(&mut a, key('-'))).unwrap();
    assert_eq!(q, format!("{Q} !> {}", vs_logs::logql::quote(&second)));
}

#[test]
fn stale_mining_results_are_dropped_and_q_closes() {
    let mut a = app(120, 24);
    load(&mut a, Q, lines(14, NOW - S, S));
    update(&mut a, key('P'));
    let g = match &a.nav.view {
        View::Patterns(v) => v.generation,
        _ => panic!(),
    };
    update(
        &mut a,
        Msg::PatternsFinished {
            generation: g + 5,
            result: Err("old".into()),
        },
    );
    assert!(view(&a).mined.is_none() && view(&a).error.is_none());
    update(&mut a, key('q'));
    assert!(matches!(a.nav.view, View::Logs));
    // Nothing loaded: no view, a note.
    let mut b = app(120, 24);
    assert!(update(&mut b, key('P')).is_empty());
    assert!(matches!(b.nav.view, View::Logs));
    assert!(b.status.note.is_some());
}

#[test]
fn patterns_view_snapshot_with_new_marker_lines_and_styles() {
    // The range before had only request.end lines: every other pattern is new.
    let before = vec![entry(
        NOW - 200 * S,
        "api",
        "info",
        "request.end",
        r#""request_id":"req-1","method":"POST","path":"/v1/events","status":201,"duration_ms":12"#,
    )];
    let mut a = open(28, Some(before));
    let t = draw(&a);
    let b = t.backend().buffer().clone();
    insta::assert_snapshot!("patterns_view", text(&b));
    let m = view(&a).mined.as_ref().unwrap();
    let new = m.report.patterns.iter().filter(|p| p.new).count();
    assert_eq!(new, m.report.patterns.len() - 1, "{:?}", m.report.patterns);
    // The new marker is yellow and bold; the selected row has the selection background.
    let (x, y) = find(&b, "* ").unwrap();
    assert_eq!(b[(x, y)].fg, Color::Yellow);
    assert!(b[(x, y)].modifier.contains(Modifier::BOLD));
    // The sparkline shows the volume (the lines are in the range's last minute) in cyan.
    let (sx, sy) = find(&b, "█").unwrap();
    assert_eq!(b[(sx, sy)].fg, Color::Cyan);
    let (hx, hy) = find(&b, "COUNT").unwrap();
    assert!(b[(hx, hy)].modifier.contains(Modifier::BOLD));
    assert_eq!(b[(hx + 2, hy + 1)].bg, Color::DarkGray);
    // Enter shows the pattern's lines under the list.
    update(&mut a, code(KeyCode::Enter));
    let b = draw(&a).backend().buffer().clone();
    let s = text(&b);
    assert!(s.contains(" lines "), "{s}");
    insta::assert_snapshot!("patterns_view_lines", s);
    update(&mut a, code(KeyCode::Esc));
    assert!(!view(&a).open);
}

/// Opens the Fields view on `n` fixture lines and answers its sampling command.
fn open_fields(n: usize) -> App {
    use vs_logs::tui::drill::fields::sample_chunks;
    let mut a = app(120, 30);
    load(&mut a, Q, lines(n, NOW - S, S));
    let cmds = update(&mut a, key('f'));
    let (generation, chunks) = cmds
        .into_iter()
        .find_map(|c| match c {
            Command::SampleFields {
                generation, chunks, ..
            } => Some((generation, chunks)),
            _ => None,
        })
        .expect("f asks for sampling");
    update(
        &mut a,
        Msg::FieldsFinished {
            generation,
            result: Ok(Box::new(sample_chunks(&chunks))),
        },
    );
    a
}

fn fields_view(a: &App) -> &vs_logs::tui::drill::fields::FieldsView {
    match &a.nav.view {
        View::Fields(v) => v,
        _ => panic!("not the fields view"),
    }
}

#[test]
fn fields_filter_for_and_out_rewrite_like_the_details_pane() {
    let mut a = open_fields(14);
    // The cursor starts on the first value: the first label's most frequent value.
    let (f, v) = fields_view(&a).selected().unwrap();
    assert_eq!((f.name.as_str(), f.source), ("app", "label"));
    assert_eq!(v, "vulnsentinel");
    // Move to module's first value: a stream label goes into the selector.
    while fields_view(&a)
        .selected()
        .is_none_or(|(f, _)| f.name != "module")
    {
        update(&mut a, key('j'));
    }
    let (_, value) = fields_view(&a).selected().unwrap();
    let value = value.to_string();
    let q = run_query_text(&update(&mut a, code(KeyCode::Enter))).unwrap();
    assert_eq!(
        q,
        vs_logs::logql::rewrite::filter(Q, "module", &value, true, true)
    );
    assert!(q.contains(&format!("module=\"{value}\"")), "{q}");
    assert_eq!(a.nav.back.last().unwrap().0, Q);

    // A parsed field filtered out: a label filter after the parser.
    let mut a = open_fields(14);
    while fields_view(&a)
        .selected()
        .is_none_or(|(f, _)| f.name != "event")
    {
        update(&mut a, key('j'));
    }
    let (f, value) = fields_view(&a).selected().unwrap();
    assert_eq!(f.source, "parsed");
    let value = value.to_string();
    let q = run_query_text(&update(&mut a, key('-'))).unwrap();
    assert_eq!(
        q,
        vs_logs::logql::rewrite::filter(Q, "event", &value, false, false)
    );
    // On a heading there is no value to filter on.
    let mut a = open_fields(14);
    update(&mut a, key('g'));
    assert!(update(&mut a, key('-')).is_empty());
    assert!(a.status.note.is_some());
}

#[test]
fn fields_view_snapshot_with_bars_and_numbers() {
    let a = open_fields(14);
    let b = draw(&a).backend().buffer().clone();
    let s = text(&b);
    insta::assert_snapshot!("fields_view", s);
    assert!(s.contains("14 lines"), "{s}");
    // Share bars are green; field names bold; the selected value row is highlighted.
    let (x, y) = find(&b, "█").unwrap();
    assert_eq!(b[(x, y)].fg, Color::Green);
    assert_eq!(b[(x, y)].bg, Color::DarkGray);
    let (nx, ny) = find(&b, "app (label)").unwrap();
    assert!(b[(nx, ny)].modifier.contains(Modifier::BOLD));
}
