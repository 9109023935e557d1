//! Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`), formatted and parsed in UTC.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    YearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM(bool),
    Tz,
    /// Numeric zone; `true` = `Z` for UTC. The text is the layout token.
    Zone(bool, &'static str),
    /// Fractional seconds: digits, and whether trailing zeros are dropped (`.999`).
    Frac(usize, bool),
}

const ZONES: &[&str] = &["-07:00:00", "-070000", "-07:00", "-0700", "-07"];

/// Splits `layout` into the text before the first layout token, the token, and the rest.
fn next_chunk(layout: &str) -> Option<(&str, Std, &str)> {
    let b = layout.as_bytes();
    for k in 0..b.len() {
        let rest = &layout[k..];
        let lower_after = |n: usize| rest[n..].starts_with(|c: char| c.is_ascii_lowercase());
        let found: Option<(Std, usize)> = match b[k] {
            b'J' if rest.starts_with("January") => Some((Std::LongMonth, 7)),
            b'J' if rest.starts_with("Jan") && !lower_after(3) => Some((Std::Month, 3)),
            b'M' if rest.starts_with("Monday") => Some((Std::LongWeekDay, 6)),
            b'M' if rest.starts_with("Mon") && !lower_after(3) => Some((Std::WeekDay, 3)),
            b'M' if rest.starts_with("MST") => Some((Std::Tz, 3)),
            b'0' if rest.starts_with("002") => Some((Std::YearDay, 3)),
            b'0' => match b.get(k + 1) {
                Some(b'1') => Some((Std::ZeroMonth, 2)),
                Some(b'2') => Some((Std::ZeroDay, 2)),
                Some(b'3') => Some((Std::ZeroHour12, 2)),
                Some(b'4') => Some((Std::ZeroMinute, 2)),
                Some(b'5') => Some((Std::ZeroSecond, 2)),
                Some(b'6') => Some((Std::Year, 2)),
                _ => None,
            },
            b'1' if rest.starts_with("15") => Some((Std::Hour, 2)),
            b'1' => Some((Std::NumMonth, 1)),
            b'2' if rest.starts_with("2006") => Some((Std::LongYear, 4)),
            b'2' => Some((Std::Day, 1)),
            b'_' if rest.starts_with("_2") && !rest.starts_with("_2006") => {
                Some((Std::UnderDay, 2))
            }
            b'3' => Some((Std::Hour12, 1)),
            b'4' => Some((Std::Minute, 1)),
            b'5' => Some((Std::Second, 1)),
            b'P' if rest.starts_with("PM") => Some((Std::PM(true), 2)),
            b'p' if rest.starts_with("pm") => Some((Std::PM(false), 2)),
            b'-' | b'Z' => ZONES.iter().find_map(|z| {
                let tok = if b[k] == b'Z' {
                    format!("Z{}", &z[1..])
                } else {
                    (*z).to_string()
                };
                rest.starts_with(&tok)
                    .then_some((Std::Zone(b[k] == b'Z', z), tok.len()))
            }),
            b'.' | b',' if matches!(b.get(k + 1), Some(b'0' | b'9')) => {
                let d = b[k + 1];
                let n = rest[1..].bytes().take_while(|&c| c == d).count();
                let next_digit = rest.as_bytes().get(1 + n).is_some_and(u8::is_ascii_digit);
                (!next_digit).then_some((Std::Frac(n, d == b'9'), 1 + n))
            }
            _ => None,
        };
        if let Some((std, len)) = found {
            return Some((&layout[..k], std, &layout[k + len..]));
        }
    }
    None
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Go's `Time.Format` in UTC.
pub fn format(layout: &str, ns: i64) -> String {
    let t = DateTime::<Utc>::from_timestamp_nanos(ns);
    let mut out = String::new();
    let mut rest = layout;
    while let Some((pre, std, after)) = next_chunk(rest) {
        out.push_str(pre);
        let h12 = match t.hour() % 12 {
            0 => 12,
            h => h,
        };
        let piece = match std {
            Std::LongMonth => MONTHS[t.month0() as usize].to_string(),
            Std::Month => MONTHS[t.month0() as usize][..3].to_string(),
            Std::NumMonth => t.month().to_string(),
            Std::ZeroMonth => format!("{:02}", t.month()),
            Std::LongWeekDay => DAYS[t.weekday().num_days_from_sunday() as usize].to_string(),
            Std::WeekDay => DAYS[t.weekday().num_days_from_sunday() as usize][..3].to_string(),
            Std::Day => t.day().to_string(),
            Std::UnderDay => format!("{:>2}", t.day()),
            Std::ZeroDay => format!("{:02}", t.day()),
            Std::YearDay => format!("{:03}", t.ordinal()),
            Std::Hour => format!("{:02}", t.hour()),
            Std::Hour12 => h12.to_string(),
            Std::ZeroHour12 => format!("{h12:02}"),
            Std::Minute => t.minute().to_string(),
            Std::ZeroMinute => format!("{:02}", t.minute()),
            Std::Second => t.second().to_string(),
            Std::ZeroSecond => format!("{:02}", t.second()),
            Std::LongYear => format!("{:04}", t.year()),
            Std::Year => format!("{:02}", t.year().rem_euclid(100)),
            Std::PM(upper) => match (t.hour() >= 12, upper) {
                (true, true) => "PM".into(),
                (true, false) => "pm".into(),
                (false, true) => "AM".into(),
                (false, false) => "am".into(),
            },
            Std::Tz => "UTC".into(),
            Std::Zone(true, _) => "Z".into(),
            Std::Zone(false, z) => z.replacen('-', "+", 1).replace("07", "00"),
            Std::Frac(n, trim) => {
                let digits = format!("{:09}", t.timestamp_subsec_nanos());
                let d = &digits[..n.min(9)];
                let d = if trim { d.trim_end_matches('0') } else { d };
                if d.is_empty() {
                    String::new()
                } else {
                    format!(".{d}")
                }
            }
        };
        out.push_str(&piece);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Go's `time.Parse` (UTC unless the value carries a zone); `None` when the value does not fit.
pub fn parse(layout: &str, value: &str) -> Option<i64> {
    let (mut year, mut month, mut day, mut hour, mut min, mut sec, mut nanos) =
        (1i32, 1u32, 1u32, 0u32, 0u32, 0u32, 0u32);
    let mut pm: Option<bool> = None;
    let mut offset_s = 0i64;
    let mut rest = layout;
    let mut v = value;
    let num = |v: &mut &str, min_len: usize, max_len: usize| -> Option<u32> {
        let n = v
            .bytes()
            .take(max_len)
            .take_while(u8::is_ascii_digit)
            .count();
        if n < min_len {
            return None;
        }
        let out = v[..n].parse().ok();
        *v = &v[n..];
        out
    };
    while let Some((pre, std, after)) = next_chunk(rest) {
        v = v.strip_prefix(pre)?;
        match std {
            Std::LongMonth | Std::Month => {
                let k = MONTHS.iter().position(|m| {
                    let m = if std == Std::Month { &m[..3] } else { m };
                    v.get(..m.len()).is_some_and(|p| p.eq_ignore_ascii_case(m))
                })?;
                month = k as u32 + 1;
                v = &v[if std == Std::Month {
                    3
                } else {
                    MONTHS[k].len()
                }..];
            }
            Std::LongWeekDay | Std::WeekDay => {
                let d = DAYS
                    .iter()
                    .find(|d| v.starts_with(if std == Std::WeekDay { &d[..3] } else { d }))?;
                v = &v[if std == Std::WeekDay { 3 } else { d.len() }..];
            }
            Std::NumMonth | Std::ZeroMonth => {
                month = num(&mut v, if std == Std::ZeroMonth { 2 } else { 1 }, 2)?
            }
            Std::Day | Std::ZeroDay => {
                day = num(&mut v, if std == Std::ZeroDay { 2 } else { 1 }, 2)?
            }
            Std::UnderDay => {
                v = v.strip_prefix(' ').unwrap_or(v);
                day = num(&mut v, 1, 2)?;
            }
            Std::YearDay => {
                num(&mut v, 3, 3)?;
            }
            Std::Hour | Std::Hour12 | Std::ZeroHour12 => {
                hour = num(&mut v, if std == Std::Hour12 { 1 } else { 2 }, 2)?
            }
            Std::Minute | Std::ZeroMinute => {
                min = num(&mut v, if std == Std::Minute { 1 } else { 2 }, 2)?
            }
            Std::Second | Std::ZeroSecond => {
                sec = num(&mut v, if std == Std::Second { 1 } else { 2 }, 2)?;
                // Go accepts a fraction after seconds even when the layout has none.
                if !matches!(next_chunk(after), Some(("", Std::Frac(..), _)))
                    && v.starts_with('.')
                    && !after.starts_with('.')
                {
                    let n = v[1..].bytes().take_while(u8::is_ascii_digit).count();
                    nanos = frac_nanos(&v[1..1 + n]);
                    v = &v[1 + n..];
                }
            }
            Std::LongYear => year = num(&mut v, 4, 4)? as i32,
            Std::Year => {
                let y = num(&mut v, 2, 2)? as i32;
                year = if y >= 69 { 1900 + y } else { 2000 + y };
            }
            Std::PM(_) => {
                let p = v.get(..2)?.to_ascii_uppercase();
                pm = Some(p == "PM");
                if p != "PM" && p != "AM" {
                    return None;
                }
                v = &v[2..];
            }
            Std::Tz => {
                let n = v.bytes().take_while(u8::is_ascii_uppercase).count();
                if n < 3 {
                    return None;
                }
                v = &v[n..];
            }
            Std::Zone(z, _) => {
                if z && v.starts_with('Z') {
                    v = &v[1..];
                } else {
                    let sign = match v.as_bytes().first()? {
                        b'+' => 1,
                        b'-' => -1,
                        _ => return None,
                    };
                    v = &v[1..];
                    let h = i64::from(num(&mut v, 2, 2)?);
                    v = v.strip_prefix(':').unwrap_or(v);
                    let m = i64::from(num(&mut v, 0, 2).unwrap_or(0));
                    offset_s = sign * (h * 3600 + m * 60);
                }
            }
            Std::Frac(..) => {
                let Some(r) = v.strip_prefix(['.', ',']) else {
                    continue;
                };
                let n = r.bytes().take_while(u8::is_ascii_digit).count();
                nanos = frac_nanos(&r[..n]);
                v = &r[n..];
            }
        }
        rest = after;
    }
    if v != rest {
        return None;
    }
    match pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    let dt = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_nano_opt(hour, min, sec, nanos)?;
    let secs = dt.and_utc().timestamp() - offset_s;
    secs.checked_mul(1_000_000_000)?
        .checked_add(i64::from(nanos))
}

fn frac_nanos(d: &str) -> u32 {
    let padded = format!("{:0<9}", &d[..d.len().min(9)]);
    padded.parse().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_795_585_848_695_220_000; // 2026-11-25T05:50:48.69522Z, a Wednesday

    #[test]
    fn formats_go_layouts() {
        assert_eq!(
            format("2006-01-02T15:04:05Z07:00", T),
            "2026-11-25T05:50:48Z"
        );
        assert_eq!(
            format("2006-01-02 15:04:05.000 MST", T),
            "2026-11-25 05:50:48.695 UTC"
        );
        assert_eq!(
            format("Mon Jan _2 3:4:5 PM .999999999 -0700", T),
            "Wed Nov 25 5:50:48 AM .69522 +0000"
        );
        assert_eq!(format("January 2, 06 002", T), "November 25, 26 329");
    }

    #[test]
    fn parses_go_layouts() {
        assert_eq!(
            parse("2006-01-02", "2021-01-02"),
            Some(1_609_545_600_000_000_000)
        );
        assert_eq!(
            parse("2006-01-02T15:04:05Z07:00", "2026-11-25T05:50:48Z"),
            Some(T / 1_000_000_000 * 1_000_000_000)
        );
        assert_eq!(
            parse(
                "2006-01-02T15:04:05.999999999Z07:00",
                "2026-11-25T05:50:48.69522Z"
            ),
            Some(T)
        );
        assert_eq!(
            parse("2006-01-02T15:04:05Z07:00", "2026-11-25T06:50:48+01:00"),
            Some(T / 1_000_000_000 * 1_000_000_000)
        );
        assert_eq!(parse("2006-01-02", "nope"), None);
        assert_eq!(
            parse("2006-01-02 3:04PM", "2021-01-02 1:30PM"),
            Some(1_609_594_200_000_000_000)
        );
        assert_eq!(
            parse("Jan 2 2006", "Feb 3 2021"),
            Some(1_612_310_400_000_000_000)
        );
    }
}
