//! Writing results to a file, and the clipboard escape (OSC 52).

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use super::msg::ExportFormat;
use super::store::Chunk;

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
                    let e = c.entry(i);
                    let v = serde_json::json!({
                        "timestamp": e.ts.to_string(),
                        "labels": *e.labels,
                        "line": e.line,
                        "structured_metadata": e.metadata,
                        "parsed": e.parsed,
                    });
                    serde_json::to_writer(&mut *out, &v)?;
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
    Ok(format!("exported {n} lines to {}", path.display()))
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
        assert_eq!(first["timestamp"], "1");
    }
}
