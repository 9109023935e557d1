//! RFC 3339 UTC times written by hand: chrono's formatter costs an allocation and a format
//! pass per call, and these are written once per line (`-o jsonl`, the demo's timestamps).

/// (year, month, day) of days since 1970-01-01 (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// "00" to "99": two digits per table read instead of two divisions.
const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Writes `v`'s last `to.len()` decimal digits into `to`, zero-padded.
fn put_num(to: &mut [u8], v: i64) {
    let mut v = v.unsigned_abs();
    let mut i = to.len();
    while i >= 2 {
        let p = (v % 100) as usize * 2;
        to[i - 2..i].copy_from_slice(&PAIRS[p..p + 2]);
        v /= 100;
        i -= 2;
    }
    if i == 1 {
        to[0] = b'0' + (v % 10) as u8;
    }
}

const NS_PER_DAY: i64 = 86_400_000_000_000;

/// `ns` as RFC 3339 UTC with `frac` fractional digits (0, 6 or 9: seconds, µs, ns),
/// `2026-11-25T08:01:00.123456789Z` for 9, as chrono writes it: the ASCII bytes and how many
/// of them. Any `i64` of nanoseconds is within years 1677-2262, so the year always has four
/// digits. Built in a stack buffer: the demo writes ~40,000 of them on every start.
pub(crate) fn rfc3339_utc(ns: i64, frac: usize) -> ([u8; 30], usize) {
    with_date(date_of(ns.div_euclid(NS_PER_DAY)), ns, frac)
}

/// [`rfc3339_utc`] for many times on few days: the dates of the last two days written are
/// kept (the calendar arithmetic is a third of the work).
pub(crate) struct Rfc3339Cache {
    days: [(i64, [u8; 10]); 2],
    next: usize,
}

impl Rfc3339Cache {
    pub(crate) fn new() -> Self {
        // No `i64` of nanoseconds is on day `i64::MIN`.
        Self {
            days: [(i64::MIN, [0; 10]); 2],
            next: 0,
        }
    }

    /// Same bytes as [`rfc3339_utc`].
    pub(crate) fn format(&mut self, ns: i64, frac: usize) -> ([u8; 30], usize) {
        let day = ns.div_euclid(NS_PER_DAY);
        let date = match self.days.iter().find(|(d, _)| *d == day) {
            Some((_, date)) => *date,
            None => {
                let date = date_of(day);
                self.days[self.next] = (day, date);
                self.next = (self.next + 1) % self.days.len();
                date
            }
        };
        with_date(date, ns, frac)
    }
}

/// `YYYY-MM-DD` of days since 1970-01-01.
fn date_of(day: i64) -> [u8; 10] {
    let (y, m, d) = civil_from_days(day);
    let mut b = *b"0000-00-00";
    put_num(&mut b[0..4], y);
    put_num(&mut b[5..7], m);
    put_num(&mut b[8..10], d);
    b
}

/// The time `ns` on the day whose date is `date`.
fn with_date(date: [u8; 10], ns: i64, frac: usize) -> ([u8; 30], usize) {
    let rem = ns.div_euclid(1_000_000_000).rem_euclid(86_400);
    let sub = ns.rem_euclid(1_000_000_000);
    let mut b = *b"0000-00-00T00:00:00.000000000Z";
    b[..10].copy_from_slice(&date);
    put_num(&mut b[11..13], rem / 3600);
    put_num(&mut b[14..16], rem % 3600 / 60);
    put_num(&mut b[17..19], rem % 60);
    let frac = frac.min(9);
    let len = if frac > 0 {
        put_num(&mut b[20..20 + frac], sub / 10i64.pow(9 - frac as u32));
        b[20 + frac] = b'Z';
        21 + frac
    } else {
        b[19] = b'Z';
        20
    };
    (b, len)
}

/// Appends [`rfc3339_utc`] to a string.
pub(crate) fn push_rfc3339_utc(s: &mut String, ns: i64, frac: usize) {
    let (b, len) = rfc3339_utc(ns, frac);
    // Only ASCII digits and punctuation were written.
    s.push_str(std::str::from_utf8(&b[..len]).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, SecondsFormat, Utc};

    #[test]
    fn writes_what_chrono_writes() {
        let samples = [
            0,
            1,
            -1,
            999_999_999,
            1_795_594_008_123_456_789,
            1_795_586_400_000_000_000,
            951_782_400_000_000_000, // 2000-02-29
            -2_208_988_800_000_000_001,
            i64::MIN,
            i64::MAX,
        ];
        let mut cache = Rfc3339Cache::new();
        // Twice over: the second pass finds the days of the first in the cache (or not).
        for ns in samples.into_iter().chain(samples) {
            let dt = DateTime::<Utc>::from_timestamp_nanos(ns);
            for (frac, f) in [
                (9, SecondsFormat::Nanos),
                (6, SecondsFormat::Micros),
                (0, SecondsFormat::Secs),
            ] {
                let mut s = String::new();
                push_rfc3339_utc(&mut s, ns, frac);
                assert_eq!(s, dt.to_rfc3339_opts(f, true), "{ns} {frac}");
                let (b, len) = rfc3339_utc(ns, frac);
                assert_eq!(&b[..len], s.as_bytes());
                // Fresh, then after every other sample: the cache is not what answers.
                let (b, len) = Rfc3339Cache::new().format(ns, frac);
                assert_eq!(&b[..len], s.as_bytes());
                let (b, len) = cache.format(ns, frac);
                assert_eq!(&b[..len], s.as_bytes(), "cached {ns} {frac}");
            }
        }
    }
}
