//! The agent timeline in the TUI shows at least what `vs-logs replay` prints: tool args
//! (expandable) and output sizes, tracebacks of `agent.error` (structlog's `exception`), a
//! raw-line popup with real line breaks that scrolls, a time column that does not shift past
//! 10 s, and no repetition of a short message when it is "expanded".

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::screens::text;
use crate::support::agent::ag456;
use vs_logs::agent::model::build_runs;
use vs_logs::model::LogEntry;
use vs_logs::tui::agent_view::TimelineView;

fn press(v: &mut TimelineView, c: KeyCode) {
    v.handle_key(KeyEvent::new(c, KeyModifiers::NONE));
}

fn draw(v: &TimelineView, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| v.render(f, f.area())).unwrap();
    t.backend().buffer().clone()
}

/// Selects the first row whose text contains `needle`.
fn select(v: &mut TimelineView, w: u16, h: u16, needle: &str) {
    press(v, KeyCode::Char('g'));
    for _ in 0..60 {
        let b = draw(v, w, h);
        let s = text(&b);
        let sel = s
            .lines()
            .find(|l| l.contains(&format!(" {}/", v.selected() + 1)));
        let _ = sel;
        // the selected row is the reversed one
        let y = (0..b.area.height).find(|&y| {
            b[(0, y)]
                .modifier
                .contains(ratatui::style::Modifier::REVERSED)
                || b[(4, y)]
                    .modifier
                    .contains(ratatui::style::Modifier::REVERSED)
        });
        if let Some(y) = y {
            let row: String = (0..b.area.width).map(|x| b[(x, y)].symbol()).collect();
            if row.contains(needle) {
                return;
            }
        }
        press(v, KeyCode::Char('j'));
    }
    panic!("no row with {needle:?}");
}

/// ag-456 plus an `agent.error` in turn 2 whose traceback is in structlog's `exception`.
fn with_agent_error() -> Vec<LogEntry> {
    let mut entries = ag456();
    let last = entries.last().unwrap().clone();
    let line = r#"{"event":"agent.error","turn":2,"error":"KeyError: 'diff'","exception":"Traceback (most recent call last):\n  File \"/app/vulnsentinel/agents/base.py\", line 231, in run\n    output = await self.dispatch_tool(call)\nKeyError: 'diff'","agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","level":"error","logger":"vulnsentinel.agent"}"#;
    entries.push(LogEntry::new(
        last.ts - 1_000_000,
        Arc::clone(&last.labels),
        line,
    ));
    entries.sort_by_key(|e| e.ts);
    entries
}

#[test]
fn timeline_shows_tool_args_and_output_sizes_like_the_text_replay() {
    let v = TimelineView::new(build_runs(&ag456()).pop().unwrap());
    let s = text(&draw(&v, 100, 30));
    assert!(
        s.contains(r#"│ args {"repo":"curl/curl","sha":"abc123"}"#),
        "{s}"
    );
    assert!(
        s.contains("TOOL fetch_commit_diff 556 ms · output 1,523 chars"),
        "{s}"
    );
    assert!(
        s.contains("TOOL submit_classification 18 ms · output 64 chars"),
        "{s}"
    );
    assert!(s.contains(r#""confidence":0.92}"#), "{s}");
}

#[test]
fn long_tool_args_show_their_first_line_and_expand_to_all() {
    let mut v = TimelineView::new(build_runs(&ag456()).pop().unwrap());
    let (w, h) = (60, 30);
    draw(&v, w, h);
    select(&mut v, w, h, "TOOL submit_classification");
    let s = text(&draw(&v, w, h));
    assert!(s.contains(r#"│ args {"target_id":"evt-789", …"#), "{s}");
    assert!(!s.contains(r#""confidence":0.92}"#), "{s}");
    press(&mut v, KeyCode::Enter);
    let s = text(&draw(&v, w, h));
    assert!(
        s.contains(r#"│ "label":"security_fix","confidence":0.92}"#),
        "{s}"
    );
    assert!(!s.contains(" …\n"), "{s}");
}

#[test]
fn agent_error_expands_to_the_traceback_in_exception() {
    let mut v = TimelineView::new(build_runs(&with_agent_error()).pop().unwrap());
    let (w, h) = (100, 40);
    draw(&v, w, h);
    select(&mut v, w, h, "ERROR agent.error: KeyError: 'diff'");
    let s = text(&draw(&v, w, h));
    assert!(s.contains("▸ ✗ ERROR agent.error"), "{s}");
    press(&mut v, KeyCode::Enter);
    let s = text(&draw(&v, w, h));
    assert!(s.contains("│ Traceback (most recent call last):"), "{s}");
    assert!(
        s.contains("│     output = await self.dispatch_tool(call)"),
        "{s}"
    );
}

#[test]
fn raw_line_popup_shows_real_newlines_and_scrolls() {
    let mut v = TimelineView::new(build_runs(&with_agent_error()).pop().unwrap());
    let (w, h) = (80, 14);
    draw(&v, w, h);
    select(&mut v, w, h, "ERROR agent.error");
    press(&mut v, KeyCode::Char('r'));
    let s = text(&draw(&v, w, h));
    assert!(s.contains("raw log line"), "{s}");
    assert!(s.contains("Traceback (most recent call last):"), "{s}");
    assert!(!s.contains(r"last):\n"), "escaped newline shown:\n{s}");
    // the popup (60% of 14 rows) cannot hold the line: it scrolls
    assert!(s.contains("1–"), "{s}");
    let first = s
        .lines()
        .find(|l| l.contains("│{\"event\""))
        .map(str::to_string);
    assert!(first.is_some(), "{s}");
    press(&mut v, KeyCode::Char('G'));
    let s2 = text(&draw(&v, w, h));
    assert!(!s2.contains("│{\"event\""), "{s2}");
    assert!(s2.contains("ntinel.agent\"}"), "{s2}");
    press(&mut v, KeyCode::Char('g'));
    assert!(text(&draw(&v, w, h)).contains("│{\"event\""));
    press(&mut v, KeyCode::Esc);
    assert!(!text(&draw(&v, w, h)).contains("raw log line"));
}

#[test]
fn time_column_does_not_shift_past_ten_seconds() {
    // the second turn 20 s later: offsets +1.853s and +23.740s share one column
    let entries: Vec<LogEntry> = ag456()
        .into_iter()
        .map(|mut e| {
            if e.line.contains("\"turn\":2")
                || e.line.contains("tc-2")
                || e.line.contains("agent.done")
            {
                e.ts += 20_000_000_000;
            }
            e
        })
        .collect();
    let v = TimelineView::new(build_runs(&entries).pop().unwrap());
    let b = draw(&v, 100, 30);
    let s = text(&b);
    let col = |needle: &str| {
        s.lines()
            .filter(|l| l.contains(needle))
            .map(|l| l.chars().count() - l.split(needle).next().unwrap().chars().count())
            .collect::<Vec<_>>()
    };
    let llm = col("LLM  tool_use");
    assert_eq!(llm.len(), 2, "{s}");
    assert_eq!(llm[0], llm[1], "{s}");
    assert!(s.contains("+2"), "{s}");
    let secs = |l: &str| l.contains("s ") && l.trim_start().starts_with('+');
    let ends: Vec<usize> = s
        .lines()
        .filter(|l| secs(l) && !l.starts_with('▾'))
        .map(|l| l.find("s ").unwrap())
        .collect();
    assert!(ends.windows(2).all(|w| w[0] == w[1]), "{ends:?}\n{s}");
}

#[test]
fn expanding_a_short_message_does_not_repeat_it() {
    let mut v = TimelineView::new(build_runs(&ag456()).pop().unwrap());
    let (w, h) = (100, 30);
    draw(&v, w, h);
    select(&mut v, w, h, "tool tc-2:");
    let rows = text(&draw(&v, w, h));
    assert!(
        !rows.contains("▸ tool tc-2"),
        "a message shown whole has no fold mark:\n{rows}"
    );
    press(&mut v, KeyCode::Enter);
    let s = text(&draw(&v, w, h));
    assert_eq!(s.matches(r#""event_id": "evt-789""#).count(), 1, "{s}");
    assert_eq!(s, rows);
}

#[test]
fn an_error_outside_any_turn_expands_to_its_traceback() {
    let mut entries = ag456();
    let first = entries[0].clone();
    let line = r#"{"event":"agent.error","error":"ConfigError: no model","exception":"Traceback (most recent call last):\n  File \"/app/vulnsentinel/agents/base.py\", line 12, in setup\nConfigError: no model","agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","level":"error","logger":"vulnsentinel.agent"}"#;
    // after agent.start, before the first turn (+0.013s)
    entries.push(LogEntry::new(
        first.ts + 1_000_000,
        Arc::clone(&first.labels),
        line,
    ));
    entries.sort_by_key(|e| e.ts);
    let run = build_runs(&entries).pop().unwrap();
    assert!(run.errors.iter().any(|e| e.turn.is_none()));
    let mut v = TimelineView::new(run);
    let (w, h) = (100, 40);
    draw(&v, w, h);
    select(&mut v, w, h, "✗ agent.error: ConfigError: no model");
    assert!(text(&draw(&v, w, h)).contains("▸ ✗ agent.error"));
    press(&mut v, KeyCode::Enter);
    let s = text(&draw(&v, w, h));
    assert!(s.contains("▾ ✗ agent.error"), "{s}");
    assert!(
        s.contains("│   File \"/app/vulnsentinel/agents/base.py\", line 12"),
        "{s}"
    );
    press(&mut v, KeyCode::Enter);
    assert!(!text(&draw(&v, w, h)).contains("line 12, in setup"));
}
