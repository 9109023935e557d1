//! Where the first untimed lines of an input sit in time, and line counts of whole inputs.

use super::*;

pub(super) fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

pub(super) fn mtime_ns(path: &std::path::Path) -> Option<i64> {
    let t = std::fs::metadata(path).ok()?.modified().ok()?;
    i64::try_from(t.duration_since(UNIX_EPOCH).ok()?.as_nanos()).ok()
}

/// How many bytes from the start of an input [`lead_base`] reads looking for a timestamp.
pub(super) const LEAD: usize = 4 << 20;

/// The time untimed lines at the start of an input count from, so that no line is dropped
/// (issue 11.2). Lines without a timestamp of their own are stamped 1 ns apart after the line
/// before them (`scan::Stamp`); the first lines of an input have none before them, so:
/// - when a stamped line follows them (within the first [`LEAD`] bytes, at time `F`), they
///   are placed just before it, at `F - n .. F - 1`: a `docker compose logs` banner stays
///   before the records it introduces and inside a `--since` window that ends at the newest;
/// - else they end just before `fallback` (the file's modification time, or the read time for
///   stdin), and that time is also returned as the input's newest untimed time, so a range
///   that ends at the newest line includes them.
///
/// Returns the base time and that newest untimed time.
pub(super) fn lead_base(data: &Data, fallback: i64) -> Result<(i64, Option<i64>), SourceError> {
    let mut head = Vec::new();
    let mut file = match data {
        Data::File { path, compression } => Some(reader::open_reader(path, *compression)?),
        Data::Memory { .. } => None,
    };
    let mut n: i64 = 0;
    let mut at = 0;
    // Read a little first (the first line has a timestamp in most files), more only when
    // needed: the answer is the same as reading all of the first LEAD bytes at once.
    let mut want = LEAD.min(64 << 10);
    let complete = loop {
        let complete = match (data, &mut file) {
            (Data::Memory { bytes, .. }, _) => {
                head.clear();
                head.extend_from_slice(&bytes[..bytes.len().min(want)]);
                bytes.len() <= want
            }
            (Data::File { .. }, Some(reader)) => {
                use std::io::Read;
                // A read error (a truncated .gz) is reported by the query that meets it;
                // here what could be read is enough.
                let more = (want - head.len()) as u64;
                let read = reader.take(more).read_to_end(&mut head);
                read.is_ok() && head.len() < want
            }
            (Data::File { .. }, None) => true,
        };
        while at < head.len() {
            let end = memchr::memchr(b'\n', &head[at..]).map_or(head.len(), |i| at + i);
            if end == head.len() && !complete {
                break; // a partial line: it may be cut before its timestamp
            }
            let text = String::from_utf8_lossy(&head[at..end]);
            if let Some(ts) = scan::classify(&text).ts_ns {
                return Ok((ts.saturating_sub(n + 1), None));
            }
            n += 1;
            at = end + 1;
        }
        if complete || want >= LEAD {
            break complete;
        }
        want = (want * 4).min(LEAD);
    };
    if n == 0 {
        return Ok((fallback, None));
    }
    // No timestamp in the first LEAD bytes: count the lines when the input is known to end.
    let total = match data {
        Data::Memory { bytes, .. } => count_lines(bytes),
        Data::File { .. } if complete => count_lines(&head),
        Data::File { path, compression } if path.is_file() => {
            count_file_lines(path, *compression).unwrap_or(0)
        }
        // A device or pipe (`/dev/urandom`) may never end: count from the fallback instead.
        Data::File { .. } => return Ok((fallback, Some(fallback))),
    };
    Ok((fallback.saturating_sub(total + 1), Some(fallback - 1)))
}

pub(super) fn count_file_lines(
    path: &std::path::Path,
    compression: Compression,
) -> Result<i64, SourceError> {
    let mut blocks = reader::open_blocks(path, compression)?;
    let mut n = 0i64;
    while let Some(b) = blocks
        .next_block()
        .map_err(|e| reader::read_error(path, compression, e))?
    {
        n = n.saturating_add(count_lines(&b));
    }
    Ok(n)
}

/// Lines as the scanner counts them (an unterminated last line counts).
pub(super) fn count_lines(bytes: &[u8]) -> i64 {
    let n = memchr::memchr_iter(b'\n', bytes).count();
    let extra = usize::from(!bytes.is_empty() && !bytes.ends_with(b"\n"));
    i64::try_from(n + extra).unwrap_or(i64::MAX)
}
