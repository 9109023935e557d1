//! Cutting an input into large newline-aligned blocks for the parallel scan, each beginning
//! with a record's first line.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::{Capped, Compression, Fill, fill, max_line_bytes, open_error, open_reader};
use crate::source::SourceError;

/// Bytes per block of an in-memory input handed to a worker: big enough to amortise the per-block
/// work, small enough that a batch of them stays a few tens of MB.
pub(crate) const BLOCK: usize = 4 << 20;

/// Bytes per block of a file: smaller than [`BLOCK`] so that the few buffers the reader
/// recycles stay small (every fresh page is a fault and a zeroing) and a block read on one
/// core is still in the shared cache when a worker scans it.
pub(crate) const FILE_BLOCK: usize = 1 << 20;

/// A block reader over a file: plain files are read straight into the blocks ([`Capped`]),
/// compressed ones through their decoder and a [`LineCap`].
pub(crate) enum Input {
    Plain(Capped<File>),
    Decoded(Box<dyn Read + Send>),
}

impl Fill for Input {
    fn fill(&mut self, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
        match self {
            Input::Plain(c) => c.fill(buf, target),
            Input::Decoded(r) => fill(r, buf, target),
        }
    }
}

/// The blocks of a file (see [`Blocks`]), the fastest way its compression allows.
pub(crate) fn open_blocks(
    path: &Path,
    compression: Compression,
) -> Result<Blocks<Input>, SourceError> {
    let input = match compression {
        Compression::None => Input::Plain(Capped::new(
            File::open(path).map_err(|e| open_error(path, e))?,
            max_line_bytes(),
        )),
        Compression::Gzip | Compression::Zstd => Input::Decoded(open_reader(path, compression)?),
    };
    Ok(Blocks::new(input))
}

/// Splits a reader into blocks of about [`FILE_BLOCK`] bytes that end on a newline (the last one
/// may not), and where a record begins (see `boundary::cut`). A line longer than a block is kept
/// whole: the block grows to hold it.
pub(crate) struct Blocks<R> {
    reader: R,
    carry: Vec<u8>,
    done: bool,
}

impl<R: Fill> Blocks<R> {
    pub fn new(reader: R) -> Self {
        Self {
            reader,
            carry: Vec::new(),
            done: false,
        }
    }

    /// The next block, `None` at the end.
    pub fn next_block(&mut self) -> io::Result<Option<Vec<u8>>> {
        self.next_block_in(Vec::new())
    }

    /// The next block, built in `spare` (a buffer handed back by an earlier block's user:
    /// its memory is already mapped, so reading into it costs no page faults).
    pub fn next_block_in(&mut self, spare: Vec<u8>) -> io::Result<Option<Vec<u8>>> {
        if self.done {
            return Ok(None);
        }
        let mut buf = spare;
        buf.clear();
        if buf.capacity() == 0 {
            buf = std::mem::take(&mut self.carry);
        } else {
            buf.extend_from_slice(&self.carry);
            self.carry.clear();
        }
        let size = FILE_BLOCK;
        let mut target = size.max(buf.len() + size / 2);
        loop {
            let filled = self.reader.fill(&mut buf, target)?;
            if !filled {
                self.done = true;
                return Ok(if buf.is_empty() { None } else { Some(buf) });
            }
            if let Some(nl) = memchr::memrchr(b'\n', &buf) {
                // Not inside a multi-line record: the next block starts with a record's start.
                let end = crate::source::boundary::cut(&buf, 0, nl + 1, false);
                self.carry = buf[end..].to_vec();
                buf.truncate(end);
                return Ok(Some(buf));
            }
            target = buf.len() * 2;
        }
    }
}

/// Newline-aligned ranges of about [`BLOCK`] bytes over an in-memory input, each beginning
/// with a record's first line (see `boundary::cut`).
pub(crate) fn memory_blocks(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let want = (start + BLOCK).min(bytes.len());
        let end = if want == bytes.len() {
            want
        } else {
            match memchr::memchr(b'\n', &bytes[want..]) {
                Some(i) => crate::source::boundary::cut(bytes, start, want + i + 1, true),
                None => bytes.len(),
            }
        };
        out.push(start..end);
        start = end;
    }
    out
}
