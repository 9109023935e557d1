//! Template variables: `$var`, `${var}`, `${var:format}`, `[[var]]`, and Grafana's global
//! time variables (`$__interval`, `$__auto`, `$__range`…) from a panel's step and range.

use std::collections::BTreeMap;

use super::model::{DashboardError, Variable};
use super::step::ceil_div;

/// The time context of one panel query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeCtx {
    pub start_ns: i64,
    pub end_ns: i64,
    pub step_ns: i64,
}

/// `name=value` from the command line (`--var tool=fetch_diff`).
pub fn parse_override(s: &str) -> Result<(String, String), DashboardError> {
    match s.split_once('=') {
        Some((n, v)) if !n.trim().is_empty() => Ok((n.trim().to_string(), v.to_string())),
        _ => Err(DashboardError::BadOverride(s.to_string())),
    }
}

/// The variables' values: defaults, then overrides (which must name a known variable, so a typo
/// is an error rather than a silently ignored flag).
pub fn resolve_vars(
    defs: &[Variable],
    overrides: &[(String, String)],
) -> Result<BTreeMap<String, String>, DashboardError> {
    let mut vals: BTreeMap<String, String> = defs
        .iter()
        .map(|v| (v.name.clone(), v.default.clone()))
        .collect();
    for (n, v) in overrides {
        if !vals.contains_key(n) {
            let known: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
            return Err(DashboardError::UnknownVariable(n.clone(), known.join(", ")));
        }
        vals.insert(n.clone(), v.clone());
    }
    Ok(vals)
}

/// Milliseconds as Grafana prints an interval: `30s`, `5m`, `1h`, `2d`, `250ms`.
pub fn format_duration_ms(ms: i64) -> String {
    const UNITS: [(i64, &str); 4] = [
        (86_400_000, "d"),
        (3_600_000, "h"),
        (60_000, "m"),
        (1000, "s"),
    ];
    for (n, u) in UNITS {
        if ms >= n && ms % n == 0 {
            return format!("{}{u}", ms / n);
        }
    }
    format!("{}ms", ms.max(1))
}

fn global(name: &str, t: &TimeCtx) -> Option<String> {
    let step_ms = (t.step_ns / 1_000_000).max(1);
    let range_ms = ((t.end_ns - t.start_ns) / 1_000_000).max(1);
    Some(match name {
        "__interval" | "__auto" | "__auto_interval" => format_duration_ms(step_ms),
        "__interval_ms" => step_ms.to_string(),
        // Grafana: max(interval + scrape interval, 4 × scrape interval), scrape interval 15s.
        "__rate_interval" => format_duration_ms((step_ms + 15_000).max(60_000)),
        "__range" => format_duration_ms(ceil_div(range_ms, 1000) * 1000),
        "__range_s" => ceil_div(range_ms, 1000).to_string(),
        "__range_ms" => range_ms.to_string(),
        "__from" => (t.start_ns / 1_000_000).to_string(),
        "__to" => (t.end_ns / 1_000_000).to_string(),
        _ => return None,
    })
}

fn lookup(name: &str, vars: &BTreeMap<String, String>, t: &TimeCtx) -> Option<String> {
    if let Some(g) = global(name, t) {
        return Some(g);
    }
    if name.starts_with("__auto_interval_") {
        return global("__interval", t);
    }
    vars.get(name).map(|v| match v.as_str() {
        // Grafana's "All" of a multi-value variable, as a regex.
        "$__all" => ".*".to_string(),
        _ => v.clone(),
    })
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Substitutes variables in a LogQL expression. Unknown variables are left as written, so
/// the query error names them.
pub fn interpolate(expr: &str, vars: &BTreeMap<String, String>, t: &TimeCtx) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut rest = expr;
    while let Some(i) = rest.find(['$', '[']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let (name, len) = if let Some(inner) = tail.strip_prefix("${") {
            match inner.find('}') {
                Some(end) => {
                    let body = &inner[..end];
                    let name = body.split(':').next().unwrap_or(body);
                    (name, end + 3)
                }
                None => ("", 0),
            }
        } else if let Some(inner) = tail.strip_prefix("[[") {
            match inner.find("]]") {
                Some(end) if inner[..end].chars().all(|c| is_ident(c) || c == ':') => {
                    let body = &inner[..end];
                    (body.split(':').next().unwrap_or(body), end + 4)
                }
                _ => ("", 0),
            }
        } else if let Some(inner) = tail.strip_prefix('$') {
            let n = inner.find(|c: char| !is_ident(c)).unwrap_or(inner.len());
            (&inner[..n], n + 1)
        } else {
            ("", 0)
        };
        match (len, lookup(name, vars, t)) {
            (l, Some(v)) if l > 0 && !name.is_empty() => {
                out.push_str(&v);
                rest = &tail[l..];
            }
            _ => {
                let c = tail.chars().next().map_or(1, char::len_utf8);
                out.push_str(&tail[..c]);
                rest = &tail[c..];
            }
        }
    }
    out.push_str(rest);
    out
}
