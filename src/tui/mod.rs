//! The interactive explorer (`vs-logs tui`). The only module that touches ratatui/crossterm.
//!
//! Shape: one `App` owned by the loop (`event_loop`), changed only by
//! `update(&mut App, Msg) -> Vec<Command>` (no I/O: tested directly); the loop executes the
//! commands in background tasks whose owned results come back as messages tagged with a
//! generation (stale ones are dropped); `render(frame, &App)` only draws.
//!
//! Entry: `run(session, TuiStart)`; the start request says which query, scene, range or agent
//! run to open (`vs-logs tui`, `vs-logs replay --tui`).

pub mod agent_view;
pub mod app;
pub mod chart;
pub mod dash;
pub mod drill;
mod event_loop;
pub mod export;
pub mod fields;
pub mod history;
pub mod input;
pub mod keys;
pub mod keyspec;
pub mod layout;
pub mod metric;
pub mod msg;
pub mod render;
pub mod row;
mod start;
pub mod store;
pub mod supervise;
mod terminal;
pub mod testkit;
pub mod update;
pub mod volume;

pub use app::{App, View};
pub use event_loop::panel_answer;
pub use msg::{Command, Msg};
pub use render::render;
pub use start::{AgentStart, TuiStart, start};
pub use update::update;

use crate::session::Session;

/// Runs the explorer until the user quits; the terminal is restored on every path (normal
/// exit, error, panic, SIGTERM/SIGHUP).
pub async fn run(session: Session, req: TuiStart) -> anyhow::Result<()> {
    let (mut app, mut initial) = start(&session, &req)?;
    let history_path = history::default_path();
    if let Some(p) = &history_path {
        app.editor.history = history::History::load(p);
    }
    if let Ok((w, h)) = crossterm::terminal::size() {
        // the dashboard plans its steps for the real width: that plan replaces the first
        let replanned = update(&mut app, Msg::Resize(w, h));
        if replanned
            .iter()
            .any(|c| matches!(c, Command::FetchPanels { .. }))
        {
            initial.retain(|c| !matches!(c, Command::FetchPanels { .. }));
        }
        initial.extend(replanned);
    }
    let (mut terminal, guard) = terminal::enter()?;
    let events = crossterm::event::EventStream::new();
    let result = event_loop::run(
        &mut terminal,
        events,
        &mut app,
        &session,
        history_path,
        initial,
    )
    .await;
    drop(guard);
    result
}
