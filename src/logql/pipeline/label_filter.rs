//! Compiled label filters and label matchers, with Loki's error semantics: a numeric filter on a
//! missing label drops the line; on a value that is not a number it keeps the line and records
//! `__error__="LabelFilterErr"`.

use regex::Regex;

use super::ip::IpMatcher;
use super::work::Work;
use crate::logql::LogqlError;
use crate::logql::ast::{CmpOp, LabelFilter, MatchOp, Matcher};
use crate::logql::go_quote;
use crate::logql::lexer::parse_bytes;
use crate::logql::regex_go;

/// A compiled `name op "value"` matcher. A missing label matches as the empty string.
#[derive(Debug, Clone)]
pub struct CompiledMatcher {
    pub name: String,
    kind: MatcherKind,
}

#[derive(Debug, Clone)]
enum MatcherKind {
    Eq(String),
    Neq(String),
    Re(Regex),
    Nre(Regex),
}

impl CompiledMatcher {
    pub fn compile(m: &Matcher) -> Result<Self, LogqlError> {
        let re = || {
            regex_go::compile_anchored(&m.value)
                .map_err(|e| LogqlError::msg(format!("parse error : {e}")))
        };
        let kind = match m.op {
            MatchOp::Eq => MatcherKind::Eq(m.value.clone()),
            MatchOp::Neq => MatcherKind::Neq(m.value.clone()),
            MatchOp::Re => MatcherKind::Re(re()?),
            MatchOp::Nre => MatcherKind::Nre(re()?),
        };
        Ok(Self {
            name: m.name.clone(),
            kind,
        })
    }

    /// Tests a value (`None` = label absent, treated as `""`).
    #[inline]
    pub fn matches(&self, value: Option<&str>) -> bool {
        let v = value.unwrap_or("");
        match &self.kind {
            MatcherKind::Eq(s) => v == s,
            MatcherKind::Neq(s) => v != s,
            MatcherKind::Re(r) => r.is_match(v),
            MatcherKind::Nre(r) => !r.is_match(v),
        }
    }
}

/// A compiled label filter expression.
#[derive(Debug, Clone)]
pub enum CompiledLabelFilter {
    Matcher(CompiledMatcher),
    Number {
        name: String,
        op: CmpOp,
        value: f64,
    },
    Duration {
        name: String,
        op: CmpOp,
        value: f64,
    },
    Bytes {
        name: String,
        op: CmpOp,
        value: f64,
    },
    Ip {
        name: String,
        negated: bool,
        m: IpMatcher,
    },
    And(Box<CompiledLabelFilter>, Box<CompiledLabelFilter>),
    Or(Box<CompiledLabelFilter>, Box<CompiledLabelFilter>),
}

/// Error kind recorded when a label filter cannot convert a value.
pub const LABEL_FILTER_ERR: &str = "LabelFilterErr";

/// Go's `strconv.ParseFloat` error text.
pub fn parse_float_error(v: &str) -> String {
    format!(
        "strconv.ParseFloat: parsing {}: invalid syntax",
        go_quote(v)
    )
}

/// Go's `strconv.ParseFloat` (decimal forms, `inf`, `nan`).
pub fn parse_float(v: &str) -> Option<f64> {
    if v.is_empty() || v.contains('_') {
        return None;
    }
    v.parse::<f64>().ok()
}

/// Go's `time.ParseDuration` error text for a value it rejects.
pub fn duration_error(v: &str) -> String {
    let q = go_quote(v);
    let body = v.trim_start_matches(['-', '+']);
    let unit_start = body.find(|c: char| !(c.is_ascii_digit() || c == '.'));
    match unit_start {
        _ if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit() || c == '.') => {
            format!("time: invalid duration {q}")
        }
        None => format!("time: missing unit in duration {q}"),
        Some(i) => {
            let unit: String = body[i..]
                .chars()
                .take_while(|c| !(c.is_ascii_digit() || *c == '.'))
                .collect();
            format!("time: unknown unit {} in duration {q}", go_quote(&unit))
        }
    }
}

/// Go's `time.ParseDuration`, in seconds as `Duration.Seconds()` gives them: whole seconds
/// plus the nanosecond remainder / 1e9, so `186.5ms` is exactly `0.1865`. Fractions are
/// scaled as Go does (digits × unit/scale); `d`, `w` and `y` are also accepted.
pub fn parse_go_duration_secs(v: &str) -> Option<f64> {
    let (neg, body) = match v.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, v.strip_prefix('+').unwrap_or(v)),
    };
    let ns = if body == "0" {
        0
    } else {
        go_duration_ns(body)?
    };
    let secs = (ns / 1_000_000_000) as f64 + (ns % 1_000_000_000) as f64 / 1e9;
    Some(if neg { -secs } else { secs })
}

/// Nanoseconds of an unsigned Go duration (`1h2m3.5s`), integer arithmetic as Go does.
fn go_duration_ns(mut rest: &str) -> Option<u64> {
    if rest.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let int_len = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let whole: u64 = if int_len == 0 {
            0
        } else {
            rest[..int_len].parse().ok()?
        };
        rest = &rest[int_len..];
        let (mut frac, mut scale, mut frac_len) = (0u64, 1f64, 0);
        if let Some(r) = rest.strip_prefix('.') {
            frac_len = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
            for d in r[..frac_len].bytes() {
                // Go drops digits beyond what fits, keeping the value exact to the ns.
                if frac < u64::MAX / 100 {
                    frac = frac * 10 + u64::from(d - b'0');
                    scale *= 10.0;
                }
            }
            rest = &r[frac_len..];
        }
        if int_len == 0 && frac_len == 0 {
            return None;
        }
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit: u64 = match &rest[..unit_len] {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            "d" => 86_400_000_000_000,
            "w" => 604_800_000_000_000,
            "y" => 31_536_000_000_000_000,
            _ => return None,
        };
        rest = &rest[unit_len..];
        let mut part = whole.checked_mul(unit)?;
        if frac > 0 {
            part = part.checked_add((frac as f64 * (unit as f64 / scale)) as u64)?;
        }
        total = total.checked_add(part)?;
    }
    (total <= i64::MAX as u64).then_some(total)
}

impl CompiledLabelFilter {
    pub fn compile(f: &LabelFilter) -> Result<Self, LogqlError> {
        Ok(match f {
            LabelFilter::Matcher(m) => Self::Matcher(CompiledMatcher::compile(m)?),
            LabelFilter::Number { name, op, value } => Self::Number {
                name: name.clone(),
                op: *op,
                value: *value,
            },
            LabelFilter::Duration { name, op, value } => Self::Duration {
                name: name.clone(),
                op: *op,
                value: *value as f64 / 1e9,
            },
            LabelFilter::Bytes { name, op, value } => Self::Bytes {
                name: name.clone(),
                op: *op,
                value: *value,
            },
            LabelFilter::Ip {
                name,
                negated,
                pattern,
            } => Self::Ip {
                name: name.clone(),
                negated: *negated,
                m: IpMatcher::parse(pattern).map_err(LogqlError::msg)?,
            },
            LabelFilter::And(a, b) => {
                Self::And(Box::new(Self::compile(a)?), Box::new(Self::compile(b)?))
            }
            LabelFilter::Or(a, b) => {
                Self::Or(Box::new(Self::compile(a)?), Box::new(Self::compile(b)?))
            }
        })
    }

    /// Label names this filter reads.
    pub fn names(&self, out: &mut Vec<String>) {
        match self {
            Self::Matcher(m) => out.push(m.name.clone()),
            Self::Number { name, .. }
            | Self::Duration { name, .. }
            | Self::Bytes { name, .. }
            | Self::Ip { name, .. } => out.push(name.clone()),
            Self::And(a, b) | Self::Or(a, b) => {
                a.names(out);
                b.names(out);
            }
        }
    }

    /// The value label `name` must equal for an entry to pass: a `name="value"` matcher, on
    /// its own or in an `and`.
    pub fn required_eq(&self, name: &str) -> Option<&str> {
        match self {
            Self::Matcher(CompiledMatcher {
                name: n,
                kind: MatcherKind::Eq(v),
            }) if n == name => Some(v),
            Self::And(a, b) => a.required_eq(name).or_else(|| b.required_eq(name)),
            _ => None,
        }
    }

    /// Whether the entry passes; conversion failures keep it and record `LabelFilterErr`.
    pub fn eval(&self, w: &mut Work<'_>) -> bool {
        match self {
            Self::Matcher(m) => m.matches(w.get(&m.name)),
            Self::Number { name, op, value } => {
                numeric(w, name, *op, *value, parse_float, parse_float_error)
            }
            Self::Duration { name, op, value } => {
                numeric(w, name, *op, *value, parse_go_duration_secs, duration_error)
            }
            Self::Bytes { name, op, value } => numeric(
                w,
                name,
                *op,
                *value,
                |v| parse_bytes(v.trim()),
                parse_float_error,
            ),
            // Loki lets a line that already carries `__error__` through an ip() filter.
            Self::Ip { .. } if w.has_error() => true,
            Self::Ip { name, negated, m } => match w.get(name) {
                Some(v) => m.matches_value(v) != *negated,
                None => false,
            },
            Self::And(a, b) => a.eval(w) && b.eval(w),
            Self::Or(a, b) => {
                let l = a.eval(w);
                let r = b.eval(w);
                l || r
            }
        }
    }
}

fn numeric(
    w: &mut Work<'_>,
    name: &str,
    op: CmpOp,
    want: f64,
    parse: impl Fn(&str) -> Option<f64>,
    error: impl Fn(&str) -> String,
) -> bool {
    let Some(v) = w.get(name) else {
        return false;
    };
    match parse(v) {
        Some(x) => op.test(x, want),
        None => {
            let details = error(v);
            w.set_error(LABEL_FILTER_ERR, details);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Labels, LogEntry};
    use std::sync::Arc;

    fn entry() -> LogEntry {
        let mut l = Labels::new();
        l.insert("app".into(), "x".into());
        LogEntry::new(1, Arc::new(l), "line")
    }

    #[test]
    fn go_parsers() {
        assert_eq!(parse_float("20.4"), Some(20.4));
        assert_eq!(parse_float("1e3"), Some(1000.0));
        assert_eq!(parse_float(""), None);
        assert_eq!(parse_float("abc"), None);
        assert_eq!(parse_go_duration_secs("1m30s"), Some(90.0));
        assert_eq!(parse_go_duration_secs("-250ms"), Some(-0.25));
        assert_eq!(parse_go_duration_secs("0"), Some(0.0));
        assert_eq!(parse_go_duration_secs("5"), None);
        assert_eq!(
            duration_error("20.4"),
            "time: missing unit in duration \"20.4\""
        );
        assert_eq!(duration_error("abc"), "time: invalid duration \"abc\"");
        assert_eq!(
            duration_error("5x"),
            "time: unknown unit \"x\" in duration \"5x\""
        );
        assert_eq!(
            parse_float_error(""),
            "strconv.ParseFloat: parsing \"\": invalid syntax"
        );
    }

    #[test]
    fn numeric_missing_drops_and_bad_value_errors() {
        let e = entry();
        let f = CompiledLabelFilter::Number {
            name: "n".into(),
            op: CmpOp::Gt,
            value: 1.0,
        };
        let mut w = Work::new(&e);
        assert!(!f.eval(&mut w));
        w.set("n", "");
        assert!(f.eval(&mut w));
        assert_eq!(w.get("__error__"), Some("LabelFilterErr"));
        assert_eq!(
            w.get("__error_details__"),
            Some("strconv.ParseFloat: parsing \"\": invalid syntax")
        );
        let mut w = Work::new(&e);
        w.set("n", "2");
        assert!(f.eval(&mut w));
        assert_eq!(w.get("__error__"), None);
    }

    #[test]
    fn matcher_missing_is_empty() {
        let m = CompiledMatcher::compile(&Matcher {
            name: "x".into(),
            op: MatchOp::Neq,
            value: String::new(),
        })
        .unwrap();
        assert!(!m.matches(None));
        assert!(m.matches(Some("a")));
    }
}
