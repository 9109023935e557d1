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

/// Applies `op` to a non-empty window of samples `(ts_ns, value)` sorted by time.
pub fn apply(op: RangeOp, samples: &[(i64, f64)], range_ns: i64) -> f64 {
    let range_s = range_ns as f64 / 1e9;
    let values = || samples.iter().map(|(_, v)| *v);
    match op {
        RangeOp::Count => samples.len() as f64,
        RangeOp::Rate | RangeOp::BytesRate => values().sum::<f64>() / range_s,
        RangeOp::Bytes | RangeOp::Sum => values().sum(),
        RangeOp::Avg => {
            let mut mean = 0.0;
            for (k, v) in values().enumerate() {
                let n = (k + 1) as f64;
                mean += v / n - mean / n;
            }
            mean
        }
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
        RangeOp::RateCounter => counter_rate(samples, range_ns),
    }
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

/// Per-second rate of a counter with resets, extrapolated to the window as Prometheus'
/// `rate` does; 0 with fewer than two samples.
fn counter_rate(samples: &[(i64, f64)], range_ns: i64) -> f64 {
    if samples.len() < 2 {
        return 0.0;
    }
    let ms = |ns: i64| ns.div_euclid(1_000_000);
    let (first, last) = (samples[0], samples[samples.len() - 1]);
    let range_start = ms(first.0) - ms(range_ns);
    let range_end = ms(last.0);
    let mut result = last.1 - first.1;
    let mut prev = 0.0;
    for &(_, v) in samples {
        if v < prev {
            result += prev;
        }
        prev = v;
    }
    let mut to_start = (ms(first.0) - range_start) as f64 / 1000.0;
    let to_end = (range_end - ms(last.0)) as f64 / 1000.0;
    let sampled = (ms(last.0) - ms(first.0)) as f64 / 1000.0;
    if sampled == 0.0 {
        return 0.0;
    }
    let avg_between = sampled / (samples.len() - 1) as f64;
    if result > 0.0 && first.1 >= 0.0 {
        to_start = to_start.min(sampled * (first.1 / result));
    }
    let threshold = avg_between * 1.1;
    let mut interval = sampled;
    interval += if to_start < threshold {
        to_start
    } else {
        avg_between / 2.0
    };
    interval += if to_end < threshold {
        to_end
    } else {
        avg_between / 2.0
    };
    result * (interval / sampled) / (range_ns as f64 / 1e9)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000_000;

    fn s(v: &[f64]) -> Vec<(i64, f64)> {
        v.iter()
            .enumerate()
            .map(|(k, v)| (k as i64 * S, *v))
            .collect()
    }

    #[test]
    fn counting_and_rates() {
        let x = s(&[1.0, 1.0, 1.0]);
        assert_eq!(apply(RangeOp::Count, &x, 60 * S), 3.0);
        assert_eq!(apply(RangeOp::Rate, &x, 60 * S), 0.05);
        let b = s(&[10.0, 20.0]);
        assert_eq!(apply(RangeOp::Bytes, &b, 60 * S), 30.0);
        assert_eq!(apply(RangeOp::BytesRate, &b, 10 * S), 3.0);
        assert!(RangeOp::Bytes.uses_bytes() && !RangeOp::Count.uses_bytes());
    }

    #[test]
    fn statistics() {
        let x = s(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(apply(RangeOp::Sum, &x, S), 40.0);
        assert_eq!(apply(RangeOp::Avg, &x, S), 5.0);
        assert_eq!(apply(RangeOp::Min, &x, S), 2.0);
        assert_eq!(apply(RangeOp::Max, &x, S), 9.0);
        assert_eq!(apply(RangeOp::Stdvar, &x, S), 4.0);
        assert_eq!(apply(RangeOp::Stddev, &x, S), 2.0);
        assert_eq!(apply(RangeOp::First, &x, S), 2.0);
        assert_eq!(apply(RangeOp::Last, &x, S), 9.0);
        assert_eq!(apply(RangeOp::Absent, &x, S), 1.0);
    }

    #[test]
    fn quantiles_interpolate() {
        let x = s(&[4.0, 1.0, 3.0, 2.0]);
        assert_eq!(apply(RangeOp::Quantile(0.5), &x, S), 2.5);
        assert_eq!(apply(RangeOp::Quantile(0.0), &x, S), 1.0);
        assert_eq!(apply(RangeOp::Quantile(1.0), &x, S), 4.0);
        assert!((apply(RangeOp::Quantile(0.95), &x, S) - 3.85).abs() < 1e-12);
        assert_eq!(apply(RangeOp::Quantile(2.0), &x, S), f64::INFINITY);
        assert_eq!(apply(RangeOp::Quantile(-1.0), &x, S), f64::NEG_INFINITY);
        assert_eq!(apply(RangeOp::Quantile(0.9), &s(&[7.0]), S), 7.0);
    }

    #[test]
    fn counter_rate_handles_resets() {
        assert_eq!(apply(RangeOp::RateCounter, &s(&[5.0]), 10 * S), 0.0);
        // Steady counter: +1/s over 4 s, extrapolated by half an interval at the start.
        let steady = apply(
            RangeOp::RateCounter,
            &s(&[10.0, 11.0, 12.0, 13.0, 14.0]),
            10 * S,
        );
        assert!((steady - 0.45).abs() < 1e-12, "{steady}");
        // A reset (14 -> 1) counts the value before it.
        let reset = apply(
            RangeOp::RateCounter,
            &s(&[10.0, 12.0, 14.0, 1.0, 3.0]),
            10 * S,
        );
        let plain = apply(
            RangeOp::RateCounter,
            &s(&[10.0, 12.0, 14.0, 15.0, 17.0]),
            10 * S,
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
