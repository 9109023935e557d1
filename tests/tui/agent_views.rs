#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The timeline and agents views on ratatui's TestBackend, driven by keys: snapshots of the
//! screens and checks of the styles that carry meaning (errors red, selection reversed).

use crate::support::agent::{ag456, failed_variant};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use vs_logs::agent::model::{AgentRun, build_runs};
use vs_logs::tui::agent_view::{AgentsView, TimelineView, ViewAction};

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn run_of(entries: &[vs_logs::model::LogEntry]) -> AgentRun {
    build_runs(entries).pop().unwrap()
}

/// The screen as text, one line per row, trailing blanks removed.
fn screen(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn row_of(buf: &Buffer, needle: &str) -> u16 {
    (0..buf.area.height)
        .find(|&y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .contains(needle)
        })
        .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{}", screen(buf)))
}

/// Column of the first cell of `needle` on row `y`.
fn col_of(buf: &Buffer, y: u16, needle: &str) -> u16 {
    let line: Vec<&str> = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
    let first = needle.chars().next().unwrap().to_string();
    (0..buf.area.width)
        .find(|&x| line[x as usize] == first && line[x as usize..].concat().starts_with(needle))
        .unwrap()
}

fn draw_timeline(v: &TimelineView, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| v.render(f, f.area())).unwrap();
    t.backend().buffer().clone()
}

#[test]
fn timeline_of_ag456() {
    let v = TimelineView::new(run_of(&ag456()));
    let buf = draw_timeline(&v, 100, 30);
    let text = screen(&buf);
    insta::assert_snapshot!("timeline_ag456", text);
    assert!(text.contains("Agent run ag-456"));
    assert!(text.contains("cost $0.0012 · tokens 3,200 in / 450 out"));
    // The waterfall: the 556 ms call has a longer bar than the 18 ms one.
    let bar_len = |needle: &str| {
        let y = row_of(&buf, needle);
        (0..100).filter(|&x| buf[(x, y)].symbol() == "█").count()
    };
    assert!(bar_len("TOOL fetch_commit_diff") > bar_len("TOOL submit_classification"));
    // Selection (first row) is reversed.
    let y = row_of(&buf, "Turn 1/5");
    assert!(buf[(2, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn timeline_errors_are_red_and_e_jumps_to_them() {
    let mut v = TimelineView::new(run_of(&failed_variant("ag-457")));
    assert_eq!(v.handle_key(key(KeyCode::Char('e'))), ViewAction::None);
    let first = v.selected();
    assert!(first > 0);
    let buf = draw_timeline(&v, 100, 30);
    insta::assert_snapshot!("timeline_failed", screen(&buf));
    // The tool error row is selected (reversed); the crash row is red and bold.
    let y = row_of(&buf, "ERROR agent.crashed");
    let x = col_of(&buf, y, "ERROR");
    assert_eq!(buf[(x, y)].fg, Color::Red);
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    let y = row_of(&buf, "TOOL submit_classification");
    let x = col_of(&buf, y, "TOOL");
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
    assert_eq!(buf[(x, y)].fg, Color::Red);
    // Escape bytes from the log are shown visibly.
    assert!(screen(&buf).contains("HTTP 503 from api ^[[31m"));

    v.handle_key(key(KeyCode::Char('e')));
    let second = v.selected();
    assert!(second > first);
    v.handle_key(key(KeyCode::Char('E')));
    assert_eq!(v.selected(), first);
    // Expanding the crash shows its traceback.
    v.handle_key(key(KeyCode::Char('e')));
    v.handle_key(key(KeyCode::Enter));
    let text = screen(&draw_timeline(&v, 100, 30));
    assert!(
        text.contains("│ Traceback (most recent call last):"),
        "{text}"
    );
    assert!(text.contains("│ ClassificationError: submit failed"));
}

#[test]
fn fold_expand_and_raw_line() {
    let mut v = TimelineView::new(run_of(&ag456()));
    // Fold turn 1.
    v.handle_key(key(KeyCode::Enter));
    let text = screen(&draw_timeline(&v, 100, 30));
    assert!(text.contains("▸ Turn 1/5"));
    assert!(!text.contains("TOOL fetch_commit_diff"));
    v.handle_key(key(KeyCode::Enter));
    // Down to the tool message (turn, llm, assistant, tool call, its args, tool message) and
    // expand it.
    for _ in 0..5 {
        v.handle_key(key(KeyCode::Char('j')));
    }
    v.handle_key(key(KeyCode::Enter));
    let text = screen(&draw_timeline(&v, 100, 30));
    insta::assert_snapshot!("timeline_expanded_message", text);
    assert!(text.contains("│ +  if(len > MAX_HTTP_RESP_HEADER_SIZE || len < 0)"));
    // Raw line of the selected entry.
    v.handle_key(key(KeyCode::Char('r')));
    let text = screen(&draw_timeline(&v, 100, 30));
    assert!(text.contains("raw log line"));
    assert!(text.contains(r#"{"event":"agent.message","role":"tool","tool_call_id":"tc-1""#));
    v.handle_key(key(KeyCode::Esc));
    assert!(!screen(&draw_timeline(&v, 100, 30)).contains("raw log line"));
    assert_eq!(v.handle_key(key(KeyCode::Char('q'))), ViewAction::Close);
    assert_eq!(v.handle_key(key(KeyCode::Char('?'))), ViewAction::Unhandled);
}

#[test]
fn header_stays_visible_when_scrolled_to_the_end() {
    let mut entries = ag456();
    // Many turns: repeat the two turns shifted in time under the same run.
    let base: Vec<_> = entries
        .iter()
        .filter(|e| !e.line.contains("agent.start") && !e.line.contains("agent.done"))
        .cloned()
        .collect();
    for k in 1..20i64 {
        for e in &base {
            let mut e = e.clone();
            e.ts += k * 4_000_000_000;
            e.line = e
                .line
                .replace("\"turn\":1", &format!("\"turn\":{}", 2 * k + 1));
            e.line = e
                .line
                .replace("\"turn\":2", &format!("\"turn\":{}", 2 * k + 2));
            entries.push(e);
        }
    }
    let mut v = TimelineView::new(run_of(&entries));
    assert_eq!(v.run().turns.len(), 40);
    v.handle_key(key(KeyCode::Char('G')));
    let text = screen(&draw_timeline(&v, 100, 24));
    assert!(text.contains("Agent run ag-456"));
    assert!(text.contains("tool tc-2:"), "last row visible:\n{text}");
    let n = v.selected() + 1;
    assert!(text.contains(&format!("q back {n}/{n}\n")), "{text}");
}

#[test]
fn agents_view_lists_runs_and_opens_one() {
    let mut entries = ag456();
    entries.extend(failed_variant("ag-457"));
    let runs = build_runs(&entries);
    let mut v = AgentsView::from_runs(&runs, "last 24h");
    let mut t = Terminal::new(TestBackend::new(110, 14)).unwrap();
    t.draw(|f| v.render(f, f.area())).unwrap();
    let buf = t.backend().buffer().clone();
    insta::assert_snapshot!("agents_view", screen(&buf));
    let y = row_of(&buf, "ag-457");
    let x = col_of(&buf, y, "failed");
    assert_eq!(buf[(x, y)].fg, Color::Red);
    let y = row_of(&buf, "ag-456");
    let x = col_of(&buf, y, "done");
    assert_eq!(buf[(x, y)].fg, Color::Green);

    assert_eq!(v.handle_key(key(KeyCode::Char('e'))), ViewAction::None);
    assert_eq!(v.selected(), 1);
    match v.handle_key(key(KeyCode::Enter)) {
        ViewAction::OpenRun { agent_id, start_ns } => {
            assert_eq!(agent_id, "ag-457");
            assert_eq!(Some(start_ns), runs[1].header.start_ns);
        }
        other => panic!("{other:?}"),
    }
}
