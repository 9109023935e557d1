//! Agent runs rebuilt from their log lines: the pure model, its renderings (text timeline, JSON,
//! diff, runs table) and the `replay` and `agents` commands (`cli`).

pub mod cli;
pub mod fetch;
pub mod model;
pub mod render;
