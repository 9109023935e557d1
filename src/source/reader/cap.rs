//! Capping every line at the line size cap as a stream is read: [`LineCap`] over any reader,
//! [`Capped`] straight into a block buffer while no line is over the cap.

use std::io::{self, Read};

use super::truncation_marker;

/// Caps every line of a byte stream at `max` bytes, so memory is bounded by the cap and not by
/// the input (one 2 GB line, `/dev/zero`). Like Loki with `max_line_size_truncate`, the rest of
/// an over-long line is dropped; a visible marker ([`truncation_marker`]) says so. Loki refuses
/// such lines at push; for reading local files keeping the head of the line is kinder.
pub(crate) struct LineCap<R> {
    inner: R,
    max: usize,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    in_line: usize,
    skipping: bool,
    marker: Vec<u8>,
    marker_pos: usize,
}

impl<R: Read> LineCap<R> {
    pub fn new(inner: R, max: usize) -> Self {
        Self::resume(inner, max, 0)
    }

    /// A cap that starts `in_line` bytes into a line (where [`Capped`] hands over).
    fn resume(inner: R, max: usize, in_line: usize) -> Self {
        let marker = truncation_marker(max).into_bytes();
        Self {
            inner,
            max,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            pos: 0,
            len: 0,
            in_line,
            skipping: false,
            marker_pos: marker.len(),
            marker,
        }
    }
}

impl<R: Read> Read for LineCap<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if self.marker_pos < self.marker.len() {
                let n = (self.marker.len() - self.marker_pos).min(out.len());
                out[..n].copy_from_slice(&self.marker[self.marker_pos..self.marker_pos + n]);
                self.marker_pos += n;
                return Ok(n);
            }
            if self.pos == self.len {
                self.len = self.inner.read(&mut self.buf)?;
                self.pos = 0;
                if self.len == 0 {
                    return Ok(0);
                }
            }
            // Whole runs at a time (memchr for the newline, one copy per run): this sits
            // under every local file read.
            let mut w = 0;
            while self.pos < self.len && w < out.len() {
                let avail = &self.buf[self.pos..self.len];
                if self.skipping {
                    // drop the rest of the capped line; its newline is kept
                    match memchr::memchr(b'\n', avail) {
                        Some(i) => {
                            self.pos += i;
                            self.skipping = false;
                        }
                        None => self.pos = self.len,
                    }
                    continue;
                }
                let room = (out.len() - w).min(avail.len());
                let budget = self.max.saturating_sub(self.in_line);
                // a newline within `budget` bytes ends the line in time
                let scan = room.min(budget.saturating_add(1));
                if let Some(i) = memchr::memchr(b'\n', &avail[..scan]) {
                    out[w..w + i + 1].copy_from_slice(&avail[..=i]);
                    w += i + 1;
                    self.pos += i + 1;
                    self.in_line = 0;
                    continue;
                }
                if budget == 0 {
                    // the line is full and goes on: cap it
                    self.skipping = true;
                    self.marker_pos = 0;
                    break;
                }
                let n = scan.min(budget);
                out[w..w + n].copy_from_slice(&avail[..n]);
                w += n;
                self.pos += n;
                self.in_line += n;
            }
            if w > 0 {
                return Ok(w);
            }
        }
    }
}

/// The same bytes as a [`LineCap`] over `inner`, read straight into the caller's block while
/// every line fits the cap: no copy through a small buffer and, for a file, no zeroing
/// (`read_to_end` reads into spare capacity). Lines are checked a window of `max + 1` bytes at a
/// time (one backward search per window, not one per line). From the first longer line on,
/// the rest goes through a `LineCap`, resumed where the check stopped.
pub(crate) enum Capped<R> {
    Direct {
        inner: R,
        max: usize,
        /// Bytes of the current line already handed out.
        in_line: usize,
    },
    Copied(LineCap<io::Chain<io::Cursor<Vec<u8>>, R>>),
    /// Only while switching from `Direct` to `Copied`.
    Gone,
}

impl<R: Read> Capped<R> {
    pub fn new(inner: R, max: usize) -> Self {
        Capped::Direct {
            inner,
            max,
            in_line: 0,
        }
    }
}

/// Checks `buf[from..]`, which starts `in_line` bytes into a line, for a line longer than
/// `max`: returns where the first such line must be cut (after its first `max` bytes), else
/// updates `in_line` for the bytes after the last newline.
fn first_overlong(buf: &[u8], from: usize, in_line: &mut usize, max: usize) -> Option<usize> {
    let mut p = from;
    let mut cur = *in_line;
    loop {
        let budget = max.saturating_sub(cur);
        // The line must end within its next `budget + 1` bytes.
        let window_end = p.saturating_add(budget).saturating_add(1);
        if window_end > buf.len() {
            cur = match memchr::memrchr(b'\n', &buf[p..]) {
                Some(i) => buf.len() - (p + i + 1),
                None => cur + (buf.len() - p),
            };
            *in_line = cur;
            return None;
        }
        match memchr::memrchr(b'\n', &buf[p..window_end]) {
            Some(i) => {
                p += i + 1;
                cur = 0;
            }
            None => return Some(p + budget),
        }
    }
}

/// Filling a block buffer up to a target size.
pub(crate) trait Fill {
    /// Appends to `buf` until it holds `target` bytes; `false` when the input ended first.
    fn fill(&mut self, buf: &mut Vec<u8>, target: usize) -> io::Result<bool>;
}

impl<R: Read> Fill for R {
    fn fill(&mut self, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
        fill(self, buf, target)
    }
}

impl<R: Read> Fill for Capped<R> {
    fn fill(&mut self, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
        let Capped::Direct {
            inner,
            max,
            in_line,
        } = self
        else {
            return match self {
                Capped::Copied(r) => fill(r, buf, target),
                _ => Ok(false),
            };
        };
        let start = buf.len();
        if start >= target {
            return Ok(true);
        }
        buf.reserve_exact(target - start);
        let want = (target - start) as u64;
        let got = inner.by_ref().take(want).read_to_end(buf)?;
        let Some(cut) = first_overlong(buf, start, in_line, *max) else {
            return Ok(got as u64 == want);
        };
        // A line longer than the cap: its head stays, the rest of the input is capped.
        let rest = buf.split_off(cut);
        let max = *max;
        let Capped::Direct { inner, .. } = std::mem::replace(self, Capped::Gone) else {
            return Ok(false);
        };
        let mut capped = LineCap::resume(io::Cursor::new(rest).chain(inner), max, max);
        let more = fill(&mut capped, buf, target);
        *self = Capped::Copied(capped);
        more
    }
}

/// Reads until `buf` holds `target` bytes; `false` when the input ended first.
pub(super) fn fill<R: Read>(reader: &mut R, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
    // Zeroed once up to `target`, then filled read by read (resizing per read zeroed the rest
    // of the block again after every 64 KB read).
    let mut len = buf.len();
    if len < target {
        buf.resize(target, 0);
    }
    while len < target {
        match reader.read(&mut buf[len..target]) {
            Ok(0) => {
                buf.truncate(len);
                return Ok(false);
            }
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(len);
                return Err(e);
            }
        }
    }
    buf.truncate(len);
    Ok(true)
}
