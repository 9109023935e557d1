#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The explorer without a terminal: one sentence, exit 2, no escape codes.

use crate::support::bin::{refused_addr, run, vs_logs};

fn assert_needs_a_terminal(o: &crate::support::bin::Out) {
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(o.stdout, "", "nothing on stdout (no escape codes)");
    assert!(
        o.stderr
            .starts_with("vs-logs: the explorer needs a terminal"),
        "{}",
        o.stderr
    );
    assert_eq!(o.stderr.lines().count(), 1, "{}", o.stderr);
    assert!(!o.stderr.contains('\x1b'), "{:?}", o.stderr);
    assert!(!o.stderr.contains("os error"), "{}", o.stderr);
}

#[test]
fn tui_without_a_terminal_says_a_terminal_is_needed() {
    assert_needs_a_terminal(&run(vs_logs().args(["tui", "--demo"])));
    let addr = refused_addr();
    assert_needs_a_terminal(&run(vs_logs().args(["tui", "--addr", &addr])));
}

#[test]
fn replay_tui_without_a_terminal_says_a_terminal_is_needed() {
    assert_needs_a_terminal(&run(vs_logs().args(["replay", "ag-1", "--tui", "--demo"])));
}

#[test]
fn dashboard_without_a_terminal_says_a_terminal_is_needed() {
    // before: escape codes on stdout, then "No such device or address (os error 6)"
    assert_needs_a_terminal(&run(vs_logs().args(["dashboard", "--demo"])));
    assert_needs_a_terminal(&run(vs_logs()
        .args(["dashboard", "--stdin"])
        .write_stdin("{\"level\":\"error\"}\n")));
}
