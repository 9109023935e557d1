//! Entering and leaving the terminal's interactive state. Restoring is idempotent and runs on
//! every exit path: normal return and errors (the guard's `Drop`), panics (the hook), and
//! SIGTERM/SIGHUP (the loop ends, the guard drops).

use std::io::{Stdout, Write, stdout};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// Whether the terminal is in the explorer's state (raw mode, alternate screen, mouse): what
/// `restore` undoes, once.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Writes the sequences that undo `enter`: bracketed paste and mouse reporting off, back to the
/// main screen, cursor shown.
fn write_restore(out: &mut impl Write) -> std::io::Result<()> {
    execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    )?;
    out.flush()
}

/// Leaves every mode an interactive program may have set, whether or not it did: the restore
/// sequences, focus reporting, the keyboard enhancement flags and colours. For the supervising
/// parent (`supervise`), which cannot know how far a child that was killed had come.
pub(crate) fn write_reset(out: &mut impl Write) -> std::io::Result<()> {
    execute!(
        out,
        crossterm::style::ResetColor,
        crossterm::event::DisableFocusChange,
        crossterm::event::PopKeyboardEnhancementFlags
    )?;
    write_restore(out)
}

/// Undoes everything `enter` did; does nothing when the terminal is not in that state, so it is
/// safe to call more than once and from the panic hook at any time.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        // Sequences first: a supervising parent that finds raw mode off takes the rest as done.
        let _ = write_restore(&mut stdout());
        let _ = disable_raw_mode();
    }
}

/// Restores the terminal when dropped.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Installs (once per process) a panic hook that restores the terminal before the panic message
/// is printed, so the message lands on the main screen and the shell is usable afterwards.
fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// Raw mode, alternate screen, mouse and bracketed paste; a panic hook that restores first.
pub fn enter() -> std::io::Result<(Terminal<CrosstermBackend<Stdout>>, Guard)> {
    install_panic_hook();
    // Active before the first change, so a failure half-way is undone too (by the guard).
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = Guard;
    enable_raw_mode()?;
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )?;
    let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok((terminal, guard))
}

/// Writes a raw sequence (OSC 52 clipboard) straight to the terminal.
pub fn write_raw(s: &str) {
    let mut out = stdout();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_restore_sequence_leaves_every_mode_enter_set() {
        let mut out = Vec::new();
        write_restore(&mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        for (what, seq) in [
            ("bracketed paste off", "\x1b[?2004l"),
            ("mouse reporting off", "\x1b[?1000l"),
            ("main screen", "\x1b[?1049l"),
            ("cursor shown", "\x1b[?25h"),
        ] {
            assert!(s.contains(seq), "{what}: {s:?}");
        }
    }

    #[test]
    fn the_reset_sequence_also_leaves_what_other_programs_set() {
        let mut out = Vec::new();
        write_reset(&mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        for (what, seq) in [
            ("bracketed paste off", "\x1b[?2004l"),
            ("mouse reporting off", "\x1b[?1000l"),
            ("any-motion mouse off", "\x1b[?1003l"),
            ("main screen", "\x1b[?1049l"),
            ("cursor shown", "\x1b[?25h"),
            ("focus events off", "\x1b[?1004l"),
            ("keyboard enhancement popped", "\x1b[<1u"),
        ] {
            assert!(s.contains(seq), "{what}: {s:?}");
        }
    }

    #[test]
    fn a_panic_while_active_restores_and_restoring_is_once() {
        install_panic_hook();
        ACTIVE.store(true, Ordering::SeqCst);
        let r = std::panic::catch_unwind(|| panic!("boom in the explorer"));
        assert!(r.is_err());
        assert!(
            !ACTIVE.load(Ordering::SeqCst),
            "the hook restored the terminal"
        );
        // Nothing left to undo: a second restore (the guard's) is a no-op.
        restore();
        assert!(!ACTIVE.load(Ordering::SeqCst));
    }
}
