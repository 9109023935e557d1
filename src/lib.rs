//! vs-logs: a terminal log explorer for Grafana Loki.
//!
//! Layers, data flowing one way (a module uses its own layer and the ones below; the test in
//! `layers.rs` checks every import):
//! - pure core: `model`, `logql`, `agent::model`, `agent::render`, `scenes`, `output`,
//!   `sanitize`, `timespec`, `secret`, `dashboard` (panels, Grafana import), `drill` (patterns,
//!   field stats, log context): no I/O, no tokio, no files;
//! - I/O: `loki`, `source`, `tail` (the engine), `backend`, `config` (with the user's scenes),
//!   `session` (what every front end works in), `agent::fetch` and `agent::find` (which never
//!   print);
//! - front ends: `tui` (the only user of ratatui/crossterm), then `cli` (the only user of clap:
//!   it parses arguments into plain requests and starts the commands and the TUI).

pub mod agent;
pub mod backend;
pub mod cli;
pub mod config;
pub mod dashboard;
pub mod drill;
pub mod logql;
pub mod loki;
pub mod model;
pub mod output;
pub mod sanitize;
pub mod scenes;
pub mod secret;
pub mod session;
pub mod source;
pub mod tail;
pub mod timespec;
pub mod tui;

pub use cli::run;

#[cfg(test)]
mod layers;
