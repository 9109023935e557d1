//! The end of a run of plain string text in a JSON line (a quote, a backslash or a control
//! byte), found eight bytes at a time: the scanner's inner loop.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The bytes of the word `w` (little-endian) that end a run of plain string text: `"`, `\`
/// or a control byte (below 0x20); each such byte's high bit is set. Bytes above the
/// lowest one found may be flagged wrongly (a borrow runs on), the lowest one never is.
#[inline(always)]
fn specials(w: u64) -> u64 {
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    (zero(quote) | zero(backslash) | (w.wrapping_sub(ONES * 0x20) & !w)) & HIGH
}

/// Words read eight bytes at a time before a string's run is left to `memchr2`: keys and
/// most values end within them, where a `memchr` call costs more than it saves; the long
/// values (messages, tracebacks, tool output) are where it pays.
const SHORT_WORDS: usize = 3;

/// The first index from `i` of a `"`, a `\` or a control byte in `b`.
#[inline(always)]
pub(super) fn special_from(b: &[u8], mut i: usize) -> Option<usize> {
    for _ in 0..SHORT_WORDS {
        let Some(w) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) else {
            let rest = b.get(i..)?;
            return rest.iter().position(|&c| is_special(c)).map(|at| i + at);
        };
        let m = specials(u64::from_le_bytes(*w));
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    let run = b.get(i..)?;
    let end = memchr::memchr2(b'"', b'\\', run).unwrap_or(run.len());
    let at = if has_control(&run[..end]) {
        run.iter().position(|&c| c < 0x20)?
    } else {
        run.get(end).map(|_| end)?
    };
    Some(i + at)
}

fn is_special(c: u8) -> bool {
    c == b'"' || c == b'\\' || c < 0x20
}

/// Whether `b` holds a control byte (below 0x20), 32 bytes at a time.
fn has_control(b: &[u8]) -> bool {
    b.chunks(32)
        .any(|c| c.iter().fold(false, |any, &x| any | (x < 0x20)))
}
