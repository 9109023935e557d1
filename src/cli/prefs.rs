//! How the CLI prints: the output format, colour and quiet flags. Only the command line has
//! them; the session (shared with the TUI) does not.

use crate::output::OutputFormat;

/// Printing preferences resolved from flags, environment and profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutputPrefs {
    pub format: OutputFormat,
    /// Colour on stdout (terminal, no `NO_COLOR`, or `--color always`).
    pub color: bool,
    /// No progress or notes on stderr.
    pub quiet: bool,
    /// `--raw-bytes`: `-o raw` to a terminal writes the lines' bytes as they are (else it
    /// sanitises them like text output).
    pub raw_bytes: bool,
    /// Stdout is a terminal: what is written must show only what is safe ([`Self::escape`]).
    pub terminal: bool,
}

impl OutputPrefs {
    /// What output in this format must go through before it reaches stdout.
    pub fn escape(&self) -> crate::output::Escape {
        crate::output::escape_for(self.format, self.terminal, self.raw_bytes)
    }
}
