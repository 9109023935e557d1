//! Range-vector functions (`count_over_time`, `rate`, `quantile_over_time`, …) over the samples
//! of one series inside one window.

/// A range aggregation, as LogQL names it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RangeOp {
    Count,
    Rate,
    RateCounter,
    Bytes,
    BytesRate,
    Sum,
    Avg,
    Min,
    Max,
    Stddev,
    Stdvar,
    Quantile(f64),
    First,
    Last,
    Absent,
}

impl RangeOp {
    /// Parses a LogQL function name (`quantile_over_time` takes its parameter separately).
    pub fn from_name(name: &str, param: Option<f64>) -> Option<Self> {
        Some(match name {
            "count_over_time" => Self::Count,
            "rate" => Self::Rate,
            "rate_counter" => Self::RateCounter,
            "bytes_over_time" => Self::Bytes,
            "bytes_rate" => Self::BytesRate,
            "sum_over_time" => Self::Sum,
            "avg_over_time" => Self::Avg,
            "min_over_time" => Self::Min,
            "max_over_time" => Self::Max,
            "stddev_over_time" => Self::Stddev,
            "stdvar_over_time" => Self::Stdvar,
            "quantile_over_time" => Self::Quantile(param?),
            "first_over_time" => Self::First,
            "last_over_time" => Self::Last,
            "absent_over_time" => Self::Absent,
            _ => return None,
        })
    }

    /// Whether the samples are line byte sizes rather than 1 per line (without unwrap).
    pub fn uses_bytes(self) -> bool {
        matches!(self, Self::Bytes | Self::BytesRate)
    }
}

/// Applies `op` to a non-empty window `(end - range, end]` of samples `(ts_ns, value)` sorted
/// by time.
pub fn apply(op: RangeOp, samples: &[(i64, f64)], range_ns: i64, end_ns: i64) -> f64 {
    let range_s = range_ns as f64 / 1e9;
    let values = || samples.iter().map(|(_, v)| *v);
    match op {
        RangeOp::Count => samples.len() as f64,
        RangeOp::Rate | RangeOp::BytesRate => values().sum::<f64>() / range_s,
        RangeOp::Bytes | RangeOp::Sum => values().sum(),
        RangeOp::Avg => incremental_mean(values()),
        RangeOp::Min => values().fold(f64::NAN, |m, v| if m.is_nan() || v < m { v } else { m }),
        RangeOp::Max => values().fold(f64::NAN, |m, v| if m.is_nan() || v > m { v } else { m }),
        RangeOp::Stdvar => variance(values()),
        RangeOp::Stddev => variance(values()).sqrt(),
        RangeOp::Quantile(q) => {
            let mut v: Vec<f64> = values().collect();
            quantile(q, &mut v)
        }
        RangeOp::First => samples.first().map_or(f64::NAN, |s| s.1),
        RangeOp::Last => samples.last().map_or(f64::NAN, |s| s.1),
        RangeOp::Absent => 1.0,
        RangeOp::RateCounter => counter_rate(samples, range_ns, end_ns),
    }
}

/// Mean computed incrementally, as Prometheus does; an infinite mean stays put unless a NaN or
/// an infinity of the other sign arrives (instead of turning into `Inf - Inf = NaN`).
pub fn incremental_mean(values: impl Iterator<Item = f64>) -> f64 {
    let mut mean = 0.0_f64;
    for (k, v) in values.enumerate() {
        if mean.is_infinite() && (v.is_finite() || (v.is_infinite() && (mean > 0.0) == (v > 0.0))) {
            continue;
        }
        let n = (k + 1) as f64;
        mean += v / n - mean / n;
    }
    mean
}

/// Population variance, computed incrementally (Welford) as Prometheus does.
pub fn variance(values: impl Iterator<Item = f64>) -> f64 {
    let (mut n, mut mean, mut m2) = (0.0, 0.0, 0.0);
    for v in values {
        n += 1.0;
        let delta = v - mean;
        mean += delta / n;
        m2 += delta * (v - mean);
    }
    if n == 0.0 { f64::NAN } else { m2 / n }
}

/// Prometheus' quantile: linear interpolation between the closest ranks; `q` outside [0, 1]
/// gives ±Inf.
pub fn quantile(q: f64, values: &mut [f64]) -> f64 {
    if values.is_empty() || q.is_nan() {
        return f64::NAN;
    }
    if q < 0.0 {
        return f64::NEG_INFINITY;
    }
    if q > 1.0 {
        return f64::INFINITY;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len() as f64;
    let rank = q * (n - 1.0);
    let lower = rank.floor().max(0.0);
    let upper = (lower + 1.0).min(n - 1.0);
    let weight = rank - lower;
    values[lower as usize] * (1.0 - weight) + values[upper as usize] * weight
}

/// Per-second rate of a counter with resets, extrapolated towards the window's edges as
/// Prometheus' `rate` does (Loki's `rate_counter` since its nanosecond fix): an edge gap is
/// extrapolated when shorter than 1.1 average intervals, else by half an interval, and never
/// past the counter's extrapolated zero. 0 with fewer than two samples.
fn counter_rate(samples: &[(i64, f64)], range_ns: i64, end_ns: i64) -> f64 {
    let (Some(first), Some(last)) = (samples.first(), samples.last()) else {
        return 0.0;
    };
    if samples.len() < 2 {
        return 0.0;
    }
    let secs = |ns: i64| ns as f64 / 1e9;
    let mut result = last.1 - first.1;
    let mut prev = 0.0;
    for &(_, v) in samples {
        if v < prev {
            result += prev;
        }
        prev = v;
    }
    let mut to_start = secs(first.0 - (end_ns - range_ns));
    let mut to_end = secs(end_ns - last.0);
    let sampled = secs(last.0 - first.0);
    let avg_between = sampled / (samples.len() - 1) as f64;
    let threshold = avg_between * 1.1;
    if to_start >= threshold {
        to_start = avg_between / 2.0;
    }
    if result > 0.0 && first.1 >= 0.0 {
        to_start = to_start.min(sampled * (first.1 / result));
    }
    if to_end >= threshold {
        to_end = avg_between / 2.0;
    }
    result * ((sampled + to_start + to_end) / sampled) / secs(range_ns)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000_000;

    /// Applies `op` with the window ending at the last sample.
    fn ap(op: RangeOp, x: &[(i64, f64)], range_ns: i64) -> f64 {
        apply(op, x, range_ns, x.last().map_or(0, |l| l.0))
    }

    fn s(v: &[f64]) -> Vec<(i64, f64)> {
        v.iter()
            .enumerate()
            .map(|(k, v)| (k as i64 * S, *v))
            .collect()
    }

    #[test]
    fn counting_and_rates() {
        let x = s(&[1.0, 1.0, 1.0]);
        assert_eq!(ap(RangeOp::Count, &x, 60 * S), 3.0);
        assert_eq!(ap(RangeOp::Rate, &x, 60 * S), 0.05);
        let b = s(&[10.0, 20.0]);
        assert_eq!(ap(RangeOp::Bytes, &b, 60 * S), 30.0);
        assert_eq!(ap(RangeOp::BytesRate, &b, 10 * S), 3.0);
        assert!(RangeOp::Bytes.uses_bytes() && !RangeOp::Count.uses_bytes());
    }

    #[test]
    fn statistics() {
        let x = s(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(ap(RangeOp::Sum, &x, S), 40.0);
        assert_eq!(ap(RangeOp::Avg, &x, S), 5.0);
        assert_eq!(ap(RangeOp::Min, &x, S), 2.0);
        assert_eq!(ap(RangeOp::Max, &x, S), 9.0);
        assert_eq!(ap(RangeOp::Stdvar, &x, S), 4.0);
        assert_eq!(ap(RangeOp::Stddev, &x, S), 2.0);
        assert_eq!(ap(RangeOp::First, &x, S), 2.0);
        assert_eq!(ap(RangeOp::Last, &x, S), 9.0);
        assert_eq!(ap(RangeOp::Absent, &x, S), 1.0);
        assert_eq!(
            ap(RangeOp::Avg, &s(&[f64::INFINITY, 1.0, f64::INFINITY]), S),
            f64::INFINITY
        );
        assert!(ap(RangeOp::Avg, &s(&[f64::INFINITY, f64::NEG_INFINITY]), S).is_nan());
    }

    #[test]
    fn quantiles_interpolate() {
        let x = s(&[4.0, 1.0, 3.0, 2.0]);
        assert_eq!(ap(RangeOp::Quantile(0.5), &x, S), 2.5);
        assert_eq!(ap(RangeOp::Quantile(0.0), &x, S), 1.0);
        assert_eq!(ap(RangeOp::Quantile(1.0), &x, S), 4.0);
        assert!((ap(RangeOp::Quantile(0.95), &x, S) - 3.85).abs() < 1e-12);
        assert_eq!(ap(RangeOp::Quantile(2.0), &x, S), f64::INFINITY);
        assert_eq!(ap(RangeOp::Quantile(-1.0), &x, S), f64::NEG_INFINITY);
        assert_eq!(ap(RangeOp::Quantile(0.9), &s(&[7.0]), S), 7.0);
    }

    #[test]
    fn counter_rate_extrapolates_to_the_window() {
        assert_eq!(ap(RangeOp::RateCounter, &s(&[5.0]), 10 * S), 0.0);
        // Samples at 0..4 s, +1/s; window (-1 s, 5 s]: both edge gaps (1 s) are under 1.1
        // intervals, so the increase is extrapolated over the whole 6 s: 6 / 6 s = 1/s.
        let x = s(&[10.0, 11.0, 12.0, 13.0, 14.0]);
        let r = apply(RangeOp::RateCounter, &x, 6 * S, 5 * S);
        assert!((r - 1.0).abs() < 1e-12, "{r}");
        // A wide window: edges extrapolate by half an interval each: 4 * 5/4 / 60 s.
        let r = apply(RangeOp::RateCounter, &x, 60 * S, 30 * S);
        assert!((r - 5.0 / 60.0).abs() < 1e-12, "{r}");
        // The counter's zero point caps the start: 1,3,5 at 0..2 s would reach 0 at -0.5 s,
        // before the window's start at -1 s: extrapolate 0.5 s, not 1 s.
        let r = apply(RangeOp::RateCounter, &s(&[1.0, 3.0, 5.0]), 3 * S, 2 * S);
        assert!((r - 5.0 / 3.0).abs() < 1e-12, "{r}");
        // A reset (14 -> 1) counts the value before it.
        let reset = apply(
            RangeOp::RateCounter,
            &s(&[10.0, 12.0, 14.0, 1.0, 3.0]),
            10 * S,
            5 * S,
        );
        let plain = apply(
            RangeOp::RateCounter,
            &s(&[10.0, 12.0, 14.0, 15.0, 17.0]),
            10 * S,
            5 * S,
        );
        assert!((reset - plain).abs() < 1e-12, "{reset} {plain}");
    }

    #[test]
    fn names() {
        assert_eq!(RangeOp::from_name("rate", None), Some(RangeOp::Rate));
        assert_eq!(
            RangeOp::from_name("quantile_over_time", Some(0.9)),
            Some(RangeOp::Quantile(0.9))
        );
        assert_eq!(RangeOp::from_name("quantile_over_time", None), None);
        assert_eq!(RangeOp::from_name("nope", None), None);
    }
}
