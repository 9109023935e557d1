//! A minimal terminal loop for `vs-logs replay --tui`, so the timeline works on its own before
//! (and besides) the explorer: the runs list when an id was reused, else the timeline.
//! The terminal is restored on every path: normal exit, error (the guard) and panic (ratatui's
//! hook installed by `try_init`).

use crossterm::event::{self, Event, KeyEventKind};
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

fn event_loop(terminal: &mut DefaultTerminal, runs: Vec<AgentRun>) -> std::io::Result<()> {
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
        let Event::Key(key) = event::read()? else {
            continue;
        };
        if key.kind != KeyEventKind::Press {
            continue;
        }
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

/// Runs the loop on the real terminal (blocking) until the user quits.
pub fn run_blocking(runs: Vec<AgentRun>) -> anyhow::Result<()> {
    if runs.is_empty() {
        anyhow::bail!("no run to show");
    }
    let mut terminal = ratatui::try_init().map_err(|e| {
        ratatui::restore();
        anyhow::anyhow!("cannot open the terminal for the timeline ({e}); run without --tui")
    })?;
    let _restore = Restore;
    event_loop(&mut terminal, runs)?;
    Ok(())
}
