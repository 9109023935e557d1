//! `--chart`: a metric result as one unicode sparkline per series, with its min, max and last
//! value and the time span, for a quick look in a terminal (the TUI draws real charts).

use std::io::{self, Write};

use crate::dashboard::format_number;
use crate::model::{MetricResult, Point};
use crate::timespec::{TimeStyle, format_time};

use super::metric_table::series_header;

/// Eight heights, lowest first.
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// Columns of one sparkline: more points are merged (the largest value of each group wins, so
/// a spike stays visible).
pub const CHART_WIDTH: usize = 60;

/// The sparkline of `values` in at most `width` columns, scaled from `lo` to `hi`; a NaN or
/// missing value is a space.
pub fn sparkline(values: &[f64], width: usize, lo: f64, hi: f64) -> String {
    if values.is_empty() || width == 0 {
        return String::new();
    }
    let cols = values.len().min(width);
    let mut out = String::with_capacity(cols * 3);
    for c in 0..cols {
        let from = c * values.len() / cols;
        let to = ((c + 1) * values.len() / cols).max(from + 1);
        let v = values[from..to]
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(f64::NAN, f64::max);
        if v.is_nan() {
            out.push(' ');
            continue;
        }
        let span = hi - lo;
        let i = if span > 0.0 {
            (((v - lo) / span) * 7.0).round().clamp(0.0, 7.0) as usize
        } else if v > 0.0 {
            7
        } else {
            0
        };
        out.push(BARS[i]);
    }
    out
}

fn series_of(r: &MetricResult) -> Vec<(String, Vec<Point>)> {
    match r {
        MetricResult::Matrix(ss) => ss
            .iter()
            .map(|s| (series_header(&s.metric), s.points.clone()))
            .collect(),
        MetricResult::Vector(vs) => vs
            .iter()
            .map(|s| (series_header(&s.metric), vec![s.point]))
            .collect(),
        MetricResult::Scalar(p) => vec![("scalar".into(), vec![*p])],
    }
}

/// Writes one block per series: its labels, then `sparkline  min … max … last …`; a line with
/// the time span first. All series share one scale from zero (or the lowest value, if
/// negative), so heights compare across series.
pub fn write_chart<W: Write>(
    mut out: W,
    r: &MetricResult,
    utc: bool,
    color: bool,
) -> io::Result<()> {
    let series = series_of(r);
    let all = || {
        series
            .iter()
            .flat_map(|(_, p)| p.iter().map(|p| p.v))
            .filter(|v| v.is_finite())
    };
    let Some(hi) = all().reduce(f64::max) else {
        return out.flush();
    };
    let lo = all().fold(0.0, f64::min);
    let t0 = series
        .iter()
        .filter_map(|(_, p)| p.first().map(|p| p.t_ms))
        .min();
    let t1 = series
        .iter()
        .filter_map(|(_, p)| p.last().map(|p| p.t_ms))
        .max();
    if let (Some(t0), Some(t1)) = (t0, t1) {
        let t = |ms: i64| format_time(ms.saturating_mul(1_000_000), utc, TimeStyle::Full);
        writeln!(
            out,
            "{} .. {}  (scale {} .. {})",
            t(t0),
            t(t1),
            format_number(lo),
            format_number(hi)
        )?;
    }
    let (on, off) = if color {
        ("\x1b[36m", "\x1b[0m")
    } else {
        ("", "")
    };
    for (name, pts) in &series {
        let values: Vec<f64> = pts.iter().map(|p| p.v).collect();
        let finite = || values.iter().copied().filter(|v| v.is_finite());
        let min = finite().reduce(f64::min).unwrap_or(f64::NAN);
        let max = finite().reduce(f64::max).unwrap_or(f64::NAN);
        let last = values.last().copied().unwrap_or(f64::NAN);
        writeln!(out, "{name}")?;
        writeln!(
            out,
            "  {on}{}{off}  min {}  max {}  last {}",
            sparkline(&values, CHART_WIDTH, lo, hi),
            format_number(min),
            format_number(max),
            format_number(last)
        )?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_from_low_to_high() {
        assert_eq!(sparkline(&[0.0, 7.0, 3.5, 14.0], 60, 0.0, 14.0), "▁▅▃█");
        // Two points per column: the larger wins.
        assert_eq!(sparkline(&[0.0, 14.0, 0.0, 0.0], 2, 0.0, 14.0), "█▁");
        assert_eq!(sparkline(&[f64::NAN, 1.0], 10, 0.0, 1.0), " █");
        assert_eq!(sparkline(&[], 10, 0.0, 1.0), "");
    }

    #[test]
    fn chart_lists_each_series_with_its_numbers() {
        use crate::model::{Labels, Series};
        let mut l = Labels::new();
        l.insert("module".into(), "api".into());
        let r = MetricResult::Matrix(vec![Series {
            metric: l,
            points: vec![
                Point { t_ms: 0, v: 1.0 },
                Point {
                    t_ms: 60_000,
                    v: 1475.9499999999998,
                },
            ],
        }]);
        let mut out = Vec::new();
        write_chart(&mut out, &r, true, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "1970-01-01 00:00:00.000Z .. 1970-01-01 00:01:00.000Z  (scale 0 .. 1475.95)"
        );
        assert_eq!(lines[1], "{module=\"api\"}");
        assert_eq!(lines[2], "  ▁█  min 1  max 1475.95  last 1475.95");
    }
}
