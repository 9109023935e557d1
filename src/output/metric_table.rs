//! Metric results as a table people read (one column per series, the step time first,
//! values rounded sensibly) or in long form (`--pivot` off), and as CSV for spreadsheets.

use std::collections::BTreeSet;
use std::io::{self, Write};

use chrono::{DateTime, Local, Utc};

use crate::dashboard::format_number;
use crate::model::{Labels, MetricResult, Point};
use crate::sanitize::inline;

use super::metric::format_value;

/// How to lay the table out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricTableOptions {
    /// One column per series (else long form: time, series, value).
    pub pivot: bool,
    /// Times in UTC (with `Z`) instead of local time.
    pub utc: bool,
}

impl Default for MetricTableOptions {
    fn default() -> Self {
        MetricTableOptions {
            pivot: true,
            utc: false,
        }
    }
}

/// `{module="api", tool="x"}`: a series' header, control bytes made visible.
pub fn series_header(l: &Labels) -> String {
    let parts: Vec<String> = l
        .iter()
        .map(|(k, v)| format!("{}=\"{}\"", inline(k), inline(&v.replace('"', "\\\""))))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// Every shape as (labels, points): a vector is one point per series, a scalar one series.
fn as_series(r: &MetricResult) -> Vec<(Labels, Vec<Point>)> {
    match r {
        MetricResult::Matrix(ss) => ss
            .iter()
            .map(|s| (s.metric.clone(), s.points.clone()))
            .collect(),
        MetricResult::Vector(vs) => vs
            .iter()
            .map(|s| (s.metric.clone(), vec![s.point]))
            .collect(),
        MetricResult::Scalar(p) => vec![(Labels::new(), vec![*p])],
    }
}

/// A step time for the table: seconds precision unless a point has milliseconds.
fn time_text(t_ms: i64, utc: bool, with_ms: bool) -> String {
    let fmt = if with_ms {
        "%Y-%m-%d %H:%M:%S%.3f"
    } else {
        "%Y-%m-%d %H:%M:%S"
    };
    let dt = DateTime::<Utc>::from_timestamp_millis(t_ms).unwrap_or_default();
    if utc {
        format!("{}Z", dt.format(fmt))
    } else {
        dt.with_timezone(&Local).format(fmt).to_string()
    }
}

/// The cells of the table, header first; numbers by `num`.
fn grid(
    r: &MetricResult,
    opts: MetricTableOptions,
    num: &dyn Fn(f64) -> String,
    time: &dyn Fn(i64) -> String,
) -> Vec<Vec<String>> {
    let series = as_series(r);
    let mut rows = Vec::new();
    if opts.pivot {
        let times: BTreeSet<i64> = series
            .iter()
            .flat_map(|(_, p)| p.iter().map(|p| p.t_ms))
            .collect();
        let mut head = vec!["time".to_string()];
        head.extend(series.iter().map(|(l, _)| series_header(l)));
        rows.push(head);
        for t in times {
            let mut row = vec![time(t)];
            for (_, pts) in &series {
                let cell = pts
                    .binary_search_by_key(&t, |p| p.t_ms)
                    .ok()
                    .map_or(String::new(), |i| num(pts[i].v));
                row.push(cell);
            }
            rows.push(row);
        }
    } else {
        rows.push(vec!["time".into(), "series".into(), "value".into()]);
        for (l, pts) in &series {
            let h = series_header(l);
            rows.extend(pts.iter().map(|p| vec![time(p.t_ms), h.clone(), num(p.v)]));
        }
    }
    rows
}

/// Writes the aligned table (numbers right-aligned); an empty result writes nothing (callers say
/// so on stderr).
pub fn write_metric_table<W: Write>(
    mut out: W,
    r: &MetricResult,
    opts: MetricTableOptions,
) -> io::Result<()> {
    let with_ms = as_series(r)
        .iter()
        .any(|(_, p)| p.iter().any(|p| p.t_ms % 1000 != 0));
    let rows = grid(r, opts, &format_number, &|t| {
        time_text(t, opts.utc, with_ms)
    });
    if rows.len() <= 1 {
        return out.flush();
    }
    let cols = rows[0].len();
    let widths: Vec<usize> = (0..cols)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let numeric = |c: usize| if opts.pivot { c > 0 } else { c == 2 };
    for row in &rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            let pad = " ".repeat(widths[c] - cell.chars().count());
            if numeric(c) {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if c + 1 < cols {
                    line.push_str(&pad);
                }
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    out.flush()
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV (RFC 4180): RFC 3339 times and values exactly as Loki gives them (no rounding: a
/// spreadsheet should get the full number).
pub fn write_metric_csv<W: Write>(
    mut out: W,
    r: &MetricResult,
    opts: MetricTableOptions,
) -> io::Result<()> {
    let time = |t: i64| {
        let dt = DateTime::<Utc>::from_timestamp_millis(t).unwrap_or_default();
        if opts.utc {
            dt.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        } else {
            dt.with_timezone(&Local)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        }
    };
    for row in grid(r, opts, &format_value, &time) {
        let fields: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
        writeln!(out, "{}", fields.join(","))?;
    }
    out.flush()
}
