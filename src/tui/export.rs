//! Writing results to a file, and the clipboard escape (OSC 52).

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use super::msg::ExportFormat;
use super::store::Chunk;
use crate::output::entry_json;

/// Writes the lines oldest first; returns how many were written.
pub fn write_export(
    out: &mut impl Write,
    chunks: &[(Arc<Chunk>, usize)],
    format: ExportFormat,
) -> std::io::Result<usize> {
    let mut n = 0;
    for (c, skip) in chunks {
        for i in *skip..c.len() {
            match format {
                ExportFormat::Raw => {
                    out.write_all(c.line(i).as_bytes())?;
                    out.write_all(b"\n")?;
                }
                ExportFormat::Jsonl => {
                    // The CLI's `-o jsonl` object, so both exports read the same.
                    serde_json::to_writer(&mut *out, &entry_json(&c.entry(i)))?;
                    out.write_all(b"\n")?;
                }
            }
            n += 1;
        }
    }
    Ok(n)
}

/// Exports to a file; the message says where and how many, or what went wrong.
pub fn export_to(
    path: &Path,
    chunks: &[(Arc<Chunk>, usize)],
    format: ExportFormat,
) -> Result<String, String> {
    let f =
        std::fs::File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let mut w = std::io::BufWriter::new(f);
    let n = write_export(&mut w, chunks, format)
        .and_then(|n| w.flush().map(|_| n))
        .map_err(|e| format!("export to {} failed: {e}", path.display()))?;
    let lines = super::update::plural(n, "line", "lines");
    Ok(format!("exported {lines} to {}", path.display()))
}

/// Standard base64 with padding, as OSC 52 wants.
fn base64(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// The OSC 52 sequence that puts `text` on the terminal's clipboard (the text is base64, so
/// nothing in it can act on the terminal).
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Labels, LogEntry};

    #[test]
    fn base64_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
    }

    #[test]
    fn export_formats() {
        let mut l = Labels::new();
        l.insert("app".into(), "v".into());
        let c = Chunk::build(vec![
            LogEntry::new(2, Arc::new(l.clone()), "b"),
            LogEntry::new(1, Arc::new(l), "a"),
        ]);
        let chunks = vec![(Arc::new(c), 0)];
        let mut raw = Vec::new();
        assert_eq!(
            write_export(&mut raw, &chunks, ExportFormat::Raw).unwrap(),
            2
        );
        assert_eq!(raw, b"a\nb\n");
        let mut js = Vec::new();
        write_export(&mut js, &chunks[..], ExportFormat::Jsonl).unwrap();
        let first: serde_json::Value =
            serde_json::from_slice(js.split(|b| *b == b'\n').next().unwrap()).unwrap();
        assert_eq!(first["line"], "a");
        assert_eq!(first["labels"]["app"], "v");
        assert_eq!(first["ts_ns"], "1");
    }

    #[test]
    fn jsonl_export_is_the_cli_jsonl_object() {
        let mut l = Labels::new();
        l.insert("app".into(), "v".into());
        let mut e = LogEntry::new(
            1_795_583_880_123_000_007,
            Arc::new(l),
            r#"{"event":"tool.call","level":"info","args":{"repo":"a/b"}}"#,
        );
        e.metadata.insert("detected_level".into(), "info".into());
        e.parsed.insert("__error__".into(), "JSONParserErr".into());
        let chunks = vec![(Arc::new(Chunk::build(vec![e.clone()])), 0)];
        let mut tui = Vec::new();
        write_export(&mut tui, &chunks, ExportFormat::Jsonl).unwrap();
        let mut cli =
            crate::output::EntryWriter::new(Vec::new(), crate::output::OutputFormat::Jsonl, false);
        cli.write_entries(&[e]).unwrap();
        let cli = cli.finish().unwrap();
        assert_eq!(String::from_utf8_lossy(&tui), String::from_utf8_lossy(&cli));
        let v: serde_json::Value = serde_json::from_slice(&tui).unwrap();
        assert_eq!(v["timestamp"], "2026-11-25T05:18:00.123000007Z");
        assert_eq!(v["fields"]["args"]["repo"], "a/b");
        assert_eq!(v["metadata"]["detected_level"], "info");
        assert_eq!(v["parsed"]["__error__"], "JSONParserErr");
    }
}
