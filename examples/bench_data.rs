//! Writes the benchmark JSONL file: the demo generator's day of logs (structlog JSON plus the
//! hostile non-JSON, ANSI, Chinese and ~20 KB lines), repeated with each copy shifted by a day,
//! until the file holds the requested size. Same bytes every run.
//!
//! Run: `cargo run --release --example bench_data -- OUT.jsonl 300` (size in MB).

use std::io::Write;

use vs_logs::source::demo::{DEMO_END_NS, DEMO_SPAN_NS, demo_bytes};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: bench_data OUT.jsonl [MB]");
        std::process::exit(2);
    };
    let mb: usize = args.next().and_then(|v| v.parse().ok()).unwrap_or(300);
    let file = std::fs::File::create(&path)?;
    let mut f = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut written = 0usize;
    let mut day = 0i64;
    while written < mb << 20 {
        let bytes = demo_bytes(DEMO_END_NS - DEMO_SPAN_NS * 400 + DEMO_SPAN_NS * day);
        let room = (mb << 20) - written;
        // The last copy is cut at a line end so the file is close to the size asked for.
        let take = if bytes.len() > room {
            memchr::memrchr(b'\n', &bytes[..room]).map_or(bytes.len(), |i| i + 1)
        } else {
            bytes.len()
        };
        f.write_all(&bytes[..take])?;
        written += take;
        day += 1;
        if take < bytes.len() {
            break;
        }
    }
    f.flush()?;
    eprintln!("wrote {path}: {written} bytes");
    Ok(())
}
