//! An explorer killed where no cleanup can run (`kill -9`, `kill -SEGV`) still gives the
//! terminal back: its supervising parent restores the saved settings, leaves the alternate
//! screen, shows the cursor, turns mouse reporting off and says what happened; the shell then
//! reads a line as usual (echo and Enter work: raw mode is off) and sees 128 + the signal.
//!
//! In tmux, like `tmux.rs` (skipped with a notice without it).

use std::process::Command;
use std::time::{Duration, Instant};

use crate::tmux::{Tmux, bin, ready, start};

/// The pid of a child of `parent`, from `/proc/*/stat` (field 4 is the parent's pid).
fn child_of(parent: &str) -> Option<String> {
    for e in std::fs::read_dir("/proc").ok()?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        let Some(end) = stat.rfind(')') else {
            continue;
        };
        let fields: Vec<&str> = stat[end + 1..].split_whitespace().collect();
        if fields.get(1) == Some(&parent) && fields.first() != Some(&"Z") {
            return Some(name);
        }
    }
    None
}

fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        s.rfind(')')
            .and_then(|i| s[i + 1..].split_whitespace().next())
            .is_some_and(|state| state != "Z")
    })
}

/// The modes the terminal is in: alternate screen, cursor shown, any mouse reporting.
fn modes(t: &Tmux) -> String {
    t.display("#{alternate_on} #{cursor_flag} #{mouse_any_flag}")
}

/// Starts `command` (an explorer on the demo) from a shell in tmux, kills the explorer
/// process (the supervisor's child) with `signal` and checks the terminal is back.
fn killed_explorer_gives_the_terminal_back(name: &str, command: &str, signal: &str, number: u8) {
    if !ready() {
        return;
    }
    let t = Tmux::new(name);
    start(&t, "sh");
    t.wait("the shell", |t| {
        t.display("#{pane_current_command}") == "sh"
    });
    // (no core file from the SIGSEGV)
    t.keys(&[&format!("ulimit -c 0; {} {command}", bin()), "Enter"]);
    t.wait("the explorer to draw", |t| {
        let s = t.capture();
        s.contains("vs-logs") && !s.contains("querying") && modes(t) == "1 0 1"
    });
    let shell = t.display("#{pane_pid}");
    let mut parent = None;
    t.wait("the supervising parent", |_| {
        parent = child_of(&shell);
        parent.is_some()
    });
    let parent = parent.unwrap();
    let mut explorer = None;
    t.wait("the explorer process", |_| {
        explorer = child_of(&parent);
        explorer.is_some()
    });
    let explorer = explorer.unwrap();
    // Rust's own SIGSEGV handler (stack overflow detection) lets the first one from outside
    // pass and restores the default: send until the process is gone.
    let deadline = Instant::now() + Duration::from_secs(30);
    while alive(&explorer) && Instant::now() < deadline {
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &explorer])
            .status()
            .unwrap();
        assert!(sent.success() || !alive(&explorer));
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(!alive(&explorer), "the explorer survived SIG{signal}");
    let said = format!("was killed by signal {number} (SIG{signal})");
    t.wait("the terminal to be restored and the message", |t| {
        modes(t) == "0 1 0"
            && t.capture().contains(&said)
            && t.display("#{pane_current_command}") == "sh"
    });
    assert!(t.capture().contains("the terminal was restored"));
    // The shell reads a line again: echo on, Enter ends the line (raw mode is off).
    t.keys(&["echo \"code $?\" still-$((40+2))", "Enter"]);
    let expected = format!("code {} still-42", 128 + u16::from(number));
    t.wait("the shell to answer", |t| t.capture().contains(&expected));
    assert!(!alive(&parent), "the supervising parent ended");
}

#[test]
fn kill_9_of_the_explorer_restores_the_terminal() {
    killed_explorer_gives_the_terminal_back("kill9", "tui --demo", "KILL", 9);
}

#[test]
fn sigsegv_of_the_dashboard_restores_the_terminal() {
    killed_explorer_gives_the_terminal_back("segv", "dashboard --demo --utc", "SEGV", 11);
}
