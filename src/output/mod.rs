//! Non-interactive output: `text` for people, `json`/`jsonl` for tools, `raw` lines.
//! Renderers write to any `impl Write` so they are tested into a `Vec<u8>`.
//!
//! Used by the CLI, `tail` and the agent commands; the TUI's export writes `jsonl` with the same
//! [`entry_json`] object.

mod chart;
pub mod drill;
mod json;
mod lists;
mod metric;
pub mod metric_table;
mod progress;
mod safe;
mod text;
mod text_keys;

pub use chart::write_chart;
pub use json::entry_json;
pub use lists::{write_label_sets, write_names};
pub use metric::{MetricView, loki_result_json, write_metric, write_metric_view};
pub use progress::{ProgressLine, plural, plural_grouped, thousands};
pub use safe::{Escape, SafeWriter, escape_for};
pub use text::TextHeader;

/// What to try when a log query matched nothing, worded once for every front end (the CLI's
/// stderr hint, the TUI's empty table); `widen` says how this front end widens the range.
pub fn no_lines_hint(widen: &str) -> String {
    format!("widen the range ({widen}) or loosen the query")
}

use std::io::{self, Write};

use crate::model::LogEntry;

/// The `-o/--output` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
    Jsonl,
    Raw,
    /// Comma-separated values for spreadsheets (metric tables; log lines as time,labels,line).
    Csv,
}

impl OutputFormat {
    /// Every format, in the order help lists them.
    pub const ALL: [OutputFormat; 5] = [
        OutputFormat::Text,
        OutputFormat::Json,
        OutputFormat::Jsonl,
        OutputFormat::Raw,
        OutputFormat::Csv,
    ];

    /// The name users type (`-o jsonl`, `output = "jsonl"`).
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Text => "text",
            OutputFormat::Json => "json",
            OutputFormat::Jsonl => "jsonl",
            OutputFormat::Raw => "raw",
            OutputFormat::Csv => "csv",
        }
    }

    /// Parses a config-file value (`text`, `json`, `jsonl`, `raw`, `csv`, any case).
    pub fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

/// Not one of `text`, `json`, `jsonl`, `raw`, `csv`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown output format {0:?}: use text, json, jsonl, raw or csv")]
pub struct UnknownFormat(pub String);

impl std::str::FromStr for OutputFormat {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OutputFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// Bytes gathered before one write of `raw`/`jsonl` output.
const CHUNK: usize = 256 << 10;

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

    /// Where `text`'s `# labels…` header goes (see [`TextHeader`]).
    pub fn with_header(mut self, to: TextHeader) -> Self {
        self.text.header_to = to;
        self
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
        let mut buf = Vec::new();
        json_into(&mut buf, e, self.terminal)?;
        self.out.write_all(&buf)
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
            // Lines are gathered into chunks of about `CHUNK` bytes and written at once: a
            // line-buffered stdout would otherwise make one system call per line.
            OutputFormat::Raw => {
                let safe = self.terminal && !self.raw_bytes;
                let mut buf = Vec::with_capacity(CHUNK + 4096);
                for e in entries {
                    if safe {
                        buf.extend_from_slice(crate::sanitize::multiline(&e.line).as_bytes());
                    } else {
                        buf.extend_from_slice(e.line.as_bytes());
                    }
                    buf.push(b'\n');
                    if buf.len() >= CHUNK {
                        self.out.write_all(&buf)?;
                        buf.clear();
                    }
                }
                self.out.write_all(&buf)?;
            }
            OutputFormat::Jsonl => {
                let mut buf = Vec::with_capacity(CHUNK + 4096);
                for e in entries {
                    json_into(&mut buf, e, self.terminal)?;
                    buf.push(b'\n');
                    if buf.len() >= CHUNK {
                        self.out.write_all(&buf)?;
                        buf.clear();
                    }
                }
                self.out.write_all(&buf)?;
            }
            OutputFormat::Csv => {
                if self.written == 0 && !entries.is_empty() {
                    self.out.write_all(b"time,labels,line\n")?;
                }
                for e in entries {
                    let labels = metric_table::series_header(&e.labels);
                    writeln!(
                        self.out,
                        "{},{},{}",
                        crate::timespec::format_rfc3339(e.ts, self.utc),
                        csv_field(&labels),
                        csv_field(&e.line)
                    )?;
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

/// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
pub fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests;

/// One entry's JSON object into `buf`; on a terminal, DEL, C1 and invisible format characters
/// are escaped too (still the same JSON value).
fn json_into(buf: &mut Vec<u8>, e: &LogEntry, terminal: bool) -> io::Result<()> {
    if terminal {
        let s = serde_json::to_string(&json::EntryJson::of(e))?;
        buf.extend_from_slice(json::escape_for_terminal(&s).as_bytes());
    } else {
        json::write_entry(buf, e);
    }
    Ok(())
}
