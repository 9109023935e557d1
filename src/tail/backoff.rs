//! Jittered exponential backoff between reconnect attempts (pure: the caller sleeps).

use std::time::Duration;

/// Delay before reconnect attempt `attempt` (1-based): `base·2^(attempt-1)` capped at `max`,
/// then "equal jitter" (half fixed, half random) so many clients do not reconnect in step.
/// `unit` is a random number in [0, 1).
pub fn delay(attempt: u32, base: Duration, max: Duration, unit: f64) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    let capped = exp.min(max);
    let half = capped / 2;
    half + half.mul_f64(unit.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_then_caps_with_jitter_in_the_upper_half() {
        let b = Duration::from_millis(100);
        let m = Duration::from_secs(2);
        assert_eq!(delay(1, b, m, 0.0), Duration::from_millis(50));
        assert_eq!(delay(1, b, m, 0.999_999).as_millis(), 99);
        assert_eq!(delay(3, b, m, 0.0), Duration::from_millis(200));
        assert_eq!(delay(30, b, m, 0.0), Duration::from_secs(1));
        assert!(delay(30, b, m, 0.5) <= m);
    }
}
