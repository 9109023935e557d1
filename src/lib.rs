//! vs-logs: a terminal log explorer for Grafana Loki.
//!
//! Layers, data flowing one way: the pure core (`model`, `logql`, `agent` model, `scenes`,
//! `output`, `sanitize`, `timespec`) ← I/O (`loki`, `source`, `tail`, `backend`) ← front ends
//! (`cli`, `tui`).

pub mod agent;
pub mod backend;
pub mod base64;
pub mod cli;
pub mod config;
pub mod drill;
pub mod logql;
pub mod loki;
pub mod model;
pub mod output;
pub mod sanitize;
pub mod scenes;
pub mod secret;
pub mod source;
pub mod tail;
pub mod timespec;
pub mod tui;

pub use cli::run;
