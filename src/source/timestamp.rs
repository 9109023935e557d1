//! Fast parsing of the timestamps log lines print (`2026-11-25T05:18:00.123701Z`,
//! `2026-11-24 19:00:00 +0000`), without allocating: it runs once per scanned line.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let s = b.get(at..at + n)?;
    let mut v = 0i64;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

/// Parses an ISO-8601-like timestamp at the start of `s`; returns nanoseconds since the epoch
/// and how many bytes it used. Accepts `T`/`t`/space between date and time, an optional
/// fraction (up to 9 digits, more are ignored), and `Z`, `±HH:MM`, `±HHMM` or ` +0000` (a
/// space then an offset, as gunicorn prints) for the zone; no zone means UTC.
pub fn parse_prefix(s: &str) -> Option<(i64, usize)> {
    let b = s.as_bytes();
    let year = digits(b, 0, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let hour = digits(b, 11, 2)?;
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    let min = digits(b, 14, 2)?;
    let sec = digits(b, 17, 2)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || min > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut nanos = 0i64;
    if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        let mut scale = 100_000_000i64;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            nanos += i64::from(c - b'0') * scale;
            scale /= 10;
            i += 1;
        }
    }
    let mut offset_s = 0i64;
    match b.get(i) {
        Some(b'Z' | b'z') => i += 1,
        Some(b'+' | b'-') => {
            let (off, used) = parse_offset(&b[i..])?;
            offset_s = off;
            i += used;
        }
        Some(b' ') if matches!(b.get(i + 1), Some(b'+' | b'-')) => {
            if let Some((off, used)) = parse_offset(&b[i + 1..]) {
                offset_s = off;
                i += 1 + used;
            }
        }
        _ => {}
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + min * 60 + sec - offset_s;
    Some((secs.checked_mul(1_000_000_000)?.checked_add(nanos)?, i))
}

/// `+HH:MM` or `+HHMM` (or `-`): seconds east of UTC and bytes used.
fn parse_offset(b: &[u8]) -> Option<(i64, usize)> {
    let sign = if b.first() == Some(&b'-') { -1 } else { 1 };
    let h = digits(b, 1, 2)?;
    let (m, used) = if b.get(3) == Some(&b':') {
        (digits(b, 4, 2)?, 6)
    } else {
        (digits(b, 3, 2)?, 5)
    };
    Some((sign * (h * 3600 + m * 60), used))
}

/// A whole string that is a timestamp (the JSON `timestamp` field).
pub fn parse_full(s: &str) -> Option<i64> {
    match parse_prefix(s.trim()) {
        Some((ns, used)) if used == s.trim().len() => Some(ns),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono_ns(s: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_nanos_opt()
            .unwrap()
    }

    #[test]
    fn parses_rfc3339_forms() {
        for s in [
            "2026-11-25T05:18:00.123701Z",
            "2026-11-25T05:18:00Z",
            "2028-02-29T23:59:59.999999999+02:00",
            "1969-12-31T23:59:59.5-00:30",
            "2000-01-01T00:00:00.1Z",
        ] {
            assert_eq!(parse_full(s), Some(chrono_ns(s)), "{s}");
        }
    }

    #[test]
    fn parses_gunicorn_and_naive_forms() {
        let (ns, used) = parse_prefix("2026-11-24 19:00:00 +0000] [7]").unwrap();
        assert_eq!(ns, chrono_ns("2026-11-24T19:00:00Z"));
        assert_eq!(used, "2026-11-24 19:00:00 +0000".len());
        let (ns, used) = parse_prefix("2026-11-24 19:00:00 hello").unwrap();
        assert_eq!(ns, chrono_ns("2026-11-24T19:00:00Z"));
        assert_eq!(used, 19);
        assert_eq!(
            parse_full("2026-11-24T19:00:00+0130"),
            Some(chrono_ns("2026-11-24T19:00:00+01:30"))
        );
    }

    #[test]
    fn rejects_non_timestamps() {
        for s in [
            "",
            "2026-13-01T00:00:00Z",
            "2026-11-25X05:18:00Z",
            "hello world",
            "2026-11-25T05:18",
            "2026-11-25T05:18:00Zjunk",
        ] {
            assert_eq!(parse_full(s), None, "{s}");
        }
    }
}
