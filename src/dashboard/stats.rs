//! Per-series numbers (legend stats, reductions), series names from `legendFormat`, and colours
//! that stay with a series across refreshes.

use crate::model::{Labels, Point};
use crate::sanitize::inline;

use super::model::Reduce;

/// A legend line's numbers; NaN points are ignored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegendStats {
    pub last: f64,
    pub min: f64,
    pub max: f64,
    pub avg: f64,
}

/// Last/min/max/avg of the finite-or-infinite (non-NaN) points; `None` when there are none.
pub fn legend_stats(points: &[Point]) -> Option<LegendStats> {
    let vals: Vec<f64> = points.iter().map(|p| p.v).filter(|v| !v.is_nan()).collect();
    let last = *vals.last()?;
    let min = vals.iter().copied().fold(f64::INFINITY, f64::min);
    let max = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let avg = vals.iter().sum::<f64>() / vals.len() as f64;
    Some(LegendStats {
        last,
        min,
        max,
        avg,
    })
}

/// One number for a series (stat, bar gauge); `None` on no points.
pub fn reduce(points: &[Point], how: Reduce) -> Option<f64> {
    let vals = || points.iter().map(|p| p.v).filter(|v| !v.is_nan());
    match how {
        Reduce::Last => points.last().map(|p| p.v),
        Reduce::LastNotNull => vals().next_back(),
        Reduce::First => vals().next(),
        Reduce::Count => Some(vals().count() as f64),
        Reduce::Sum => vals().next().map(|_| vals().sum()),
        Reduce::Min | Reduce::Max | Reduce::Mean => {
            let s = legend_stats(points)?;
            Some(match how {
                Reduce::Min => s.min,
                Reduce::Max => s.max,
                _ => s.avg,
            })
        }
    }
}

/// A series' display name: the `legendFormat` template with `{{label}}` filled in, else the
/// label set (`{tool="fetch_diff"}`), else the query's refId. Control bytes are made visible.
pub fn series_name(labels: &Labels, legend: Option<&str>, fallback: &str) -> String {
    let name = match legend.filter(|l| !l.trim().is_empty() && *l != "__auto") {
        Some(tpl) => {
            let mut out = String::new();
            let mut rest = tpl;
            while let Some(i) = rest.find("{{") {
                out.push_str(&rest[..i]);
                let after = &rest[i + 2..];
                match after.find("}}") {
                    Some(end) => {
                        let key = after[..end].trim();
                        out.push_str(labels.get(key).map_or("", String::as_str));
                        rest = &after[end + 2..];
                    }
                    None => {
                        out.push_str(&rest[i..]);
                        rest = "";
                    }
                }
            }
            out.push_str(rest);
            out
        }
        None if labels.is_empty() => fallback.to_string(),
        None => {
            let parts: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
            format!("{{{}}}", parts.join(", "))
        }
    };
    let name = name.trim();
    if name.is_empty() {
        return inline(fallback).into_owned();
    }
    inline(name).into_owned()
}

fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A palette slot per series name: each name prefers the slot its hash gives (so a series
/// keeps its colour when others come and go); clashes move to the next free slot, in name
/// order so the result does not depend on the order series arrive in.
pub fn assign_colors(names: &[String], palette_len: usize) -> Vec<usize> {
    let n = palette_len.max(1);
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|a, b| names[*a].cmp(&names[*b]));
    let mut taken = vec![0usize; n];
    let mut out = vec![0; names.len()];
    for i in order {
        let want = (fnv1a(&names[i]) % n as u64) as usize;
        let round = taken.iter().min().copied().unwrap_or(0);
        let slot = (0..n)
            .map(|k| (want + k) % n)
            .find(|s| taken[*s] == round)
            .unwrap_or(want);
        taken[slot] += 1;
        out[i] = slot;
    }
    out
}
