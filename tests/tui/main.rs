//! Test binary `tui`: screens drawn on ratatui's `TestBackend` (insta snapshots + style checks),
//! the agent views, and the real terminal end to end (tmux; skipped with a notice without it).
//!
//! What belongs here: anything that renders frames or drives the TUI's update loop with
//! messages and keys (`vs_logs::tui::testkit` builds apps and data).
//!
//! Adding tests: put them in a new file `tests/tui/<topic>.rs` and list it below as
//! `mod <topic>;`. Do not add files directly under `tests/`: each one is a separate binary that
//! links the whole crate. Insta snapshots of module `<topic>` live in
//! `tests/tui/snapshots/tui__<topic>__<name>.snap`.
//!
//! Run one module: `cargo test --test tui <topic>::`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod agent_timeline;
mod agent_views;
mod context;
mod drill;
mod drill_loki;
mod interaction;
mod metric_chart;
mod multiline;
mod runs_list;
mod screens;
mod small_screens;
mod status;
mod tmux;
mod tmux_abort;
mod volume;
mod wording;
