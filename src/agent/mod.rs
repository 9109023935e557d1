//! Agent runs rebuilt from their log lines: the pure model (`model`) and its renderings (text
//! timeline, JSON, diff, runs table: `render`), and the layer that finds runs for the front
//! ends (`fetch`, `find`: queries a backend, never prints). The `replay` and `agents` commands
//! are in `cli::commands`.

pub mod fetch;
pub mod find;
pub mod model;
pub mod render;
