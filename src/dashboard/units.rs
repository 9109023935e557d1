//! Units and number formatting: values people can read (`1475.95`, `1.48 s`, `12%`), never
//! `1475.9499999999998`.

use serde::Deserialize;

/// A panel's unit (Grafana's `fieldConfig.defaults.unit` ids).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(from = "String")]
pub enum Unit {
    /// Plain number, sensible rounding.
    #[default]
    None,
    /// Scaled with K/M/B suffixes.
    Short,
    /// Whole numbers (counts of lines, runs).
    Count,
    Ms,
    S,
    /// Bytes, IEC (KiB, MiB…), as Grafana's `bytes`.
    Bytes,
    /// 0–100.
    Percent,
    /// 0–1, shown as percent.
    PercentUnit,
    /// US dollars (Grafana `currencyUSD`).
    Usd,
    /// Anything else: the id shown as a suffix.
    Other(String),
}

impl From<String> for Unit {
    fn from(s: String) -> Unit {
        Unit::parse(&s)
    }
}

impl Unit {
    /// A Grafana unit id (`ms`, `s`, `bytes`, `percent`, `percentunit`, `short`, `none`…).
    pub fn parse(s: &str) -> Unit {
        match s {
            "" | "none" => Unit::None,
            "short" => Unit::Short,
            "count" | "counts" | "locale" => Unit::Count,
            "ms" | "dtdurationms" => Unit::Ms,
            "s" | "dtdurations" => Unit::S,
            "bytes" | "decbytes" => Unit::Bytes,
            "percent" => Unit::Percent,
            "percentunit" => Unit::PercentUnit,
            "currencyUSD" | "usd" => Unit::Usd,
            other => Unit::Other(other.to_string()),
        }
    }
}

/// A plain number with sensible rounding: integers without decimals, otherwise at least two
/// decimals and about four significant digits, trailing zeros dropped.
pub fn format_number(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    let scale = v.abs().max(1.0);
    if (v - v.round()).abs() < 1e-9 * scale {
        return format!("{}", v.round() as i64).replace("-0", "0");
    }
    let mag = v.abs().log10().floor() as i32;
    let decimals = (3 - mag).clamp(2, 12) as usize;
    trim(format!("{v:.decimals$}"))
}

fn trim(s: String) -> String {
    if !s.contains('.') {
        return s;
    }
    let t = s.trim_end_matches('0').trim_end_matches('.');
    if t == "-0" { "0".into() } else { t.into() }
}

fn fixed(v: f64, decimals: Option<u8>) -> String {
    match decimals {
        Some(d) => format!("{v:.*}", d as usize),
        None => format_number(v),
    }
}

/// Three significant digits at most (axis labels, stat values after scaling).
fn compact(v: f64, decimals: Option<u8>) -> String {
    if decimals.is_some() {
        return fixed(v, decimals);
    }
    let a = v.abs();
    let d = if a >= 100.0 || a == 0.0 {
        0
    } else if a >= 10.0 {
        1
    } else {
        2
    };
    trim(format!("{v:.d$}"))
}

fn scaled(v: f64, steps: &[(f64, &str)], decimals: Option<u8>) -> String {
    for (factor, suffix) in steps.iter().rev() {
        if v.abs() >= *factor {
            return format!("{}{suffix}", compact(v / factor, decimals));
        }
    }
    match steps.first() {
        Some((_, s)) => format!("{}{s}", compact(v, decimals)),
        None => compact(v, decimals),
    }
}

/// A value in a unit, for stats, legends and axes (`1.48 s`, `512 KiB`, `12.5%`).
pub fn format_unit(v: f64, unit: &Unit, decimals: Option<u8>) -> String {
    if !v.is_finite() {
        return format_number(v);
    }
    match unit {
        Unit::None => fixed(v, decimals),
        Unit::Count => format!("{}", v.round() as i64),
        Unit::Short => scaled(
            v,
            &[
                (1.0, ""),
                (1e3, " K"),
                (1e6, " Mil"),
                (1e9, " Bil"),
                (1e12, " Tri"),
            ],
            decimals,
        ),
        Unit::Ms => duration(v, decimals),
        Unit::S => duration(v * 1000.0, decimals),
        Unit::Bytes => scaled(
            v,
            &[
                (1.0, " B"),
                (1024.0, " KiB"),
                (1024.0 * 1024.0, " MiB"),
                (1024.0 * 1024.0 * 1024.0, " GiB"),
                (1024f64.powi(4), " TiB"),
            ],
            decimals,
        ),
        Unit::Percent => format!("{}%", compact(v, decimals)),
        Unit::PercentUnit => format!("{}%", compact(v * 100.0, decimals)),
        Unit::Usd => {
            let sign = if v < 0.0 { "-" } else { "" };
            let a = v.abs();
            let body = match decimals {
                Some(_) => fixed(a, decimals),
                None if a >= 1.0 => format!("{a:.2}"),
                None => format_number(a),
            };
            format!("{sign}${body}")
        }
        Unit::Other(id) => format!("{} {id}", fixed(v, decimals)),
    }
}

fn duration(ms: f64, decimals: Option<u8>) -> String {
    let a = ms.abs();
    if a < 1000.0 {
        format!("{} ms", compact(ms, decimals))
    } else if a < 60_000.0 {
        format!("{} s", compact(ms / 1000.0, decimals))
    } else if a < 3_600_000.0 {
        format!("{} min", compact(ms / 60_000.0, decimals))
    } else if a < 86_400_000.0 {
        format!("{} h", compact(ms / 3_600_000.0, decimals))
    } else {
        format!("{} day", compact(ms / 86_400_000.0, decimals))
    }
}
