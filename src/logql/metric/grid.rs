//! Loki's evaluation grid for range metric queries: the range is rounded out to multiples of
//! the step counted from the Unix epoch (start down, end up), and each point's window is
//! `(t - offset - range, t - offset]`.

use crate::logql::LogqlError;

/// Loki refuses range queries with more points than this per series.
pub const MAX_POINTS: i64 = 11_000;

const NS_PER_MS: i64 = 1_000_000;

/// The evaluation instants of a range query, ns since the epoch.
pub fn steps(start_ns: i64, end_ns: i64, step_ms: i64) -> Result<Vec<i64>, LogqlError> {
    if step_ms <= 0 {
        return Err(LogqlError::msg(
            "zero or negative query resolution step widths are not accepted. Try a positive integer",
        ));
    }
    if end_ns < start_ns {
        return Err(LogqlError::msg(
            "end timestamp must not be before start time",
        ));
    }
    let step_ns = step_ms.saturating_mul(NS_PER_MS);
    if (end_ns - start_ns) / step_ns > MAX_POINTS {
        return Err(LogqlError::msg(
            "exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter",
        ));
    }
    let first = start_ns.div_euclid(step_ns) * step_ns;
    let last = end_ns.div_euclid(step_ns) * step_ns
        + if end_ns.rem_euclid(step_ns) == 0 {
            0
        } else {
            step_ns
        };
    let mut out = Vec::with_capacity(((last - first) / step_ns + 1) as usize);
    let mut t = first;
    while t <= last {
        out.push(t);
        t += step_ns;
    }
    Ok(out)
}

/// Milliseconds of an evaluation instant, as Loki reports points.
pub fn to_ms(t_ns: i64) -> i64 {
    t_ns.div_euclid(NS_PER_MS)
}

/// Index range of the samples (sorted by ts) inside the left-open window `(lo, hi]`.
pub fn window<T>(samples: &[(i64, T)], lo: i64, hi: i64) -> std::ops::Range<usize> {
    let a = samples.partition_point(|(ts, _)| *ts <= lo);
    let b = samples.partition_point(|(ts, _)| *ts <= hi);
    a..b.max(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000_000;

    #[test]
    fn grid_rounds_out_from_the_epoch() {
        // M25: start on the hour, end at 05:50:48.695 -> last point 05:55:00, 240 points.
        let g = steps(1_795_514_400 * S, 1_795_585_848_695_220_000, 300_000).unwrap();
        assert_eq!(g.len(), 240);
        assert_eq!(g[0], 1_795_514_400 * S);
        assert_eq!(*g.last().unwrap(), 1_795_586_100 * S);
        // Start 100 s past a step is rounded down.
        let g = steps(1_000 * S + 100 * S, 1_900 * S, 300_000).unwrap();
        assert_eq!(g, vec![900 * S, 1_200 * S, 1_500 * S, 1_800 * S, 2_100 * S]);
        // End on a step stays.
        assert_eq!(steps(0, 600 * S, 300_000).unwrap().len(), 3);
    }

    #[test]
    fn grid_limits() {
        let e = steps(1_795_507_260 * S, 1_795_594_043 * S, 1_000).unwrap_err();
        assert!(
            e.message
                .starts_with("exceeded maximum resolution of 11,000 points")
        );
        assert!(steps(0, S, 0).is_err());
        assert!(steps(S, 0, 1000).is_err());
        assert_eq!(steps(0, 11_000 * S, 1_000).unwrap().len(), 11_001);
    }

    #[test]
    fn window_is_left_open_right_closed() {
        let s = [(10, ()), (20, ()), (30, ()), (40, ())];
        assert_eq!(window(&s, 10, 30), 1..3);
        assert_eq!(window(&s, 0, 40), 0..4);
        assert_eq!(window(&s, 40, 50), 4..4);
        assert_eq!(window(&s, 25, 26), 2..2);
    }
}
