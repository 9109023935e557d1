//! Queries, pages, cancelling and quitting.

use super::*;

#[test]
fn run_query_starts_query_and_volume() {
    let mut a = app(120, 40);
    a.editor.input.set(Q);
    let cmds = update(&mut a, key('r'));
    let (g, page, req, _) = run_cmd(&cmds).unwrap();
    assert_eq!((g, page), (1, PageKind::First));
    assert_eq!(req.end_ns, NOW);
    assert_eq!(req.start_ns, NOW - 3600 * S);
    assert_eq!(req.direction, Direction::Backward);
    assert_eq!(req.limit, 1000);
    assert!(cmds.iter().any(|c| matches!(c,
        Command::FetchVolume { req, .. } if req.query.starts_with("sum by (level) (count_over_time({app=\"vulnsentinel\"} | json | drop __error__"))));
    assert!(cmds.contains(&Command::SaveHistory(Q.to_string())));
    assert_eq!(a.status.running, Some(Running::Query));
}

#[test]
fn new_query_cancels_the_one_in_flight_and_stale_results_are_dropped() {
    let mut a = app(120, 40);
    a.editor.input.set(Q);
    update(&mut a, key('r'));
    let first_gen = a.status.generation;
    a.editor
        .input
        .set(r#"{app="vulnsentinel"} |= "rate limit""#);
    let cmds = update(&mut a, key('r'));
    assert!(cmds.contains(&Command::CancelQuery));
    // the first query's answer arrives late: ignored
    update(
        &mut a,
        finished(first_gen, PageKind::First, lines(5, NOW, S)),
    );
    assert!(a.logs.is_empty());
    assert_eq!(a.status.running, Some(Running::Query));
    let g = a.status.generation;
    update(&mut a, finished(g, PageKind::First, lines(3, NOW, S)));
    assert_eq!(a.logs.len(), 3);
    assert_eq!(a.status.running, None);
}

#[test]
fn ctrl_c_cancels_first_then_quits_when_idle() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(10, NOW, S));
    a.editor.input.set(r#"{app="x"}"#);
    update(&mut a, key('r'));
    let running_gen = a.status.generation;
    let cmds = update(&mut a, ctrl('c'));
    assert_eq!(cmds, vec![Command::CancelQuery]);
    assert!(!a.quit);
    assert_eq!(a.status.running, None);
    // results of the cancelled query are stale; the old results stay
    update(
        &mut a,
        finished(running_gen, PageKind::First, lines(2, NOW, S)),
    );
    assert_eq!(a.logs.len(), 10);
    let cmds = update(&mut a, ctrl('c'));
    assert!(cmds.contains(&Command::Quit));
    assert!(a.quit);
}

#[test]
fn q_quits_even_while_running_and_cancels() {
    let mut a = app(120, 40);
    a.editor.input.set(Q);
    update(&mut a, key('r'));
    let cmds = update(&mut a, key('q'));
    assert_eq!(cmds, vec![Command::CancelQuery, Command::Quit]);
}

#[test]
fn errors_keep_current_results() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(10, NOW, S));
    a.editor.input.set(r#"{app="vulnsentinel"} | jsn"#);
    update(&mut a, key('r'));
    let msg = "parse error at line 1, col 24: syntax error: unexpected IDENTIFIER";
    let g = a.status.generation;
    update(
        &mut a,
        Msg::QueryFinished {
            generation: g,
            page: PageKind::First,
            result: Err(msg.to_string()),
        },
    );
    assert_eq!(a.logs.len(), 10);
    assert_eq!(a.status.error.as_deref(), Some(msg));
    assert_eq!(
        a.editor.query_error.as_ref().map(|e| e.message.as_str()),
        Some(msg)
    );
    assert!(!a.quit);
}

#[test]
fn scrolling_to_the_end_loads_older_lines_keeping_the_position() {
    let mut a = app(120, 40);
    a.logs.page_size = 100;
    load(&mut a, Q, lines(100, NOW, S));
    assert!(!a.logs.results.older_done);
    let cmds = update(&mut a, key('G'));
    let (g, page, req, boundary) = run_cmd(&cmds).unwrap();
    assert_eq!((g, page), (a.status.generation, PageKind::Older));
    let oldest = NOW - 99 * S;
    assert_eq!(req.end_ns, oldest + 1);
    assert_eq!(req.direction, Direction::Backward);
    assert_eq!(boundary, 1);
    assert_eq!(a.status.running, Some(Running::Older));
    let before = selected_line(&a);
    let sel = a.logs.selected;
    // the page repeats the boundary line, then 50 older ones
    let mut page_lines = lines(50, oldest - S, S);
    page_lines.push(a.logs.results.store.get(0).unwrap().entry());
    let Some(Command::RunQuery { boundary, .. }) = cmds
        .into_iter()
        .find(|c| matches!(c, Command::RunQuery { .. }))
    else {
        panic!()
    };
    let page_lines = page_entries(page_lines, &boundary);
    assert_eq!(page_lines.len(), 50);
    update(&mut a, finished(g, PageKind::Older, page_lines));
    assert_eq!(a.logs.len(), 150);
    assert_eq!(selected_line(&a), before);
    assert_eq!(a.logs.selected, sel);
    // fewer than a page came back: that end is done, no more requests
    assert!(a.logs.results.older_done);
    let cmds = update(&mut a, key('G'));
    assert!(run_cmd(&cmds).is_none());
}

#[test]
fn oldest_first_paging_shifts_the_selection_with_the_data() {
    let mut a = app(120, 40);
    a.logs.page_size = 100;
    load(&mut a, Q, lines(100, NOW, S));
    update(&mut a, key('j'));
    update(&mut a, key('j'));
    // `o` re-runs a partial load from the other end now; turn the loaded lines around directly
    super::super::logs::reverse_loaded(&mut a);
    assert!(!a.logs.newest_first);
    let before = selected_line(&a);
    let cmds = update(&mut a, key('g'));
    let (g, page, ..) = run_cmd(&cmds).unwrap();
    assert_eq!(page, PageKind::Older);
    update(&mut a, key('\'')); // harmless: no mark
    let marked = a.logs.selected;
    update(
        &mut a,
        finished(g, PageKind::Older, lines(30, NOW - 100 * S, S)),
    );
    assert_eq!(a.logs.selected, marked + 30);
    assert_ne!(selected_line(&a), before);
    assert_eq!(a.logs.len(), 130);
}

#[test]
fn page_entries_drop_each_boundary_duplicate_once() {
    let b = vec![
        entry(5, "api", "info", "x", ""),
        entry(5, "api", "info", "y", ""),
    ];
    let answer = vec![
        entry(5, "api", "info", "x", ""),
        entry(5, "api", "info", "x", ""),
        entry(5, "api", "info", "y", ""),
        entry(4, "api", "info", "z", ""),
    ];
    let kept = page_entries(answer, &b);
    assert_eq!(kept.len(), 2);
    assert!(kept[0].line.contains("\"x\""));
    assert!(kept[1].line.contains("\"z\""));
}

#[test]
fn ctrl_c_in_the_editor_cancels_a_running_query() {
    let mut a = app(120, 40);
    a.editor.input.set(Q);
    update(&mut a, key('r'));
    update(&mut a, key('i'));
    let cmds = update(&mut a, ctrl('c'));
    assert_eq!(cmds, vec![Command::CancelQuery]);
    assert_eq!(a.mode, Mode::EditQuery);
    update(&mut a, ctrl('c'));
    assert_eq!(a.mode, Mode::Normal);
    assert!(!a.quit);
}

#[test]
fn range_presets_rerun_the_query() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(3, NOW, S));
    let cmds = update(&mut a, key('5'));
    let req = run_cmd(&cmds).unwrap().2;
    assert_eq!(req.end_ns - req.start_ns, 12 * 3600 * S);
    assert_eq!(a.editor.range.label(), "last 12h");
}

#[test]
fn a_parse_error_is_shown_at_its_position_and_nothing_is_sent() {
    let mut a = app(120, 40);
    update(&mut a, key('i'));
    for c in r#"{app="v"} | json | level=="#.chars() {
        update(&mut a, key(c));
    }
    let e = a
        .editor
        .query_error
        .clone()
        .expect("a parse error while typing");
    assert!(e.col.is_some(), "{e:?}");
    let cmds = update(&mut a, code(KeyCode::Enter));
    assert!(run_cmd(&cmds).is_none());
    assert!(a.editor.query_error.is_some());
    assert_eq!(a.status.generation, 0);
}

#[test]
fn order_reruns_the_query_from_the_other_end_of_the_range() {
    let mut a = app(120, 40);
    a.logs.page_size = 100;
    a.editor.range = RangeSpec::last("24h", 24 * 3600 * S);
    load(&mut a, Q, lines(100, NOW, S));
    assert!(!a.logs.results.older_done);
    let cmds = update(&mut a, key('o'));
    let (g, page, req, _) = run_cmd(&cmds).expect("flipping a partial load re-runs the query");
    assert_eq!(page, PageKind::First);
    assert_eq!(req.direction, Direction::Forward);
    assert_eq!(req.start_ns, NOW - 24 * 3600 * S);
    assert_eq!(req.query, Q);
    assert!(!a.logs.newest_first);
    // the oldest lines of the range arrive: the top row is the oldest line of the range
    let oldest = NOW - 23 * 3600 * S;
    update(
        &mut a,
        finished(g, PageKind::First, lines(100, oldest + 99 * S, S)),
    );
    assert_eq!(a.logs.selected_row().unwrap().ts(), oldest);
    assert!(a.logs.results.older_done);
    assert!(!a.logs.results.newer_done);
    // and back: newest first runs backward from the end
    let (_, _, req, _) = run_cmd(&update(&mut a, key('o'))).unwrap();
    assert_eq!(req.direction, Direction::Backward);
    assert!(a.logs.newest_first);
}

#[test]
fn order_turns_a_complete_load_around_without_a_query() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(10, NOW, S));
    update(&mut a, key('j'));
    let before = selected_line(&a);
    let cmds = update(&mut a, key('o'));
    assert!(run_cmd(&cmds).is_none());
    assert!(!a.logs.newest_first);
    assert_eq!(selected_line(&a), before);
}

#[test]
fn presets_end_at_the_newest_local_line_else_now() {
    let mut a = app(120, 40);
    a.editor.input.set(Q);
    update(&mut a, key('3'));
    assert_eq!(a.editor.range, RangeSpec::last("1h", 3600 * S));
    // a local input whose newest line is a day old
    a.data_end_ns = Some(NOW - 24 * 3600 * S);
    let cmds = update(&mut a, key('3'));
    let (_, _, req, _) = run_cmd(&cmds).unwrap();
    assert_eq!(
        (req.start_ns, req.end_ns),
        (NOW - 25 * 3600 * S, NOW - 24 * 3600 * S)
    );
    assert_eq!(a.editor.range.label(), "last 1h of the input");
}
