#![allow(clippy::unwrap_used, clippy::expect_used)]
//! End-to-end in a real terminal: tmux runs `vs-logs tui --demo`, keys are sent, the pane is
//! captured and checked, the app quits (or gets SIGTERM), and the terminal is back to normal
//! (alternate screen left, pane title untouched by the demo's hostile lines).
//!
//! Skipped, with a notice, when tmux is missing (CI installs it) or when the binary has no
//! `tui` command yet.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub(crate) struct Tmux {
    socket: String,
    _dir: tempfile::TempDir,
    home: PathBuf,
}

impl Tmux {
    pub(crate) fn new(name: &str) -> Tmux {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_path_buf();
        Tmux {
            socket: format!("vs-logs-test-{name}-{}", std::process::id()),
            _dir: dir,
            home,
        }
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env("HOME", &self.home)
            .env("XDG_DATA_HOME", self.home.join("data"))
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .output()
            .unwrap()
    }

    pub(crate) fn display(&self, fmt: &str) -> String {
        let o = self.run(&["display-message", "-p", "-t", "t", fmt]);
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }

    pub(crate) fn capture(&self) -> String {
        let o = self.run(&["capture-pane", "-p", "-t", "t"]);
        String::from_utf8_lossy(&o.stdout).to_string()
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Polls until `ok` holds (a deadline against hangs, not a timing assertion).
    pub(crate) fn wait(&self, what: &str, mut ok: impl FnMut(&Tmux) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if ok(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("timed out waiting for {what}; pane:\n{}", self.capture());
    }
}

impl Tmux {
    /// Waits for the pane's process to end and gives its exit status (`"0"`, or `"sig 15"`).
    ///
    /// Under load tmux 3.3 can close the pane (pty EOF) and then leave the child a zombie,
    /// never reaping it, so `pane_dead_status` stays empty although the app has exited: the
    /// status is then read from the zombie's `/proc/<pid>/stat` (the kernel keeps it there
    /// until the parent reaps it).
    pub(crate) fn exit_status(&self, what: &str) -> String {
        let pid = self.display("#{pane_pid}");
        let mut status = String::new();
        self.wait(what, |t| {
            if t.display("#{pane_dead}") == "1" {
                let code = t.display("#{pane_dead_status}");
                let signal = t.display("#{pane_dead_signal}");
                if !code.is_empty() || !signal.is_empty() {
                    status = if signal.is_empty() {
                        code
                    } else {
                        format!("sig {signal}")
                    };
                    return true;
                }
            }
            match zombie_status(&pid) {
                Some(s) => {
                    status = s;
                    true
                }
                None => false,
            }
        });
        status
    }
}

/// The exit status of `pid` if it is a zombie: `/proc/<pid>/stat`'s state `Z` and its last
/// field, the status in `waitpid` form.
fn zombie_status(pid: &str) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // the command name (field 2) is in parentheses and may hold spaces
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    if fields.first() != Some(&"Z") {
        return None;
    }
    let raw: i32 = fields.last()?.parse().ok()?;
    let signal = raw & 0x7f;
    Some(if signal == 0 {
        ((raw >> 8) & 0xff).to_string()
    } else {
        format!("sig {signal}")
    })
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

pub(crate) fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_vs-logs")
}

pub(crate) fn ready() -> bool {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("NOTICE: tmux is not installed; skipping the real-terminal test");
        return false;
    }
    let help = Command::new(bin())
        .args(["tui", "--help"])
        .output()
        .unwrap();
    if !help.status.success() {
        eprintln!("NOTICE: this build has no `vs-logs tui` command yet; skipping");
        return false;
    }
    true
}

pub(crate) fn start(t: &Tmux, command: &str) {
    start_sized(t, command, 140, 40);
}

fn start_sized(t: &Tmux, command: &str, w: u16, h: u16) {
    let (w, h) = (w.to_string(), h.to_string());
    let o = t.run(&["new-session", "-d", "-s", "t", "-x", &w, "-y", &h, command]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    t.run(&["set-option", "-t", "t", "remain-on-exit", "on"]);
}

pub(crate) fn wait_for_results(t: &Tmux) {
    t.wait("the first results", |t| {
        let s = t.capture();
        s.contains("vs-logs") && s.contains(" lines") && !s.contains("querying")
    });
}

#[test]
fn demo_session_in_a_real_terminal() {
    if !ready() {
        return;
    }
    let t = Tmux::new("keys");
    start(&t, "sh");
    t.wait("the shell", |t| {
        t.display("#{pane_current_command}") == "sh"
    });
    let title_before = t.display("#{pane_title}");
    t.keys(&[&format!("{} tui --demo", bin()), "Enter"]);
    wait_for_results(&t);
    assert_eq!(t.display("#{alternate_on}"), "1");
    let screen = t.capture();
    assert!(screen.contains("time") && screen.contains("level") && screen.contains("message"));
    // move, open help, close it, search, open details
    t.keys(&["j", "j", "?"]);
    t.wait("the help", |t| {
        t.capture().contains("search in the results")
    });
    t.keys(&["Escape"]);
    t.wait("help closed", |t| {
        !t.capture().contains("search in the results")
    });
    t.keys(&["Enter"]);
    t.wait("the details pane", |t| t.capture().contains("details"));
    // (Escape alone: followed by a key in the same burst it reads as Alt+key)
    t.keys(&["Escape"]);
    t.wait("details closed", |t| !t.capture().contains("esc close"));
    t.keys(&["G", "g", "5"]);
    t.wait("the 12 h range to run", |t| {
        let s = t.capture();
        s.contains("last 12h") && !s.contains("querying")
    });
    // show the demo's hostile lines (they try to retitle the window)
    t.keys(&["7", "i", "C-u"]);
    t.run(&[
        "send-keys",
        "-t",
        "t",
        "-l",
        r#"{app="vulnsentinel"} |= "pwned""#,
    ]);
    t.keys(&["Enter"]);
    t.wait("the hostile lines", |t| {
        let s = t.capture();
        s.contains("^[]0;pwned^G") && !s.contains("querying")
    });
    assert_eq!(t.display("#{pane_title}"), title_before);
    // quit: the shell's screen is back, untouched by hostile lines
    t.keys(&["q"]);
    t.wait("the alternate screen to be left", |t| {
        t.display("#{alternate_on}") == "0" && t.display("#{pane_current_command}") == "sh"
    });
    assert_eq!(t.display("#{pane_title}"), title_before);
    assert!(!t.capture().contains("vs-logs  demo"));
    // the terminal is usable: the shell echoes what we type
    t.keys(&["echo still-ok", "Enter"]);
    t.wait("the shell to answer", |t| {
        t.capture().matches("still-ok").count() >= 2
    });
}

#[test]
fn sigterm_restores_the_terminal() {
    if !ready() {
        return;
    }
    let t = Tmux::new("term");
    start(&t, &format!("{} tui --demo", bin()));
    wait_for_results(&t);
    assert_eq!(t.display("#{alternate_on}"), "1");
    let pid = t.display("#{pane_pid}");
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let status = t.exit_status("the app to exit");
    assert_eq!(t.display("#{alternate_on}"), "0");
    assert_eq!(status, "0");
}

#[test]
fn help_at_80x24_scrolls_to_the_last_key_and_the_status_line_clears() {
    if !ready() {
        return;
    }
    let t = Tmux::new("help");
    start_sized(&t, &format!("{} tui --demo", bin()), 80, 24);
    wait_for_results(&t);
    // a note in the status line (the last row)
    t.keys(&["n"]);
    t.wait("the note", |t| {
        t.capture().contains("no search: press / first")
    });
    t.keys(&["?"]);
    t.wait("the help", |t| t.capture().contains("of 56 · j/k scroll"));
    assert!(!t.capture().contains("this help"), "{}", t.capture());
    t.keys(&["G"]);
    t.wait("the last key", |t| {
        let s = t.capture();
        s.contains("?  this help") && s.contains("35–56 of 56")
    });
    t.keys(&["Escape"]);
    t.wait("the help to close", |t| !t.capture().contains("j/k scroll"));
    let s = t.capture();
    let status = s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
    assert!(!s.contains("no search"), "the note stuck:\n{s}");
    assert!(status.contains(" lines"), "status line: {status:?}\n{s}");
    t.keys(&["q"]);
}

#[test]
fn dashboard_demo_shows_every_panel_with_data_and_quits() {
    if !ready() {
        return;
    }
    let t = Tmux::new("dash");
    start(&t, &format!("{} dashboard --demo --utc", bin()));
    t.wait("every panel answered", |t| {
        let s = t.capture();
        s.contains("VulnSentinel overview") && s.contains("panels ") && {
            // `panels N/N`
            s.split("panels ").nth(1).is_some_and(|r| {
                let frac: String = r.chars().take_while(|c| !c.is_whitespace()).collect();
                frac.split_once('/').is_some_and(|(a, b)| a == b)
            })
        }
    });
    let s = t.capture();
    for title in ["Errors", "API 5xx"] {
        assert!(s.contains(title), "{title} missing:\n{s}");
    }
    assert!(!s.contains("loading…"), "{s}");
    assert!(
        !s.contains("no data in range"),
        "a panel without data:\n{s}"
    );
    t.keys(&["q"]);
    let status = t.exit_status("the app to exit");
    assert_eq!(status, "0");
    assert_eq!(t.display("#{alternate_on}"), "0");
}

/// `--stdin` holds the log lines, so keys come from the terminal itself (`/dev/tty`); Enter
/// on the first panel (a count of errors) shows the error lines behind it, Esc comes back.
#[test]
fn dashboard_on_stdin_reads_keys_from_the_terminal_and_explores_a_panel() {
    if !ready() {
        return;
    }
    let data = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/logql-conformance/dataset.jsonl"
    );
    let t = Tmux::new("dash-stdin");
    start(
        &t,
        &format!("cat {data} | {} dashboard --stdin --utc", bin()),
    );
    let answered = |t: &Tmux| {
        let s = t.capture();
        s.contains("VulnSentinel overview")
            && s.split("panels ").nth(1).is_some_and(|r| {
                let frac: String = r.chars().take_while(|c| !c.is_whitespace()).collect();
                frac.split_once('/').is_some_and(|(a, b)| a == b)
            })
    };
    t.wait("every panel answered", answered);
    t.keys(&["Enter"]);
    t.wait("the error lines behind the first panel", |t| {
        let s = t.capture();
        s.contains(r#"{app="vulnsentinel", level="error"}"#)
            && s.contains("esc returns to the dashboard")
            && s.contains("error")
    });
    t.keys(&["Escape"]);
    t.wait("the dashboard again", answered);
    t.keys(&["q"]);
    assert_eq!(t.exit_status("the app to exit"), "0");
    assert_eq!(t.display("#{alternate_on}"), "0");
}
