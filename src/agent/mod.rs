//! Agent runs rebuilt from their log lines: the pure model, and the `replay` and `agents`
//! commands (`cli`).

pub mod cli;
