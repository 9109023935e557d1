//! Non-interactive output: `text` for people, `json`/`jsonl` for tools, `raw` lines.
//! Renderers write to any `impl Write` so they are tested into a `Vec<u8>`.
//!
//! Used by the CLI, `tail` and the agent commands; the TUI's export writes `jsonl` with the same
//! [`entry_json`] object.

mod json;
mod lists;
mod metric;
mod progress;
mod text;

pub use json::entry_json;
pub use lists::{write_label_sets, write_names};
pub use metric::{loki_result_json, write_metric};
pub use progress::{ProgressLine, thousands};

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

impl OutputFormat {
    /// Parses a config-file value (`text`, `json`, `jsonl`, `raw`).
    pub fn parse(s: &str) -> Option<Self> {
        <Self as clap::ValueEnum>::from_str(s, true).ok()
    }
}

/// Writes log entries one batch at a time, in any format: used for complete results and for
/// streams (tail), where entries keep arriving.
pub struct EntryWriter<W: Write> {
    out: W,
    format: OutputFormat,
    color: bool,
    utc: bool,
    /// `json`: how many entries are already in the array.
    written: usize,
    /// Stdout is a terminal: `json`/`jsonl` escape what a terminal would act on, `raw` is
    /// sanitised unless `raw_bytes`.
    terminal: bool,
    /// `--raw-bytes`: `raw` writes the lines' bytes even to a terminal.
    raw_bytes: bool,
    text: text::TextState,
}

impl<W: Write> EntryWriter<W> {
    pub fn new(out: W, format: OutputFormat, color: bool) -> Self {
        Self {
            out,
            format,
            color,
            utc: false,
            written: 0,
            terminal: false,
            raw_bytes: false,
            text: text::TextState::default(),
        }
    }

    /// Shows times in UTC instead of local time (`--utc`).
    pub fn with_utc(mut self, utc: bool) -> Self {
        self.utc = utc;
        self
    }

    /// Says whether the output is a terminal (`stdout().is_terminal()`), and whether the user
    /// asked for raw bytes anyway (`--raw-bytes`). On a terminal, `raw` lines go through the
    /// sanitiser like text output, and JSON escapes DEL, C1 and invisible/bidi characters as
    /// `\uXXXX` (still the same JSON); to a pipe or file everything is written as is.
    pub fn with_terminal(mut self, terminal: bool, raw_bytes: bool) -> Self {
        self.terminal = terminal;
        self.raw_bytes = raw_bytes;
        self
    }

    fn write_json(&mut self, e: &LogEntry) -> io::Result<()> {
        let v = entry_json(e);
        if self.terminal {
            let s = serde_json::to_string(&v)?;
            self.out.write_all(json::escape_for_terminal(&s).as_bytes())
        } else {
            serde_json::to_writer(&mut self.out, &v).map_err(io::Error::from)
        }
    }

    /// How many entries were written so far.
    pub fn count(&self) -> usize {
        self.written
    }

    /// Writes entries (already in display order).
    pub fn write_entries(&mut self, entries: &[LogEntry]) -> io::Result<()> {
        match self.format {
            OutputFormat::Text => {
                self.text
                    .write(&mut self.out, entries, self.color, self.utc)?;
            }
            OutputFormat::Raw => {
                let safe = self.terminal && !self.raw_bytes;
                for e in entries {
                    if safe {
                        self.out
                            .write_all(crate::sanitize::multiline(&e.line).as_bytes())?;
                    } else {
                        self.out.write_all(e.line.as_bytes())?;
                    }
                    self.out.write_all(b"\n")?;
                }
            }
            OutputFormat::Jsonl => {
                for e in entries {
                    self.write_json(e)?;
                    self.out.write_all(b"\n")?;
                }
            }
            OutputFormat::Json => {
                for (i, e) in entries.iter().enumerate() {
                    let sep: &[u8] = if self.written + i == 0 {
                        b"[\n"
                    } else {
                        b",\n"
                    };
                    self.out.write_all(sep)?;
                    self.write_json(e)?;
                }
            }
        }
        self.written += entries.len();
        self.out.flush()
    }

    /// Closes the output (`json` needs its closing bracket) and flushes.
    pub fn finish(mut self) -> io::Result<W> {
        if self.format == OutputFormat::Json {
            let close: &[u8] = if self.written == 0 { b"[]\n" } else { b"\n]\n" };
            self.out.write_all(close)?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests;
