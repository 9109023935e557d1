//! Axis ticks: round numbers on the y axis, whole minutes/hours/days on the time axis (in the
//! user's time zone).

use chrono::{DateTime, FixedOffset, Timelike};

use super::step::ceil_div;

/// 1, 2, 2.5 or 5 × 10ⁿ, the step of at most `max_ticks` ticks covering `[min, max]`, and a
/// whole multiple of `resolution` (the smallest difference the labels show; 0: any).
fn nice_tick_step(span: f64, max_ticks: usize, resolution: f64) -> f64 {
    let raw = (span / max_ticks.max(1) as f64).max(resolution);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let whole = |s: f64| {
        resolution <= 0.0 || {
            let k = s / resolution;
            (k - k.round()).abs() < 1e-6 && k.round() >= 1.0
        }
    };
    [1.0, 2.0, 2.5, 5.0]
        .into_iter()
        .find(|n| f <= *n && whole(n * mag))
        .unwrap_or(10.0)
        * mag
}

/// Round tick values from a multiple of the step at or below `min` to one at or above `max`
/// (so the axis covers the data). A flat series gets a span around its value.
pub fn nice_ticks(min: f64, max: f64, max_ticks: usize) -> Vec<f64> {
    nice_ticks_at(min, max, max_ticks, 0.0)
}

/// [`nice_ticks`] whose step is a whole multiple of `resolution`: with whole counts (or a
/// fixed number of decimals) a step of 0.5 would print `0 1 1 2 2`; this gives `0 1 2`.
pub fn nice_ticks_at(min: f64, max: f64, max_ticks: usize, resolution: f64) -> Vec<f64> {
    if !min.is_finite() || !max.is_finite() {
        return vec![0.0, 1.0];
    }
    let (mut lo, mut hi) = (min.min(max), max.max(min));
    if hi - lo < f64::EPSILON * hi.abs().max(1.0) {
        if lo == 0.0 {
            hi = 1.0;
        } else {
            lo -= lo.abs() * 0.5;
            hi += hi.abs() * 0.5;
        }
    }
    let step = nice_tick_step(hi - lo, max_ticks.max(1), resolution);
    let first = (lo / step).floor();
    let last = (hi / step).ceil();
    // Kill float noise such as 0.30000000000000004: round to the step's decimals, as a division
    // of two whole numbers (correctly rounded).
    let scale = 10f64.powi((1 - step.log10().floor() as i32).max(0));
    (0..=((last - first) as usize))
        .map(|i| ((first + i as f64) * step * scale).round() / scale)
        .map(|v| if v == 0.0 { 0.0 } else { v })
        .collect()
}

const S: i64 = 1_000_000_000;
const TIME_STEPS: &[i64] = &[
    S,
    5 * S,
    15 * S,
    30 * S,
    60 * S,
    5 * 60 * S,
    15 * 60 * S,
    30 * 60 * S,
    3600 * S,
    3 * 3600 * S,
    6 * 3600 * S,
    12 * 3600 * S,
    86_400 * S,
    7 * 86_400 * S,
    30 * 86_400 * S,
];

/// Ticks at whole local times inside `[start_ns, end_ns]`, at most `max_ticks`, each with a
/// label: `HH:MM:SS` under a minute, `HH:MM` under a day (`MM-DD` at local midnight), else
/// `MM-DD`.
pub fn time_ticks(
    start_ns: i64,
    end_ns: i64,
    max_ticks: usize,
    zone: FixedOffset,
) -> Vec<(i64, String)> {
    let span = (end_ns - start_ns).max(1);
    let max_ticks = max_ticks.max(1) as i64;
    let step = TIME_STEPS
        .iter()
        .copied()
        .find(|s| span / s <= max_ticks)
        .unwrap_or_else(|| ceil_div(ceil_div(span, max_ticks), 86_400 * S) * 86_400 * S);
    let off = i64::from(zone.local_minus_utc()) * S;
    let first = (start_ns + off).div_euclid(step) * step - off;
    let mut t = if first < start_ns {
        first + step
    } else {
        first
    };
    let mut out = Vec::new();
    while t <= end_ns {
        let dt = DateTime::from_timestamp_nanos(t).with_timezone(&zone);
        let midnight = dt.hour() == 0 && dt.minute() == 0 && dt.second() == 0;
        let fmt = if step < 60 * S {
            "%H:%M:%S"
        } else if step < 86_400 * S && !midnight {
            "%H:%M"
        } else {
            "%m-%d"
        };
        out.push((t, dt.format(fmt).to_string()));
        t += step;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_at_a_resolution_step_by_whole_multiples_of_it() {
        // whole counts up to 2: not 0, 0.5, 1, 1.5, 2 (which print 0 1 1 2 2)
        assert_eq!(nice_ticks_at(0.0, 2.0, 5, 1.0), vec![0.0, 1.0, 2.0]);
        // 2.5 is no step for whole numbers; 25 is
        assert_eq!(nice_ticks_at(0.0, 10.0, 4, 1.0), vec![0.0, 5.0, 10.0]);
        assert_eq!(
            nice_ticks_at(0.0, 100.0, 4, 1.0),
            vec![0.0, 25.0, 50.0, 75.0, 100.0]
        );
        // a flat zero series of counts: 0 and 1
        assert_eq!(nice_ticks_at(0.0, 0.0, 4, 1.0), vec![0.0, 1.0]);
        // one decimal: steps of 0.1 at the finest
        assert_eq!(nice_ticks_at(0.0, 0.2, 6, 0.1), vec![0.0, 0.1, 0.2]);
        // no resolution: as before
        assert_eq!(nice_ticks_at(0.0, 0.0, 4, 0.0), nice_ticks(0.0, 0.0, 4));
    }
}
