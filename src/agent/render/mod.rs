//! Renderings of runs for non-interactive output: the text timeline, the totals, the diff of
//! two runs, the runs table and the JSON documents. They write to any `impl Write`, so tests
//! render into a `Vec<u8>`.

pub mod diff;
pub mod fmt;
pub mod json;
pub mod runs_table;
pub mod timeline;
pub mod totals;
