//! The log context view and the details pane's context lines: the two bounded queries they
//! ask for, tagged answers (stale ones dropped), `+`/`-`, widening the selector, keeping the
//! pipeline, and Esc back to the results with the selection kept.

use super::*;
use crate::drill::ContextQueries;
use crate::model::LogEntry;
use crate::tui::drill::context::ContextView;
use crate::tui::keys::{Action, Screen};

/// 60 lines of one stream (`agent`/`info`), one a second, the last at `NOW`.
fn stream_lines() -> Vec<LogEntry> {
    (0..60)
        .map(|i| {
            entry(
                NOW - (59 - i) * S,
                "agent",
                "info",
                "tool.call",
                &format!(r#""agent_id":"ag-{i}","tool":"fetch""#),
            )
        })
        .collect()
}

/// Answers the two queries as Loki would from `all` (start inclusive, end exclusive, limit
/// and direction honoured; the selector is not checked here).
fn answer(all: &[LogEntry], q: &ContextQueries) -> (Vec<LogEntry>, Vec<LogEntry>) {
    let pick = |r: &crate::model::QueryRange| {
        let mut v: Vec<LogEntry> = all
            .iter()
            .filter(|e| e.ts >= r.start_ns && e.ts < r.end_ns)
            .cloned()
            .collect();
        if r.direction == Direction::Backward {
            v.reverse();
        }
        v.truncate(r.limit);
        v
    };
    (pick(&q.before), pick(&q.after))
}

fn fetch(cmds: &[Command]) -> Option<(u64, ContextQueries)> {
    cmds.iter().find_map(|c| match c {
        Command::FetchContext {
            generation,
            queries,
        } => Some((*generation, queries.clone())),
        _ => None,
    })
}

fn view(a: &App) -> &ContextView {
    match &a.nav.view {
        View::Context(v) => v,
        _ => panic!("not the context view"),
    }
}

/// Loads the stream, selects the 20th newest line (ts `NOW - 19 s`), opens its context.
fn opened() -> (App, Vec<LogEntry>, u64, ContextQueries) {
    let mut a = app(120, 30);
    let all = stream_lines();
    load(&mut a, Q, all.clone());
    for _ in 0..19 {
        update(&mut a, key('j'));
    }
    assert_eq!(a.logs.selected_row().unwrap().ts(), NOW - 19 * S);
    let (g, q) = fetch(&update(&mut a, key('L'))).expect("L fetches the context");
    (a, all, g, q)
}

const SELECTOR: &str =
    r#"{app="vulnsentinel", container="vulnsentinel", level="info", module="agent"}"#;

#[test]
fn opening_asks_for_two_bounded_queries_of_the_line_s_stream() {
    let (a, _, g, q) = opened();
    let ts = NOW - 19 * S;
    assert_eq!(view(&a).generation, g);
    assert!(view(&a).loading);
    assert_eq!(q.before.query, SELECTOR);
    assert_eq!(q.after.query, SELECTOR);
    assert_eq!(
        (q.before.end_ns, q.before.limit, q.before.direction),
        (ts, 10, Direction::Backward)
    );
    assert_eq!(q.before.start_ns, ts - 3_600 * S);
    assert_eq!(
        (q.after.start_ns, q.after.limit, q.after.direction),
        (ts, 11, Direction::Forward)
    );
    assert_eq!(q.after.end_ns, ts + 3_600 * S);
    assert_eq!(a.nav.screen(), Screen::Context);
}

#[test]
fn the_answer_is_cut_around_the_line_and_stale_answers_are_dropped() {
    let (mut a, all, g, q) = opened();
    // an answer of another generation changes nothing
    update(
        &mut a,
        Msg::ContextFinished {
            generation: g + 1,
            result: Err("old".into()),
        },
    );
    assert!(view(&a).loading && view(&a).lines.is_none() && view(&a).error.is_none());
    update(
        &mut a,
        Msg::ContextFinished {
            generation: g,
            result: Ok(answer(&all, &q)),
        },
    );
    let v = view(&a);
    assert!(!v.loading && !v.missing);
    let lines = v.lines.as_ref().unwrap();
    assert_eq!(lines.len(), 21);
    assert_eq!(v.at, 10);
    assert_eq!(lines.ts(v.at), NOW - 19 * S);
    assert_eq!(lines.ts(0), NOW - 29 * S);
    assert_eq!(lines.ts(20), NOW - 9 * S);
    assert!(lines.line(v.at).contains(r#""agent_id":"ag-40""#));
}

#[test]
fn plus_and_minus_step_n_and_fetch_again_with_a_new_tag() {
    let (mut a, all, g, _) = opened();
    let (g2, q2) = fetch(&update(&mut a, key('+'))).expect("+ fetches again");
    assert!(g2 > g);
    assert_eq!(view(&a).n, 25);
    assert_eq!((q2.before.limit, q2.after.limit), (25, 26));
    // the first fetch's answer arrives late: dropped
    update(
        &mut a,
        Msg::ContextFinished {
            generation: g,
            result: Ok((Vec::new(), Vec::new())),
        },
    );
    assert!(view(&a).lines.is_none());
    update(
        &mut a,
        Msg::ContextFinished {
            generation: g2,
            result: Ok(answer(&all, &q2)),
        },
    );
    // 40 lines are older than the line, 19 newer: 25 before, 19 after
    assert_eq!(view(&a).lines.as_ref().unwrap().len(), 25 + 1 + 19);
    assert_eq!(view(&a).at, 25);
    let (_, q3) = fetch(&update(&mut a, key('-'))).unwrap();
    assert_eq!(q3.before.limit, 10);
    update(&mut a, key('-'));
    assert_eq!(view(&a).n, 5);
    // the fewest: a note, no fetch
    assert!(fetch(&update(&mut a, key('-'))).is_none());
    assert!(
        a.status.note.as_deref().unwrap().contains("fewest"),
        "{:?}",
        a.status.note
    );
}

#[test]
fn w_drops_the_chosen_label_and_restores_it_f_keeps_the_pipeline() {
    let (mut a, _, _, _) = opened();
    // labels in order: app, container, level, module; choose `level`
    update(&mut a, key('l'));
    update(&mut a, key('l'));
    let (_, q) = fetch(&update(&mut a, key('w'))).expect("w fetches again");
    assert_eq!(
        q.before.query,
        r#"{app="vulnsentinel", container="vulnsentinel", module="agent"}"#
    );
    let (_, q) = fetch(&update(&mut a, key('w'))).expect("w again restores");
    assert_eq!(q.before.query, SELECTOR);
    // drop all but one: the last refuses with a note
    for _ in 0..3 {
        update(&mut a, key('h'));
    }
    for _ in 0..3 {
        assert!(fetch(&update(&mut a, key('w'))).is_some());
        update(&mut a, key('l'));
    }
    assert!(fetch(&update(&mut a, key('w'))).is_none());
    assert!(a.status.note.is_some());
    assert_eq!(view(&a).queries().after.query, r#"{module="agent"}"#);
    // f keeps the query's pipeline (Q is `{app="vulnsentinel"} | json`), f again drops it
    let (_, q) = fetch(&update(&mut a, key('f'))).unwrap();
    assert_eq!(q.before.query, r#"{module="agent"} | json"#);
    assert_eq!(q.after.query, r#"{module="agent"} | json"#);
    let (_, q) = fetch(&update(&mut a, key('f'))).unwrap();
    assert_eq!(q.before.query, r#"{module="agent"}"#);
}

#[test]
fn esc_returns_to_the_results_with_the_selection_kept() {
    let (mut a, all, g, q) = opened();
    update(
        &mut a,
        Msg::ContextFinished {
            generation: g,
            result: Ok(answer(&all, &q)),
        },
    );
    let selected = (a.logs.selected, selected_line(&a));
    update(&mut a, key('j'));
    update(&mut a, key('j'));
    assert_eq!(view(&a).offset, 2);
    // scrolling stops at the last line: one k after many j moves at once
    for _ in 0..100 {
        update(&mut a, key('j'));
    }
    let far = view(&a).offset;
    assert!(far < 20, "{far}");
    update(&mut a, key('k'));
    assert_eq!(view(&a).offset, far - 1);
    update(&mut a, key('g'));
    assert_eq!(view(&a).offset, 0);
    assert!(update(&mut a, code(KeyCode::Esc)).is_empty());
    assert!(matches!(a.nav.view, View::Logs));
    assert_eq!((a.logs.selected, selected_line(&a)), selected);
    // a late answer after closing is dropped without harm
    update(
        &mut a,
        Msg::ContextFinished {
            generation: g,
            result: Ok((Vec::new(), Vec::new())),
        },
    );
    assert!(matches!(a.nav.view, View::Logs));
}

#[test]
fn lines_sharing_the_timestamp_are_neither_lost_nor_doubled() {
    // three lines of one stream at the same instant; the middle one is selected
    let mut a = app(120, 30);
    let ts = NOW - 5 * S;
    let mk = |t, id: &str| {
        entry(
            t,
            "agent",
            "info",
            "tool.call",
            &format!(r#""agent_id":"{id}""#),
        )
    };
    let all = vec![
        mk(ts - S, "a0"),
        mk(ts, "a1"),
        mk(ts, "a2"),
        mk(ts, "a3"),
        mk(ts + S, "a4"),
    ];
    load(&mut a, Q, all.clone());
    // newest first: a4, a3, a2 …
    update(&mut a, key('j'));
    update(&mut a, key('j'));
    assert!(selected_line(&a).contains("a2"));
    let (g, q) = fetch(&update(&mut a, key('L'))).unwrap();
    // one line of the stream shares the instant and was loaded before it: room for it
    assert_eq!(q.after.limit, 10 + 1 + 1);
    update(
        &mut a,
        Msg::ContextFinished {
            generation: g,
            result: Ok(answer(&all, &q)),
        },
    );
    let v = view(&a);
    let c = v.lines.as_ref().unwrap();
    let ids: Vec<&str> = (0..c.len())
        .map(|i| &c.line(i)[c.line(i).find("a").unwrap_or(0)..])
        .collect();
    assert_eq!(c.len(), 5, "{ids:?}");
    assert!(c.line(v.at).contains("a2"));
    assert!(c.line(1).contains("a1") && c.line(3).contains("a3"));
}

#[test]
fn the_details_pane_shares_the_fetch_and_cuts_its_ten_lines() {
    let mut a = app(120, 30);
    let all = stream_lines();
    load(&mut a, Q, all.clone());
    for _ in 0..30 {
        update(&mut a, key('j'));
    }
    update(&mut a, code(KeyCode::Enter));
    let (g, q) = fetch(&update(&mut a, key('c'))).expect("c fetches the context");
    assert_eq!((q.before.limit, q.after.limit), (10, 11));
    assert_eq!(q.before.end_ns, NOW - 30 * S);
    update(
        &mut a,
        Msg::ContextFinished {
            generation: g,
            result: Ok(answer(&all, &q)),
        },
    );
    let c = a
        .logs
        .details
        .as_ref()
        .unwrap()
        .context
        .clone()
        .unwrap()
        .unwrap();
    assert_eq!(c.before.len(), 10);
    assert_eq!(c.after.len(), 10);
    assert_eq!(c.before.last().unwrap().ts, NOW - 31 * S);
    // the line itself is not repeated among its neighbours
    assert_eq!(c.after[0].ts, NOW - 29 * S);
}

#[test]
fn the_context_keys_are_in_the_help() {
    let a = app(120, 30);
    let logs = a.keys.help_rows(Screen::Logs);
    assert!(
        logs.iter()
            .any(|(k, h)| k == "L" && h.starts_with("log context"))
    );
    let rows = a.keys.help_rows(Screen::Context);
    for (k, word) in [
        ("+", "more"),
        ("-", "fewer"),
        ("w", "widen"),
        ("f", "pipeline"),
    ] {
        assert!(
            rows.iter()
                .any(|(keys, h)| keys.split(' ').any(|x| x == k) && h.contains(word)),
            "{k}: {rows:?}"
        );
    }
    assert_eq!(Action::from_name("context_view"), Some(Action::ContextView));
}
