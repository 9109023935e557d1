//! Agent-run views for the TUI: a run's timeline and the list of runs.
//!
//! # API for the explorer (branch `tui`)
//!
//! Both views are self-contained state structs; the app owns them, feeds them keys and gives
//! them a rectangle to draw in. They never do I/O: fetching lines is the app's job.
//!
//! ```ignore
//! use vs_logs::agent::model::build_runs_with;
//! use vs_logs::agent::find::summarize;
//! use vs_logs::agent::fetch::{replay_query, agents_query};
//! use vs_logs::tui::agent_view::{AgentsView, TimelineView, ViewAction};
//!
//! // Pivot from a log line with an `agent_id`: query `replay_query(app, id)` (forward,
//! // limit 0), then
//! let runs = build_runs_with(&entries, &session.build_options()?);
//! let mut view = TimelineView::new(runs.last().cloned().unwrap()); // latest attempt
//! // Agents list: query `agents_query(app, None)`, then
//! let mut list = AgentsView::new(summarize(&entries, &opts, None, None), "last 24h");
//!
//! // Each frame / key:
//! view.render(frame, area);                 // draws only the visible rows
//! match view.handle_key(key) {
//!     ViewAction::None => {}                // handled; redraw
//!     ViewAction::Unhandled => { /* the app's own keys (help, quit…) */ }
//!     ViewAction::Close => { /* go back to where the user came from */ }
//!     ViewAction::OpenRun { agent_id, start_ns } => { /* fetch that run, open its timeline;
//!                                                     pick the run whose start is start_ns */ }
//! }
//! ```
//!
//! Keys come from the key tables (`tui::keys`: `Screen::Timeline`, `Screen::Runs`; `handle`
//! takes the user's `KeyMap`, `handle_key` the defaults). Timeline: `j/k`/arrows move,
//! PgUp/PgDn, `g/G`, Enter/space fold a turn or expand a message/traceback/tool args, `z`
//! fold all, `e`/`E` next/previous error, `r` the raw log line of the entry (scrolls with the
//! movement keys), `q`/Esc close. Agents list (newest first): `j/k`,
//! `g/G`, `e` next failed run, Enter open, `A/D/C/T/S` sort by start, duration, cost, tokens,
//! status (again: reverse), `f`/`t` cycle the status/type filter, `q`/Esc close.
//!
//! `vs-logs replay --tui` opens the explorer's own loop on these views (`tui::TuiStart::agent`).

mod agents_list;
mod raw_popup;
mod rows;
mod runs_order;
pub mod style;
mod timeline;
mod timeline_render;

pub use agents_list::AgentsView;
pub use rows::RowKind;
pub use runs_order::{RunsOrder, SortKey};
pub use timeline::TimelineView;
pub use timeline_render::cumulative_costs;

use ratatui::Frame;
use ratatui::layout::Rect;

/// What a view asks of its host after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewAction {
    /// The key was handled (state may have changed: redraw).
    None,
    /// Not a key of this view: the host may use it.
    Unhandled,
    /// The user leaves the view.
    Close,
    /// Open the timeline of this run (from the agents list).
    OpenRun { agent_id: String, start_ns: i64 },
}

impl TimelineView {
    /// Draws the timeline into `area` (header and totals always visible).
    pub fn render(&self, frame: &mut Frame, area: Rect) {
        timeline_render::render(self, frame, area);
    }
}
