//! Test binary `dashboard`: the dashboard core end to end (the built-in overview and an
//! imported Grafana dashboard run through the embedded engine), the dashboard screen on
//! ratatui's `TestBackend` (insta snapshots + style checks), and the CLI metric table/CSV
//! against the conformance data.
//!
//! Insta snapshots of module `<topic>` live in `tests/dashboard/snapshots/dashboard__<topic>__<name>.snap`.
//! Run one module: `cargo test --test dashboard <topic>::`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod app;
mod explore;
mod hostile_servers;
mod metric_table;
mod queries;
mod screen;
