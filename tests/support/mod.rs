//! Shared by every test binary (`tests/{cli,engine,loki,tui}/main.rs` include it with
//! `#[path = "../support/mod.rs"] mod support;`): the one Loki stub, the wire captures, running
//! the binary, running under an address-space limit, the agent fixtures, the LogQL conformance
//! data. Not every binary uses every part.
#![allow(dead_code, unused_imports, clippy::unwrap_used, clippy::expect_used)]

pub mod agent;
pub mod bin;
pub mod bounded;
pub mod conformance;
pub mod loki_stub;

use std::path::PathBuf;

/// A capture from `tests/fixtures/loki-wire`, byte for byte.
pub fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/loki-wire")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}
