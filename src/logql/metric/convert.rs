//! Unwrap conversions: a label's text to a sample value, as Loki's `unwrap`, `duration()`,
//! `duration_seconds()` and `bytes()` do. Failures read like Go's `strconv` errors, because
//! they end up in `__error_details__`.

/// How an unwrapped label is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Conversion {
    #[default]
    Number,
    /// `duration()` / `duration_seconds()`: a Go duration (`1h2m`, `250ms`) in seconds.
    Duration,
    /// `bytes()`: a humanized size (`1.5KB`, `2MiB`) in bytes.
    Bytes,
}

impl Conversion {
    pub fn from_name(name: Option<&str>) -> Option<Self> {
        Some(match name {
            None | Some("") => Self::Number,
            Some("duration" | "duration_seconds") => Self::Duration,
            Some("bytes") => Self::Bytes,
            Some(_) => return None,
        })
    }

    /// Converts a label value; the error is the `__error_details__` text.
    pub fn convert(self, text: &str) -> Result<f64, String> {
        match self {
            Self::Number => parse_float(text),
            Self::Duration => parse_duration(text).map_err(|e| format!("time: {e}")),
            Self::Bytes => parse_bytes(text),
        }
    }
}

/// Go's `strconv.ParseFloat(s, 64)`.
pub fn parse_float(text: &str) -> Result<f64, String> {
    let err = || {
        format!(
            "strconv.ParseFloat: parsing {}: invalid syntax",
            super::labels::go_quote(text)
        )
    };
    let t = text.replace('_', "");
    let lower = t.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if body.is_empty() || body.starts_with("0x") && !body.contains('p') {
        if let Some(hex) = body.strip_prefix("0x")
            && let Ok(v) = i64::from_str_radix(hex, 16)
        {
            return Ok(if lower.starts_with('-') {
                -(v as f64)
            } else {
                v as f64
            });
        }
        return Err(err());
    }
    match body {
        "inf" | "infinity" => {
            return Ok(if lower.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        "nan" => return Ok(f64::NAN),
        _ => {}
    }
    if !body
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'+' | b'-'))
    {
        return Err(err());
    }
    t.parse::<f64>().map_err(|_| err())
}

/// Go's `time.ParseDuration`, in seconds.
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let err = || format!("invalid duration {}", super::labels::go_quote(text));
    let (neg, mut s) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if s == "0" {
        return Ok(0.0);
    }
    if s.is_empty() {
        return Err(err());
    }
    let mut total = 0.0;
    while !s.is_empty() {
        let n = s
            .bytes()
            .take_while(|c| c.is_ascii_digit() || *c == b'.')
            .count();
        if n == 0 {
            return Err(err());
        }
        let value: f64 = s[..n].parse().map_err(|_| err())?;
        s = &s[n..];
        let u = s
            .bytes()
            .take_while(|c| !c.is_ascii_digit() && *c != b'.')
            .count();
        let unit = &s[..u];
        s = &s[u..];
        let scale = match unit {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "" => {
                return Err(format!(
                    "missing unit in duration {}",
                    super::labels::go_quote(text)
                ));
            }
            other => {
                return Err(format!(
                    "unknown unit {} in duration {}",
                    super::labels::go_quote(other),
                    super::labels::go_quote(text)
                ));
            }
        };
        total += value * scale;
    }
    Ok(if neg { -total } else { total })
}

/// go-humanize's `ParseBytes`: `42`, `42 MB`, `42mib`, `1.5KB` (SI for `KB`, IEC for `KiB`).
pub fn parse_bytes(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let n = t
        .bytes()
        .take_while(|c| c.is_ascii_digit() || matches!(c, b'.' | b','))
        .count();
    let num: f64 = t[..n].replace(',', "").parse().map_err(|_| {
        format!(
            "strconv.ParseFloat: parsing {}: invalid syntax",
            super::labels::go_quote(&t[..n])
        )
    })?;
    let unit = t[n..].trim().to_ascii_lowercase();
    let mult: f64 = match unit.as_str() {
        "" | "b" | "byte" => 1.0,
        "k" | "kb" => 1e3,
        "kib" | "ki" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" | "mi" => 1024f64.powi(2),
        "g" | "gb" => 1e9,
        "gib" | "gi" => 1024f64.powi(3),
        "t" | "tb" => 1e12,
        "tib" | "ti" => 1024f64.powi(4),
        "p" | "pb" => 1e15,
        "pib" | "pi" => 1024f64.powi(5),
        "e" | "eb" => 1e18,
        "eib" | "ei" => 1024f64.powi(6),
        other => return Err(format!("unhandled size name: {other}")),
    };
    Ok(num * mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_float("20.4"), Ok(20.4));
        assert_eq!(parse_float("-3"), Ok(-3.0));
        assert_eq!(parse_float("1e3"), Ok(1000.0));
        assert_eq!(parse_float("0x10"), Ok(16.0));
        assert_eq!(parse_float("+Inf"), Ok(f64::INFINITY));
        assert_eq!(
            parse_float("/v1/libraries/urllib3").unwrap_err(),
            "strconv.ParseFloat: parsing \"/v1/libraries/urllib3\": invalid syntax"
        );
        assert!(parse_float("").is_err());
        assert!(parse_float("1.2.3").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1h30m"), Ok(5400.0));
        assert_eq!(parse_duration("250ms"), Ok(0.25));
        assert_eq!(parse_duration("1.5s"), Ok(1.5));
        assert_eq!(parse_duration("-2m"), Ok(-120.0));
        assert_eq!(parse_duration("0"), Ok(0.0));
        assert!((parse_duration("3us").unwrap() - 3e-6).abs() < 1e-18);
        assert_eq!(
            parse_duration("5").unwrap_err(),
            "missing unit in duration \"5\""
        );
        assert_eq!(
            parse_duration("5d").unwrap_err(),
            "unknown unit \"d\" in duration \"5d\""
        );
        assert_eq!(
            Conversion::Duration.convert("x").unwrap_err(),
            "time: invalid duration \"x\""
        );
    }

    #[test]
    fn bytes() {
        assert_eq!(parse_bytes("42"), Ok(42.0));
        assert_eq!(parse_bytes("1.5KB"), Ok(1500.0));
        assert_eq!(parse_bytes("2 MiB"), Ok(2.0 * 1024.0 * 1024.0));
        assert_eq!(parse_bytes("3gb"), Ok(3e9));
        assert!(parse_bytes("12 parsecs").is_err());
        assert!(parse_bytes("abc").is_err());
        assert_eq!(
            Conversion::from_name(Some("bytes")),
            Some(Conversion::Bytes)
        );
        assert_eq!(Conversion::from_name(Some("nope")), None);
    }
}
