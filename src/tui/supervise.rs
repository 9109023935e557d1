//! A supervising parent that gives the terminal back when the explorer dies without cleaning
//! up. A panic restores the terminal (the hook in `terminal`), but an abort cannot: a stack
//! overflow, SIGSEGV, SIGABRT, the kernel's OOM kill or `kill -9` end the process before any
//! code of ours runs, and the crate allows no unsafe signal handler. So on unix the explorer
//! runs as a child of a small parent (the same executable and arguments, with [`CHILD_ENV`]
//! set) that saved the terminal's settings before the start. When the child ends by a signal,
//! or leaves the terminal in raw mode, the parent puts the saved settings back, writes the
//! sequences that leave the explorer's modes and says what happened on stderr. The parent
//! forwards SIGTERM and SIGHUP, ignores SIGINT and SIGQUIT (the terminal sends them to the
//! child too) and otherwise only waits; a normal end adds nothing visible.

use std::process::ExitCode;

/// Set in the explorer's environment by its supervising parent: this process is the child and
/// runs the explorer itself.
pub const CHILD_ENV: &str = "VS_LOGS_TUI_CHILD";

/// Runs this command line again as a supervised child and returns its exit code, or `None`
/// when this process should run the explorer itself: it is the child already, stdout is not a
/// terminal (the explorer refuses that with its own message), there is no controlling
/// terminal, or the child cannot be started. `what` names the command in the message
/// (`vs-logs tui`).
#[cfg(unix)]
pub fn supervise(what: &str) -> Option<ExitCode> {
    use std::io::IsTerminal;
    if std::env::var_os(CHILD_ENV).is_some() || !std::io::stdout().is_terminal() {
        return None;
    }
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()?;
    let saved = rustix::termios::tcgetattr(&tty).ok()?;
    let exe = std::env::current_exe().ok()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .ok()?;
    let status = match runtime.block_on(unix::run_child(&exe))? {
        Ok(status) => status,
        Err(e) => {
            // Started but not waited for: restore to be safe and say so.
            unix::restore(&tty, &saved);
            eprintln!("vs-logs: lost track of {what} ({e}); the terminal was restored");
            return Some(ExitCode::from(1));
        }
    };
    Some(unix::conclude(what, &tty, &saved, status))
}

/// Elsewhere the explorer always runs in this process.
#[cfg(not(unix))]
pub fn supervise(_what: &str) -> Option<ExitCode> {
    None
}

#[cfg(unix)]
mod unix {
    use std::fs::File;
    use std::io::Write;
    use std::os::unix::process::ExitStatusExt;
    use std::path::Path;
    use std::process::{ExitCode, ExitStatus};

    use rustix::process::{Pid, Signal, kill_process};
    use rustix::termios::{OptionalActions, Termios, tcgetattr, tcsetattr};
    use tokio::signal::unix::{SignalKind, signal};

    use super::CHILD_ENV;

    /// Starts the child and waits for it, forwarding SIGTERM/SIGHUP. `None`: it could not be
    /// started (the caller runs the explorer itself); `Some(Err)`: started, then not waited for.
    pub async fn run_child(exe: &Path) -> Option<std::io::Result<ExitStatus>> {
        // Listening before the start: a SIGTERM at any moment reaches the child.
        let mut term = signal(SignalKind::terminate()).ok()?;
        let mut hup = signal(SignalKind::hangup()).ok()?;
        let mut int = signal(SignalKind::interrupt()).ok()?;
        let mut quit = signal(SignalKind::quit()).ok()?;
        let mut child = tokio::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env(CHILD_ENV, "1")
            .spawn()
            .ok()?;
        let pid = child
            .id()
            .and_then(|id| i32::try_from(id).ok())
            .and_then(Pid::from_raw);
        let forward = |sig: Signal| {
            if let Some(pid) = pid {
                let _ = kill_process(pid, sig);
            }
        };
        loop {
            tokio::select! {
                status = child.wait() => return Some(status),
                _ = term.recv() => forward(Signal::TERM),
                _ = hup.recv() => forward(Signal::HUP),
                // The terminal's own Ctrl-C and Ctrl-\ reach the child as well: not twice.
                _ = int.recv() => {}
                _ = quit.recv() => {}
            }
        }
    }

    /// The parent's exit code (the child's, or 128 + the signal as a shell reports it), after
    /// restoring the terminal if the child left it in the explorer's state.
    pub fn conclude(what: &str, tty: &File, saved: &Termios, status: ExitStatus) -> ExitCode {
        let left_raw = tcgetattr(tty).is_ok_and(|now| {
            now.local_modes != saved.local_modes || now.input_modes != saved.input_modes
        });
        let (code, restored) = outcome(status.signal(), status.code(), left_raw);
        if restored {
            restore(tty, saved);
            eprintln!("{}", message(what, status.signal(), status.code()));
        }
        ExitCode::from(code)
    }

    /// The exit code (the child's, or 128 + the signal as a shell reports it) and whether the
    /// terminal needs restoring: after any signal but a Ctrl-C that came before the explorer
    /// took the terminal (that ends it as it ends any command), and whenever raw mode was left.
    pub fn outcome(signal: Option<i32>, code: Option<i32>, left_raw: bool) -> (u8, bool) {
        let exit = match signal {
            Some(s) => 128 + s,
            None => code.unwrap_or(1),
        };
        let interrupted = signal == Some(Signal::INT.as_raw());
        let restore = left_raw || (signal.is_some() && !interrupted);
        (u8::try_from(exit).unwrap_or(1), restore)
    }

    /// The saved settings back, then the sequences that leave every mode the explorer sets.
    pub fn restore(tty: &File, saved: &Termios) {
        let _ = tcsetattr(tty, OptionalActions::Now, saved);
        let mut out = tty;
        let _ = crate::tui::terminal::write_reset(&mut out);
        let _ = out.flush();
    }

    /// What happened, in the words of `message`'s tests.
    pub fn message(what: &str, signal: Option<i32>, code: Option<i32>) -> String {
        match signal {
            Some(s) => {
                let (name, why) = describe(s);
                format!("{what} was killed by signal {s}{name}{why}; the terminal was restored")
            }
            None => format!(
                "{what} exited with code {} without restoring the terminal; the terminal was restored",
                code.unwrap_or(1)
            ),
        }
    }

    /// The signal's name and, for the usual ones, what sends it.
    fn describe(s: i32) -> (&'static str, &'static str) {
        let known: &[(Signal, &str, &str)] = &[
            (
                Signal::KILL,
                " (SIGKILL)",
                ": killed from outside, or by the kernel when memory ran out",
            ),
            (Signal::SEGV, " (SIGSEGV)", ": a crash (please report it)"),
            (
                Signal::ABORT,
                " (SIGABRT)",
                ": an abort, such as a stack overflow (please report it)",
            ),
            (Signal::BUS, " (SIGBUS)", ": a crash (please report it)"),
            (Signal::ILL, " (SIGILL)", ": a crash (please report it)"),
            (Signal::TERM, " (SIGTERM)", ""),
            (Signal::HUP, " (SIGHUP)", ""),
            (Signal::INT, " (SIGINT)", ""),
            (Signal::QUIT, " (SIGQUIT)", ""),
        ];
        known
            .iter()
            .find(|(sig, _, _)| sig.as_raw() == s)
            .map_or(("", ""), |(_, name, why)| (name, why))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_message_names_the_command_the_signal_and_the_restore() {
            let m = message("vs-logs tui", Some(9), None);
            assert!(
                m.starts_with("vs-logs tui was killed by signal 9 (SIGKILL)"),
                "{m}"
            );
            assert!(m.ends_with("the terminal was restored"), "{m}");
            let m = message("vs-logs dashboard", Some(11), None);
            assert!(m.contains("signal 11 (SIGSEGV): a crash"), "{m}");
            let m = message("vs-logs tui", Some(64), None);
            assert!(m.contains("signal 64; the terminal"), "{m}");
            let m = message("vs-logs tui", None, Some(3));
            assert!(
                m.contains("exited with code 3 without restoring the terminal"),
                "{m}"
            );
        }

        #[test]
        fn only_an_abnormal_end_restores_and_the_code_is_what_a_shell_reports() {
            assert_eq!(outcome(None, Some(0), false), (0, false));
            assert_eq!(outcome(None, Some(3), false), (3, false));
            assert_eq!(outcome(Some(9), None, false), (137, true));
            assert_eq!(outcome(Some(11), None, true), (139, true));
            assert_eq!(outcome(Some(6), None, true), (134, true));
            // Ctrl-C before the explorer started: an ordinary interrupted command
            assert_eq!(outcome(Some(2), None, false), (130, false));
            assert_eq!(outcome(Some(2), None, true), (130, true));
            // an exit that skipped the explorer's own restore (raw mode still on)
            assert_eq!(outcome(None, Some(1), true), (1, true));
        }
    }
}
