//! A minimal terminal loop for `vs-logs replay --tui`, so the timeline works on its own before
//! (and besides) the explorer: the runs list when an id was reused, else the timeline.
//! The terminal is restored on every path: normal exit, error (the guard), panic (ratatui's
//! hook installed by `try_init`), and SIGTERM/SIGHUP (`watch_signals` raises a flag the loop
//! polls; the loop ends and the guard drops).

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, Event, KeyEvent, KeyEventKind};
use ratatui::DefaultTerminal;

use super::{AgentsView, TimelineView, ViewAction};
use crate::agent::model::AgentRun;

/// Restores the terminal when dropped, whatever way the loop ends.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// How often the loop looks at the stop flag while no key arrives.
const POLL: Duration = Duration::from_millis(100);

/// Raises the returned flag on SIGTERM or SIGHUP: the blocking loop cannot await signals, so
/// it polls the flag between terminal events. Needs a tokio runtime.
pub fn watch_signals() -> io::Result<Arc<AtomicBool>> {
    use tokio::signal::unix::{SignalKind, signal};
    let stop = Arc::new(AtomicBool::new(false));
    let mut term = signal(SignalKind::terminate())?;
    let mut hup = signal(SignalKind::hangup())?;
    let flag = Arc::clone(&stop);
    tokio::spawn(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = hup.recv() => {}
        }
        flag.store(true, Ordering::SeqCst);
    });
    Ok(stop)
}

/// The next key press, or `None` once `stop` is raised. `poll` waits at most the given time
/// for a terminal event (crossterm's `poll` + `read` on the real terminal).
fn next_key(
    stop: &AtomicBool,
    mut poll: impl FnMut(Duration) -> io::Result<Option<Event>>,
) -> io::Result<Option<KeyEvent>> {
    loop {
        if stop.load(Ordering::SeqCst) {
            return Ok(None);
        }
        if let Some(Event::Key(key)) = poll(POLL)?
            && key.kind == KeyEventKind::Press
        {
            return Ok(Some(key));
        }
    }
}

fn poll_terminal(wait: Duration) -> io::Result<Option<Event>> {
    if event::poll(wait)? {
        event::read().map(Some)
    } else {
        Ok(None)
    }
}

enum Screen {
    List(AgentsView),
    Timeline(Box<TimelineView>),
}

fn timeline_of(runs: &[AgentRun], i: usize) -> Option<TimelineView> {
    let run = runs.get(i)?.clone();
    let view = TimelineView::new(run);
    Some(if runs.len() > 1 {
        view.with_note(format!(
            "run {} of {} sharing this id (a retried run): q returns to the list",
            i + 1,
            runs.len()
        ))
    } else {
        view
    })
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    runs: Vec<AgentRun>,
    stop: &AtomicBool,
) -> io::Result<()> {
    let list = || Screen::List(AgentsView::from_runs(&runs, "runs sharing this id"));
    let mut screen = match runs.len() {
        1 => match timeline_of(&runs, 0) {
            Some(t) => Screen::Timeline(Box::new(t)),
            None => return Ok(()),
        },
        _ => list(),
    };
    loop {
        terminal.draw(|f| match &screen {
            Screen::List(v) => v.render(f, f.area()),
            Screen::Timeline(v) => v.render(f, f.area()),
        })?;
        let Some(key) = next_key(stop, poll_terminal)? else {
            return Ok(());
        };
        let action = match &mut screen {
            Screen::List(v) => v.handle_key(key),
            Screen::Timeline(v) => v.handle_key(key),
        };
        match (action, &screen) {
            (ViewAction::Close, Screen::Timeline(_)) if runs.len() > 1 => screen = list(),
            (ViewAction::Close, _) => return Ok(()),
            (ViewAction::OpenRun { start_ns, .. }, _) => {
                let i = runs
                    .iter()
                    .position(|r| r.header.start_ns.unwrap_or(r.header.first_ns) == start_ns);
                if let Some(t) = i.and_then(|i| timeline_of(&runs, i)) {
                    screen = Screen::Timeline(Box::new(t));
                }
            }
            _ => {}
        }
    }
}

/// Runs the loop on the real terminal (blocking) until the user quits or `stop` is raised.
pub fn run_blocking(runs: Vec<AgentRun>, stop: &AtomicBool) -> anyhow::Result<()> {
    if runs.is_empty() {
        anyhow::bail!("no run to show");
    }
    let mut terminal = ratatui::try_init().map_err(|e| {
        ratatui::restore();
        anyhow::anyhow!("cannot open the terminal for the timeline ({e}); run without --tui")
    })?;
    let _restore = Restore;
    event_loop(&mut terminal, runs, stop)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn next_key_returns_presses_and_stops_on_the_flag() {
        let stop = AtomicBool::new(false);
        let mut events = vec![
            Some(Event::FocusGained),
            None,
            Some(Event::Key(KeyEvent::new(
                KeyCode::Char('j'),
                KeyModifiers::NONE,
            ))),
        ]
        .into_iter();
        let key = next_key(&stop, |_| Ok(events.next().flatten())).unwrap();
        assert_eq!(key.map(|k| k.code), Some(KeyCode::Char('j')));
        // No key ever comes: the raised flag ends the wait.
        let mut polls = 0;
        let got = next_key(&stop, |_| {
            polls += 1;
            if polls == 3 {
                stop.store(true, Ordering::SeqCst);
            }
            Ok(None)
        })
        .unwrap();
        assert!(got.is_none());
        assert_eq!(polls, 3);
    }

    #[tokio::test]
    async fn sighup_raises_the_stop_flag() {
        let stop = watch_signals().unwrap();
        assert!(!stop.load(Ordering::SeqCst));
        let status = std::process::Command::new("kill")
            .args(["-HUP", &std::process::id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        for _ in 0..500 {
            if stop.load(Ordering::SeqCst) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("SIGHUP did not raise the stop flag");
    }
}
