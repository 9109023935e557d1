//! Values flowing through a template, and how Go prints and tests them.

use chrono::{DateTime, Utc};

/// A Go value as Loki's templates see it: labels are strings, functions make numbers and times.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// `time.Time`, ns since the epoch, shown in UTC.
    Time(i64),
    /// The dot of the entry: the label map.
    Labels,
    /// A decoded JSON object or array (`fromJson`).
    Json(serde_json::Value),
    Nil,
}

impl Value {
    /// Go's truth: false, 0, nil and empty strings are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Str(s) => !s.is_empty(),
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Bool(b) => *b,
            Value::Time(_) | Value::Labels => true,
            Value::Json(serde_json::Value::Object(m)) => !m.is_empty(),
            Value::Json(serde_json::Value::Array(a)) => !a.is_empty(),
            Value::Json(_) => true,
            Value::Nil => false,
        }
    }

    /// Go's view of a decoded JSON value: numbers are float64, objects maps, arrays slices.
    pub fn from_json(v: serde_json::Value) -> Self {
        match v {
            serde_json::Value::String(s) => Value::Str(s),
            serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Null => Value::Nil,
            other => Value::Json(other),
        }
    }

    /// Go's type name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::Int(_) => "int",
            Value::Float(_) => "float64",
            Value::Bool(_) => "bool",
            Value::Time(_) => "time.Time",
            Value::Labels => "map[string]string",
            Value::Json(serde_json::Value::Array(_)) => "[]interface {}",
            Value::Json(_) => "map[string]interface {}",
            Value::Nil => "<nil>",
        }
    }

    /// Text as `fmt.Sprint` gives it.
    pub fn to_text(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => go_float(*f),
            Value::Bool(b) => b.to_string(),
            Value::Time(ns) => go_time(*ns),
            Value::Labels => "map[]".to_string(),
            Value::Json(v) => go_json_text(v),
            Value::Nil => "<nil>".to_string(),
        }
    }
}

/// `fmt.Sprint` of a decoded JSON value: `map[a:1 b:x]` (keys sorted), `[1 x]`.
fn go_json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{k}:{}", go_json_text(&m[*k])))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
        serde_json::Value::Array(a) => {
            let parts: Vec<String> = a.iter().map(go_json_text).collect();
            format!("[{}]", parts.join(" "))
        }
        other => Value::from_json(other.clone()).to_text(),
    }
}

/// Go's `%v` of a float64: shortest digits, exponent form when exp < -4 or exp >= 6.
pub fn go_float(f: f64) -> String {
    format_g(f, None, 6)
}

/// Go's `%g` (`prec` None = shortest); `eprec` is the exponent threshold for shortest output.
pub fn format_g(f: f64, prec: Option<usize>, shortest_eprec: i32) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let sci = match prec {
        None => format!("{f:e}"),
        Some(p) => format!("{:.*e}", p.max(1) - 1, f),
    };
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let mut digits = digits.trim_end_matches('0').to_string();
    if digits.is_empty() {
        digits.push('0');
    }
    let eprec = match prec {
        None => shortest_eprec,
        Some(p) => {
            let p = p.max(1) as i32;
            if p > digits.len() as i32 && digits.len() as i32 > exp {
                digits.len() as i32
            } else {
                p
            }
        }
    };
    let sign = if neg { "-" } else { "" };
    if exp < -4 || exp >= eprec {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{first}{frac}e{esign}{:02}", exp.abs())
    } else if exp < 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize))
    } else {
        let int_len = (exp + 1) as usize;
        if digits.len() <= int_len {
            format!("{sign}{digits}{}", "0".repeat(int_len - digits.len()))
        } else {
            format!("{sign}{}.{}", &digits[..int_len], &digits[int_len..])
        }
    }
}

/// Go's `time.Time.String()` in UTC: `2006-01-02 15:04:05.999999999 +0000 UTC`.
pub fn go_time(ns: i64) -> String {
    if ns == ZERO_TIME_NS {
        return "0001-01-01 00:00:00 +0000 UTC".to_string();
    }
    let t = DateTime::<Utc>::from_timestamp_nanos(ns);
    let frac = t.timestamp_subsec_nanos();
    let frac = if frac == 0 {
        String::new()
    } else {
        format!(".{frac:09}").trim_end_matches('0').to_string()
    };
    format!("{}{frac} +0000 UTC", t.format("%Y-%m-%d %H:%M:%S"))
}

/// Go's zero time (year 1, what `toDate` gives for bad input) does not fit in i64 ns: this
/// sentinel stands for it and prints as Go prints the zero time.
pub const ZERO_TIME_NS: i64 = i64::MIN;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_go() {
        assert_eq!(go_float(1.5), "1.5");
        assert_eq!(go_float(3.0), "3");
        assert_eq!(go_float(1e6), "1e+06");
        assert_eq!(go_float(123456.0), "123456");
        assert_eq!(go_float(0.0001), "0.0001");
        assert_eq!(go_float(0.00001), "1e-05");
        assert_eq!(go_float(-2.25), "-2.25");
        assert_eq!(format_g(1e21, None, 21), "1e+21");
        assert_eq!(format_g(4.12345, Some(3), 21), "4.12");
    }

    #[test]
    fn truth_and_text() {
        assert!(!Value::Str(String::new()).truthy());
        assert!(Value::Str("0".into()).truthy());
        assert!(!Value::Int(0).truthy());
        assert!(!Value::Nil.truthy());
        assert_eq!(
            Value::Time(1_500_000_000).to_text(),
            "1970-01-01 00:00:01.5 +0000 UTC"
        );
        assert_eq!(Value::Bool(true).to_text(), "true");
    }
}
