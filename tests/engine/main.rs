//! Test binary `engine`: the pure core and local I/O without a network or a terminal — the LogQL
//! parser and evaluator (Loki conformance data, fuzzing), local sources, file following, the
//! agent model on demo data.
//!
//! What belongs here: tests that call library functions directly on in-memory or local-file
//! data. Tests needing a Loki go to `tests/loki/` (client) or `tests/cli/` (binary); tests
//! drawing frames go to `tests/tui/`.
//!
//! Adding tests: put them in a new file `tests/engine/<topic>.rs` and list it below as
//! `mod <topic>;`. Do not add files directly under `tests/`: each one is a separate binary that
//! links the whole crate. Insta snapshots of module `<topic>` live in
//! `tests/engine/snapshots/engine__<topic>__<name>.snap`.
//!
//! Run one module: `cargo test --test engine <topic>::`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod agent_demo;
mod conformance_log;
mod conformance_metric;
mod drill_patterns;
mod fuzz;
mod local_metric;
mod local_source;
mod tail_file;
