//! The query step of a panel, from its width: about two points per terminal column, never
//! more than Loki's 11,000 points per series, rounded up to a step people recognise.

/// Loki's `max_points_per_series`-like hard limit on range query resolution.
pub const MAX_POINTS: i64 = 11_000;

const S: i64 = 1_000_000_000;

const NICE: &[i64] = &[
    S,
    2 * S,
    5 * S,
    10 * S,
    15 * S,
    30 * S,
    60 * S,
    2 * 60 * S,
    5 * 60 * S,
    10 * 60 * S,
    15 * 60 * S,
    30 * 60 * S,
    3600 * S,
    2 * 3600 * S,
    3 * 3600 * S,
    6 * 3600 * S,
    12 * 3600 * S,
    86_400 * S,
];

/// The smallest nice step (1s, 2s, 5s, 10s, 15s, 30s, 1m, … 12h, whole days) ≥ `raw_ns`.
pub fn nice_step_ns(raw_ns: i64) -> i64 {
    if let Some(s) = NICE.iter().find(|s| **s >= raw_ns) {
        return *s;
    }
    let day = 86_400 * S;
    ceil_div(raw_ns, day) * day
}

/// The step for a panel `columns` wide over `[start_ns, end_ns]`, in nanoseconds.
pub fn step_for_width(start_ns: i64, end_ns: i64, columns: u16) -> i64 {
    let range = (end_ns - start_ns).max(1);
    let points = (2 * i64::from(columns.max(1))).min(MAX_POINTS);
    let raw = ceil_div(range, points).max(ceil_div(range, MAX_POINTS));
    nice_step_ns(raw)
}

/// ⌈a / b⌉ for i64 (`i64::div_ceil` is not stable), `b > 0`.
pub(crate) fn ceil_div(a: i64, b: i64) -> i64 {
    a.div_euclid(b) + i64::from(a.rem_euclid(b) != 0)
}
