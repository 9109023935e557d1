#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A multi-line record (issue 11.3: a traceback joined to its error line) in the TUI: the
//! table shows its first line and how many more it has; the details pane shows all of them.

use crossterm::event::KeyCode;
use ratatui::style::Color;

use vs_logs::model::LogEntry;
use vs_logs::tui::testkit::{NOW, app, code, entry, load, stream};
use vs_logs::tui::update;

use super::screens::{S, draw, find, text};

const RECORD: &str = "2026-11-25T09:59:59Z [error] job.failed  job=7\n\
                      Traceback (most recent call last):\n\
                      \x20 File \"/app/job.py\", line 3, in run\n\
                      \x20   raise ValueError(\"bad\")\n\
                      ValueError: bad\x1b]0;pwned\x07";

fn entries() -> Vec<LogEntry> {
    vec![
        entry(NOW - 2 * S, "api", "info", "request.end", r#""status":200"#),
        LogEntry::new(NOW - S, stream("app", "error"), RECORD),
        // A JSON line with a traceback joined under it keeps its event and fields.
        LogEntry::new(
            NOW,
            stream("agent", "error"),
            "{\"event\":\"agent.failed\",\"level\":\"error\",\"agent_id\":\"ag-1\"}\nTraceback (most recent call last):\nKeyError: 'x'",
        ),
    ]
}

#[test]
fn the_table_shows_a_multi_line_record_as_its_first_line_and_a_count() {
    let mut a = app(110, 14);
    a.volume.show = false;
    load(&mut a, r#"{app="vulnsentinel"}"#, entries());
    let t = draw(&a);
    insta::assert_snapshot!("multiline_table", t.backend());
    let s = text(t.backend().buffer());
    assert!(s.contains("[error] job.failed  job=7 ↵ +4 lines"), "{s}");
    assert!(s.contains("agent.failed agent_id=ag-1 ↵ +2 lines"), "{s}");
    assert!(!s.contains("Traceback"), "{s}");
    assert!(
        !s.contains("^[]0;pwned"),
        "only the first line is in the table: {s}"
    );
}

#[test]
fn the_details_pane_shows_every_line_of_the_record_sanitised() {
    let mut a = app(110, 30);
    a.volume.show = false;
    load(&mut a, r#"{app="vulnsentinel"}"#, entries());
    // Newest first: the JSON record, then the multi-line text record.
    update(&mut a, code(KeyCode::Down));
    update(&mut a, code(KeyCode::Enter));
    let t = draw(&a);
    insta::assert_snapshot!("multiline_details", t.backend());
    let s = text(t.backend().buffer());
    for l in [
        "Traceback (most recent call last):",
        "  File \"/app/job.py\", line 3, in run",
        "    raise ValueError(\"bad\")",
        "ValueError: bad^[]0;pwned^G",
    ] {
        assert!(s.contains(l), "{l:?} missing:\n{s}");
    }
    assert!(!s.contains('\x1b'));
    let b = t.backend().buffer();
    let (x, y) = find(b, "ValueError: bad").unwrap();
    assert_ne!(b[(x, y)].fg, Color::DarkGray);
}
