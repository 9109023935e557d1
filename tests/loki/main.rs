//! Test binary `loki`: the Loki client and the websocket tail against real wire captures and the
//! one Loki stub — decoding every response shape, paging, slicing, faults and their messages,
//! redirects, reconnecting tails — and the stub's own wire format against the captures.
//!
//! What belongs here: tests of `vs_logs::loki` and the Loki side of `vs_logs::tail`, through
//! `support::loki_stub::LokiStub` (its fault queue and tail script cover status codes, delays,
//! drops, 1006/1011 closes, silence and bad bodies; extend it rather than writing a server).
//!
//! Adding tests: put them in a new file `tests/loki/<topic>.rs` and list it below as
//! `mod <topic>;`. Do not add files directly under `tests/`: each one is a separate binary that
//! links the whole crate. Insta snapshots of module `<topic>` live in
//! `tests/loki/snapshots/loki__<topic>__<name>.snap`.
//!
//! Run one module: `cargo test --test loki <topic>::`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod client;
mod decode;
mod faults;
mod sliced;
mod stub_wire;
mod tail_ws;
mod tls_transport;
