//! Byte-level JSON primitives for the scanners that read JSON lines without building values
//! (`| json`, the local reader's key sniffing, the pattern miner): where a string ends, where a bare key or a
//! number ends, the last quote before a point. Pure functions on bytes (no UTF-8 checks: the
//! callers' lines are `str` already, and every byte they stop at is ASCII, so a char
//! boundary). They run on every line of a file: short spans are searched eight bytes at a
//! time in a register (no call), longer ones with `memchr`.

/// `[A-Za-z0-9_]`: a key made only of these is its own label name.
const IDENT: u8 = 1;
/// `[A-Za-z0-9+-.]`: the bytes of a number or a `true`/`false`/`null` literal.
const SCALAR: u8 = 2;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() {
            t[c] = IDENT | SCALAR;
        } else if b == b'_' {
            t[c] = IDENT;
        } else if b == b'+' || b == b'-' || b == b'.' {
            t[c] = SCALAR;
        }
        c += 1;
    }
    t
};

/// Whether `c` may appear in a label name (`[A-Za-z0-9_]`).
#[inline]
pub fn is_ident(c: u8) -> bool {
    CLASS[c as usize] & IDENT != 0
}

/// The end of the run of label-name bytes (`[A-Za-z0-9_]`) starting at `p`.
#[inline]
pub fn ident_end(b: &[u8], mut p: usize) -> usize {
    while let Some(&c) = b.get(p) {
        if CLASS[c as usize] & IDENT == 0 {
            break;
        }
        p += 1;
    }
    p
}

/// The end of the run of number/literal bytes (`[A-Za-z0-9+-.]`) starting at `p`.
#[inline]
pub fn scalar_end(b: &[u8], mut p: usize) -> usize {
    while let Some(&c) = b.get(p) {
        if CLASS[c as usize] & SCALAR == 0 {
            break;
        }
        p += 1;
    }
    p
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The bytes of `x` that are zero, each as its high bit. Bytes above the lowest one found may
/// be flagged wrongly (a borrow runs on); the lowest one never is, so only it may be used.
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(LO) & !x & HI
}

/// The first `"` or `\` in `h`.
#[inline]
pub fn find_quote_or_backslash(h: &[u8]) -> Option<usize> {
    const QUOTE: u64 = LO * b'"' as u64;
    const BACKSLASH: u64 = LO * b'\\' as u64;
    // Most strings of a log line are short: a few words in a register, without a call.
    let mut i = 0;
    while i < 32 {
        let Some(chunk) = h.get(i..i + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) else {
            break;
        };
        let v = u64::from_le_bytes(chunk);
        let m = zero_bytes(v ^ QUOTE) | zero_bytes(v ^ BACKSLASH);
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    let rest = h.get(i..)?;
    if rest.len() < 16 {
        return rest
            .iter()
            .position(|&c| c == b'"' || c == b'\\')
            .map(|r| i + r);
    }
    memchr::memchr2(b'"', b'\\', rest).map(|r| i + r)
}

/// Words read eight bytes at a time by [`string_special_from`] before the run is left to
/// `memchr2`: keys and most values end within them, where a call costs more than it saves;
/// the long values (messages, tracebacks, tool output) are where it pays.
const SHORT_WORDS: usize = 3;

/// The first index from `i` of a `"`, a `\` or a control byte (below 0x20) in `b`: the end
/// of a run of plain string text for a scanner that must also refuse raw control bytes
/// inside strings (the pattern miner's).
#[inline(always)]
pub fn string_special_from(b: &[u8], mut i: usize) -> Option<usize> {
    const QUOTE: u64 = LO * b'"' as u64;
    const BACKSLASH: u64 = LO * b'\\' as u64;
    for _ in 0..SHORT_WORDS {
        let Some(w) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) else {
            let rest = b.get(i..)?;
            return rest
                .iter()
                .position(|&c| is_string_special(c))
                .map(|at| i + at);
        };
        let w = u64::from_le_bytes(*w);
        // A control byte is one below 0x20: `w - 0x20` borrows into its high bit.
        let m = zero_bytes(w ^ QUOTE)
            | zero_bytes(w ^ BACKSLASH)
            | (w.wrapping_sub(LO * 0x20) & !w & HI);
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

fn is_string_special(c: u8) -> bool {
    c == b'"' || c == b'\\' || c < 0x20
}

/// Whether `b` holds a control byte (below 0x20), 32 bytes at a time.
fn has_control(b: &[u8]) -> bool {
    b.chunks(32)
        .any(|c| c.iter().fold(false, |any, &x| any | (x < 0x20)))
}

/// The last `c` in `h` (short distances from the end: no call, no vector setup).
#[inline]
pub fn rfind_byte(h: &[u8], c: u8) -> Option<usize> {
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let pattern = LO * u64::from(c);
    let mut end = h.len();
    while end >= 8 {
        let Some(chunk) = h
            .get(end - 8..end)
            .and_then(|c| <[u8; 8]>::try_from(c).ok())
        else {
            break;
        };
        let x = u64::from_le_bytes(chunk) ^ pattern;
        // Exactly the zero bytes of `x` (no carry crosses a byte), so the highest is right.
        let m = !((((x & LO7) + LO7) | x) | LO7);
        if m != 0 {
            return Some(end - 1 - (m.leading_zeros() / 8) as usize);
        }
        end -= 8;
    }
    h.get(..end)?.iter().rposition(|&b| b == c)
}

/// Where the string whose contents start at `p` (just after its opening quote) ends: the
/// index of its closing quote, and whether it holds a backslash escape (not checked: `\q`
/// passes). `None` when it is not closed.
#[inline]
pub fn string_end(b: &[u8], mut p: usize) -> Option<(usize, bool)> {
    let mut escaped = false;
    loop {
        p += find_quote_or_backslash(b.get(p..)?)?;
        if b[p] == b'"' {
            return Some((p, escaped));
        }
        escaped = true;
        p += 2;
        if p > b.len() {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The end of a string written out byte by byte, as the reference.
    fn naive_end(b: &[u8], mut p: usize) -> Option<(usize, bool)> {
        let mut escaped = false;
        while p < b.len() {
            match b[p] {
                b'"' => return Some((p, escaped)),
                b'\\' => {
                    escaped = true;
                    p += 2;
                }
                _ => p += 1,
            }
        }
        None
    }

    #[test]
    fn string_end_matches_a_byte_loop_at_every_length_and_offset() {
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
        let alphabet = b"ab\"\\ \xc3\xa9u0";
        for len in 0..120 {
            for _ in 0..40 {
                let s: Vec<u8> = (0..len)
                    .map(|_| {
                        rng ^= rng << 13;
                        rng ^= rng >> 7;
                        rng ^= rng << 17;
                        // Mostly plain bytes, so the quote lands at any distance.
                        let k = (rng % 64) as usize;
                        if k < alphabet.len() {
                            alphabet[k]
                        } else {
                            b'x'
                        }
                    })
                    .collect();
                for p in 0..=len.min(9) {
                    assert_eq!(string_end(&s, p), naive_end(&s, p), "{s:?} at {p}");
                }
            }
        }
        assert_eq!(string_end(b"ab\\", 0), None);
        assert_eq!(string_end(b"ab\\\"", 0), None);
        assert_eq!(string_end(b"ab\\\"\"", 0), Some((4, true)));
        assert_eq!(string_end(b"", 0), None);
        assert_eq!(string_end(b"x", 5), None);
    }

    #[test]
    fn rfind_byte_matches_rposition() {
        let mut rng = 0x853c_49e6_748f_ea9b_u64;
        for len in 0..70 {
            for _ in 0..30 {
                let s: Vec<u8> = (0..len)
                    .map(|_| {
                        rng ^= rng << 13;
                        rng ^= rng >> 7;
                        rng ^= rng << 17;
                        [b'"', b'x', 0xa2, 0x22 ^ 0x80, 0, b'\\', b'#'][(rng % 7) as usize]
                    })
                    .collect();
                let want = s.iter().rposition(|&c| c == b'"');
                assert_eq!(rfind_byte(&s, b'"'), want, "{s:?}");
                let want = s.iter().rposition(|&c| c == 0xa2);
                assert_eq!(rfind_byte(&s, 0xa2), want, "{s:?}");
            }
        }
    }

    #[test]
    fn runs_stop_at_the_first_byte_outside_their_class() {
        assert_eq!(ident_end(b"ab_9-x", 0), 4);
        assert_eq!(ident_end("é".as_bytes(), 0), 0);
        assert_eq!(scalar_end(b"-1.5e+3,", 0), 7);
        assert_eq!(scalar_end(b"true}", 0), 4);
        assert_eq!(scalar_end(b"x_", 0), 1);
        assert!(is_ident(b'_') && is_ident(b'Z') && !is_ident(b'.') && !is_ident(0xc3));
    }
}
