//! Agent runs rebuilt from their log lines: the pure model (`model`), and the `replay` and
//! `agents` commands.
