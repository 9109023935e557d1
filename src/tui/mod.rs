//! The interactive explorer (`vs-logs tui`). The only module that touches ratatui/crossterm.
