//! Time functions: `date`, `toDate`, `unixEpoch*`, `unixToTime`, `now`.

use chrono::Utc;

use super::funcs::{arity, s};
use super::timefmt::{format, parse};
use super::value::{Value, ZERO_TIME_NS};

const NAMES: &[&str] = &[
    "unixEpoch",
    "unixEpochMillis",
    "unixEpochNanos",
    "unixToTime",
    "toDate",
    "toDateInZone",
    "date",
    "now",
];

/// Whether `name` is a time function.
pub fn handles(name: &str) -> bool {
    NAMES.contains(&name)
}

fn time_arg(v: &Value) -> Result<i64, String> {
    match v {
        Value::Time(ns) => Ok(*ns),
        other => Err(format!(
            "wrong type for value; expected time.Time; got {}",
            other.type_name()
        )),
    }
}

/// Calls a time function.
pub fn call(name: &str, a: &[Value]) -> Result<Value, String> {
    match name {
        "now" => {
            arity(name, a, 0)?;
            Ok(Value::Time(Utc::now().timestamp_nanos_opt().unwrap_or(0)))
        }
        "unixEpoch" | "unixEpochMillis" | "unixEpochNanos" => {
            arity(name, a, 1)?;
            let ns = time_arg(&a[0])?;
            let v = match name {
                "unixEpoch" => ns.div_euclid(1_000_000_000),
                "unixEpochMillis" => ns.div_euclid(1_000_000),
                _ => ns,
            };
            Ok(Value::Str(v.to_string()))
        }
        "unixToTime" => {
            arity(name, a, 1)?;
            let text = s(&a[0])?;
            let n: i64 = text
                .parse()
                .map_err(|_| format!("strconv.ParseInt: parsing {text:?}: invalid syntax"))?;
            // Loki picks the unit from the number of digits: days, s, ms, µs or ns.
            let ns = match text.len() {
                5 => n.saturating_mul(86_400_000_000_000),
                10 => n.saturating_mul(1_000_000_000),
                13 => n.saturating_mul(1_000_000),
                16 => n.saturating_mul(1_000),
                19 => n,
                _ => return Err(format!("invalid unix timestamp {text:?}")),
            };
            Ok(Value::Time(ns))
        }
        "toDateInZone" => {
            arity(name, a, 3)?;
            // Only UTC is known here (no time-zone database). Loki 65e30f8 has one: it reads
            // `toDateInZone "2006-01-02" "Europe/Paris" "2026-11-25"` as 2026-11-24T23:00Z.
            Ok(Value::Time(
                parse(s(&a[0])?, s(&a[2])?).unwrap_or(ZERO_TIME_NS),
            ))
        }
        "toDate" => {
            arity(name, a, 2)?;
            // Sprig ignores the parse error and returns the zero time.
            Ok(Value::Time(
                parse(s(&a[0])?, s(&a[1])?).unwrap_or(ZERO_TIME_NS),
            ))
        }
        "date" => {
            arity(name, a, 2)?;
            let ns = match &a[1] {
                Value::Time(ns) => *ns,
                Value::Int(secs) => secs.saturating_mul(1_000_000_000),
                _ => Utc::now().timestamp_nanos_opt().unwrap_or(0),
            };
            Ok(Value::Str(format(s(&a[0])?, ns)))
        }
        other => Err(format!("function \"{other}\" not defined")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{render, render_err};

    #[test]
    fn time_functions() {
        assert_eq!(render("{{ __timestamp__ | unixEpoch }}"), "1795585848");
        assert_eq!(
            render("{{ __timestamp__ | unixEpochMillis }} {{ unixEpochNanos __timestamp__ }}"),
            "1795585848695 1795585848695220000"
        );
        assert_eq!(
            render(r#"{{ __timestamp__ | date "2006-01-02" }}"#),
            "2026-11-25"
        );
        assert_eq!(
            render(r#"{{ toDate "2006-01-02" "2021-01-02" | unixEpoch }}"#),
            "1609545600"
        );
        assert_eq!(
            render(
                r#"{{ unixToTime "1609545600" | date "2006" }} {{ unixToTime "1609545600000" | unixEpoch }}"#
            ),
            "2021 1609545600"
        );
        assert_eq!(
            render("{{ __timestamp__ }}"),
            "2026-11-25 05:50:48.69522 +0000 UTC"
        );
        assert!(render("{{ now | unixEpoch }}").len() >= 10);
        assert!(render_err("{{ unixEpoch \"x\" }}").contains("expected time.Time"));
        assert_eq!(
            render(
                r#"{{ unixToTime "18629" | unixEpoch }} {{ unixToTime "1609545600000000000" | unixEpoch }}"#
            ),
            "1609545600 1609545600"
        );
        assert!(render_err(r#"{{ unixToTime "123" }}"#).contains("invalid unix timestamp"));
        assert!(render_err(r#"{{ unixToTime "abc" }}"#).contains("invalid syntax"));
        assert_eq!(
            render(r#"{{ toDateInZone "2006-01-02" "UTC" "2021-01-02" | unixEpoch }}"#),
            "1609545600"
        );
    }
}
