//! Test binary `cli`: the `vs-logs` binary end to end (arguments, exit codes, output modes,
//! config, follow, tail) and the CLI front ends' rendered output (`replay`, `agents`).
//!
//! What belongs here: tests that run the binary (`support::bin::vs_logs()`, or
//! `env!("CARGO_BIN_EXE_vs-logs")`) or call a CLI command's entry point and check what it prints.
//! Talk to Loki through `support::loki_stub::LokiStub` (never a hand-written server).
//!
//! Adding tests: put them in a new file `tests/cli/<topic>.rs` and list it below as
//! `mod <topic>;`. Do not add files directly under `tests/`: each one is a separate binary that
//! links the whole crate. Insta snapshots of module `<topic>` live in
//! `tests/cli/snapshots/cli__<topic>__<name>.snap`.
//!
//! Run one module: `cargo test --test cli <topic>::`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod agents;
mod drill;
mod follow;
mod headers;
mod hostile;
mod labels_hint;
mod limits;
mod local;
mod loki;
mod loki_faults;
mod meta;
mod metric_conformance;
mod metrics;
mod multiline;
mod replay;
mod stub;
mod tail;
mod terminal;
mod usage;
mod wording;
