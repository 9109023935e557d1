//! Output that reaches a terminal shows only what is safe: the one decision of what stdout may
//! carry in each format, and a writer that applies it to any renderer's output.
//!
//! To a pipe or a file every format is written exactly. To a terminal, `raw` and `csv` output
//! goes through the sanitiser like text (controls and invisible characters made visible; line
//! breaks kept), and `json`/`jsonl` escape DEL, C1 and invisible/bidi characters as `\uXXXX`
//! (the same JSON value). `text` renderers sanitise each field themselves (and may colour), so
//! their output passes as it is.

use std::io::{self, Write};

use super::OutputFormat;

/// What has to happen to output before it reaches stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// Written as it is (a pipe or a file, `text`, or `-o raw --raw-bytes`).
    None,
    /// Controls and invisible characters made visible, line breaks kept (`raw`, `csv`).
    Visible,
    /// Such characters escaped as `\uXXXX` inside the JSON strings (`json`, `jsonl`).
    Json,
}

/// The escaping `format` needs when stdout `terminal` (is one); `raw_bytes` (`--raw-bytes`)
/// lets `-o raw` write the bytes as they are even to a terminal.
pub fn escape_for(format: OutputFormat, terminal: bool, raw_bytes: bool) -> Escape {
    if !terminal {
        return Escape::None;
    }
    match format {
        OutputFormat::Text => Escape::None,
        OutputFormat::Raw if raw_bytes => Escape::None,
        OutputFormat::Raw | OutputFormat::Csv => Escape::Visible,
        OutputFormat::Json | OutputFormat::Jsonl => Escape::Json,
    }
}

/// A writer applying an [`Escape`] to everything written through it. Text is escaped in whole
/// characters: bytes of a character split across writes wait for the rest.
pub struct SafeWriter<W: Write> {
    out: W,
    escape: Escape,
    pending: Vec<u8>,
}

/// Bytes gathered before they are escaped and passed on.
const CHUNK: usize = 64 << 10;

impl<W: Write> SafeWriter<W> {
    pub fn new(out: W, escape: Escape) -> Self {
        Self {
            out,
            escape,
            pending: Vec::new(),
        }
    }

    /// Escapes and passes on every complete character gathered so far.
    fn drain(&mut self) -> io::Result<()> {
        let upto = match std::str::from_utf8(&self.pending) {
            Ok(s) => s.len(),
            // An incomplete character at the end waits for its remaining bytes.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            // Not UTF-8 at all: shown with replacement characters.
            Err(_) => self.pending.len(),
        };
        let text = String::from_utf8_lossy(&self.pending[..upto]);
        let shown = match self.escape {
            Escape::Json => super::json::escape_for_terminal(&text),
            _ => crate::sanitize::multiline(&text),
        };
        self.out.write_all(shown.as_bytes())?;
        self.pending.drain(..upto);
        Ok(())
    }
}

impl<W: Write> Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.escape == Escape::None {
            return self.out.write(buf);
        }
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= CHUNK {
            self.drain()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.escape != Escape::None {
            self.drain()?;
        }
        self.out.flush()
    }
}

impl<W: Write> Drop for SafeWriter<W> {
    fn drop(&mut self) {
        // Output written but never flushed still goes out, escaped.
        if !self.pending.is_empty() {
            let _ = self.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(escape: Escape, pieces: &[&[u8]]) -> String {
        let mut out = Vec::new();
        {
            let mut w = SafeWriter::new(&mut out, escape);
            for p in pieces {
                w.write_all(p).unwrap();
                w.flush().unwrap();
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_decision_depends_on_the_terminal_and_the_format() {
        use OutputFormat::*;
        for f in OutputFormat::ALL {
            assert_eq!(escape_for(f, false, false), Escape::None, "{f:?} to a pipe");
        }
        assert_eq!(escape_for(Text, true, false), Escape::None);
        assert_eq!(escape_for(Raw, true, false), Escape::Visible);
        assert_eq!(escape_for(Raw, true, true), Escape::None);
        assert_eq!(escape_for(Csv, true, false), Escape::Visible);
        assert_eq!(escape_for(Json, true, false), Escape::Json);
        assert_eq!(escape_for(Jsonl, true, true), Escape::Json);
    }

    #[test]
    fn visible_escaping_keeps_line_breaks_and_shows_controls() {
        let got = through(
            Escape::Visible,
            &[b"a\x1b]0;x\x07\n", "b\u{202e}c\n".as_bytes()],
        );
        assert_eq!(got, "a^[]0;x^G\nb<U+202E>c\n");
        // To a pipe the same bytes pass untouched.
        let raw = through(Escape::None, &[b"a\x1b]0;x\x07\n"]);
        assert_eq!(raw, "a\x1b]0;x\x07\n");
    }

    #[test]
    fn json_escaping_keeps_the_json_value_and_pretty_line_breaks() {
        let v = serde_json::json!({"name": "a\u{7f}b\u{85}c\u{2028}d"});
        let pretty = format!("{v:#}\n");
        let got = through(Escape::Json, &[pretty.as_bytes()]);
        assert!(got.contains(r"a\u007fb\u0085c\u2028d"), "{got}");
        assert!(got.contains("{\n  \"name\""), "{got}");
        let back: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn a_character_split_across_writes_is_escaped_whole() {
        let c1 = "\u{9b}".as_bytes();
        let got = through(Escape::Visible, &[b"x", &c1[..1], &c1[1..], b"y"]);
        assert_eq!(got, "x<U+009B>y");
    }
}
