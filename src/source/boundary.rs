//! Finding where records begin from the middle of a block (see `record` for the rule): the
//! record around a literal search's hit, and where to cut an input into blocks so that no
//! record is split between two of them.

use super::record::{Extent, Role, extent, line_end, role, text};

/// The start of the line holding byte `at`, walked back to the nearest line that begins a
/// record for sure (a start line) but not before `floor` (a known record start): grouping
/// forward from there finds the record holding `at` exactly.
fn anchor(block: &[u8], at: usize, floor: usize) -> usize {
    let mut ls = memchr::memrchr(b'\n', &block[..at]).map_or(0, |i| i + 1);
    loop {
        if ls <= floor {
            return floor;
        }
        let (e, _) = line_end(block, ls);
        if block[ls] == b'{' || role(&text(&block[ls..e])).0 == Role::Start {
            return ls;
        }
        ls = memchr::memrchr(b'\n', &block[..ls - 1]).map_or(0, |i| i + 1);
    }
}

/// The record holding byte `at`, found from a known record start `floor` at or before it.
pub(crate) fn record_at(block: &[u8], at: usize, floor: usize) -> Option<Extent> {
    let mut pos = anchor(block, at, floor);
    loop {
        let (ext, _) = extent(block, pos)?;
        if ext.next > at {
            return Some(ext);
        }
        pos = ext.next;
    }
}

/// How far back [`cut`] looks for a record's start.
const CUT_LOOKBACK: usize = 256 * 1024;

fn starts_record(buf: &[u8], at: usize) -> bool {
    let (e, _) = line_end(buf, at);
    buf.get(at) == Some(&b'{') || role(&text(&buf[at..e])).0 == Role::Start
}

/// Where to end a block of `buf` that begins at `floor` and would end at line start `end`, so
/// that no record is split between two blocks: at `end` when the line there begins a record
/// (judged only when `next_complete`; a JSON line is seen from its first byte), else before
/// the last start line within [`CUT_LOOKBACK`] bytes. A longer run of continuation lines is
/// cut where it is (its record is capped anyway).
pub(crate) fn cut(buf: &[u8], floor: usize, end: usize, next_complete: bool) -> usize {
    // `end` at the buffer's end: the input's end when the next line would be known (memory),
    // else the next line is still unread and may continue a record.
    if end >= buf.len() {
        if next_complete {
            return end;
        }
    } else if buf[end] == b'{' || (next_complete && starts_record(buf, end)) {
        return end;
    }
    let lowest = end.saturating_sub(CUT_LOOKBACK).max(floor);
    let mut ls = end;
    while ls > lowest {
        ls = memchr::memrchr(b'\n', &buf[..ls - 1]).map_or(0, |i| i + 1);
        if ls <= lowest {
            break;
        }
        if starts_record(buf, ls) {
            return ls;
        }
    }
    end
}
