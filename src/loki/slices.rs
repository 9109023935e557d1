//! Where to cut a large log query into slices: by the volume index, a page of lines a slice,
//! and on the boundaries of Loki's own query splitting where the lines allow it.
//!
//! Loki's query frontend cuts every `query_range` into sub-queries of `split_queries_by_interval`
//! (1 h by default, 30 min before Loki 3), aligned to multiples of it since the epoch, and each
//! sub-query reads every chunk overlapping it. A slice cut in the middle of such an interval
//! makes Loki read that interval's chunks twice (once for each side): on the lab Loki, 16
//! hour-aligned slices of 50,000 lines cost it less CPU than 13 volume-balanced ones cut
//! anywhere. So slices are made of whole intervals, as many as fit in a page, and only an
//! interval holding more than a page is cut inside (into equal parts by volume).

/// How much of the result lies in `[start_ns, end_ns)`: one bucket of Loki's volume histogram.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VolumeBucket {
    pub start_ns: i64,
    pub end_ns: i64,
    pub weight: f64,
}

/// Cuts `[start, end)` into `n` consecutive slices holding about the same weight of `buckets`
/// (the weight is taken as spread evenly inside a bucket). Slices never overlap and cover the
/// range exactly, so entries on a cut belong to exactly one slice (start inclusive, end
/// exclusive, as Loki's `query_range`). Fewer slices come out when the weight sits in too
/// narrow a span to cut further; without weight, one slice.
pub fn balanced_slices(
    start: i64,
    end: i64,
    buckets: &[VolumeBucket],
    n: usize,
) -> Vec<(i64, i64)> {
    // Clipped to the range, each keeping its whole weight.
    let mut parts: Vec<(i64, i64, f64)> = weighted(buckets)
        .into_iter()
        .filter_map(|(s, e, w)| {
            let (s, e) = (s.max(start), e.min(end));
            (e > s).then_some((s, e, w))
        })
        .collect();
    parts.sort_by_key(|p| p.0);
    let total: f64 = parts.iter().map(|p| p.2).sum();
    if end <= start || n <= 1 || total <= 0.0 {
        return vec![(start, end)];
    }
    let mut cuts: Vec<i64> = Vec::with_capacity(n);
    let mut before = 0.0f64;
    let mut k = 1usize;
    for &(s, e, w) in &parts {
        while k < n {
            let target = total * k as f64 / n as f64;
            if target > before + w {
                break;
            }
            let frac = ((target - before) / w).clamp(0.0, 1.0);
            let cut = s.saturating_add(((e - s) as f64 * frac) as i64).clamp(s, e);
            cuts.push(cut);
            k += 1;
        }
        before += w;
    }
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = start;
    for c in cuts {
        if c > from && c < end {
            out.push((from, c));
            from = c;
        }
    }
    out.push((from, end));
    out
}

/// The length of the interval Loki splits queries by: 1 h, Loki 3's default
/// (`split_queries_by_interval`); a multiple of Loki 2's 30 min, so aligned for both.
pub const SPLIT_INTERVAL_NS: i64 = 3_600_000_000_000;

/// Buckets of the volume histogram asked for to place the cuts (at most; see
/// [`volume_step_s`]).
pub const VOLUME_BUCKETS: i64 = 32;

/// The volume histogram's step for `[from, to)`: about [`VOLUME_BUCKETS`] buckets (Loki
/// answers one sub-query per bucket: 500 buckets cost the lab Loki 0.3 s of CPU, 30 cost
/// 0.03 s), their edges on the split interval: a divisor of it, or whole multiples.
pub fn volume_step_s(from: i64, to: i64) -> i64 {
    let split = SPLIT_INTERVAL_NS / 1_000_000_000;
    let ceil = |a: i64, b: i64| a / b + i64::from(a % b != 0);
    let raw = ceil(
        to.saturating_sub(from).max(0) / 1_000_000_000,
        VOLUME_BUCKETS,
    )
    .max(1);
    if raw >= split {
        ceil(raw, split).saturating_mul(split)
    } else {
        (raw..=split).find(|d| split % d == 0).unwrap_or(split)
    }
}

/// The weight of `parts` (`(start, end, weight)`) inside `[from, to)`, taken as spread evenly
/// inside each part.
fn weight_in(parts: &[(i64, i64, f64)], from: i64, to: i64) -> f64 {
    parts
        .iter()
        .filter(|p| p.1 > from && p.0 < to)
        .map(|&(s, e, w)| {
            let overlap = (e.min(to) - s.max(from)) as f64;
            w * overlap / (e - s) as f64
        })
        .sum()
}

/// The weight of `buckets` inside `[start, end)`, a bucket cut by the range counted in
/// proportion, as [`aligned_slices`] counts it.
pub fn weight_between(buckets: &[VolumeBucket], start: i64, end: i64) -> f64 {
    weight_in(&weighted(buckets), start, end)
}

/// The buckets with weight, as `(start, end, weight)`.
fn weighted(buckets: &[VolumeBucket]) -> Vec<(i64, i64, f64)> {
    buckets
        .iter()
        .filter(|b| b.end_ns > b.start_ns && b.weight.is_finite() && b.weight > 0.0)
        .map(|b| (b.start_ns, b.end_ns, b.weight))
        .collect()
}

/// Cuts `[start, end)` into slices of at most `budget` weight of `buckets`, in ascending time
/// order, covering the range exactly. Cuts fall on multiples of `grid` (Loki's split interval)
/// where possible: a slice is as many whole grid intervals as fit in the budget; an interval
/// holding more than the budget is cut into equal parts by [`balanced_slices`]. Without
/// weight, or with a budget that is not positive, one slice.
pub fn aligned_slices(
    start: i64,
    end: i64,
    buckets: &[VolumeBucket],
    budget: f64,
    grid: i64,
) -> Vec<(i64, i64)> {
    // Unclipped: a bucket reaching past the range counts in proportion (`weight_in`).
    let parts = weighted(buckets);
    if end <= start || weight_in(&parts, start, end) <= 0.0 || budget.is_nan() || budget <= 0.0 {
        return vec![(start, end)];
    }
    let grid = grid.max(1);
    let next = |t: i64| {
        t.div_euclid(grid)
            .saturating_add(1)
            .saturating_mul(grid)
            .min(end)
    };
    let mut out = Vec::new();
    let mut s = start;
    while s < end {
        let first = next(s);
        let w = weight_in(&parts, s, first);
        if w > budget {
            let n = (w / budget).ceil().min(1e6) as usize;
            out.extend(balanced_slices(s, first, buckets, n));
            s = first;
            continue;
        }
        // Whole intervals while they fit; empty stretches cost nothing, so they join too.
        let mut e = first;
        while e < end {
            let further = next(e);
            if weight_in(&parts, s, further) > budget {
                break;
            }
            e = further;
        }
        out.push((s, e));
        s = e;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(start_ns: i64, end_ns: i64, weight: f64) -> VolumeBucket {
        VolumeBucket {
            start_ns,
            end_ns,
            weight,
        }
    }

    #[test]
    fn volume_steps_are_few_and_line_up_with_the_split_interval() {
        const S: i64 = 1_000_000_000;
        // 29 h 21 min (the bench): 3,302 s a bucket at most 32 buckets, up to the hour.
        assert_eq!(volume_step_s(0, (29 * 3600 + 21 * 60) * S), 3600);
        // A week: whole hours.
        assert_eq!(volume_step_s(0, 7 * 86_400 * S), 6 * 3600);
        // Ten minutes: 19 s, up to 20 s, a divisor of the hour.
        assert_eq!(volume_step_s(0, 600 * S), 20);
        // Below a second, or an empty range: one second.
        assert_eq!(volume_step_s(0, 300), 1);
        assert_eq!(volume_step_s(10, 0), 1);
        for span in [1, 59, 601, 3599, 3601, 86_399, 1_000_000] {
            let step = volume_step_s(0, span * S);
            assert!(3600 % step == 0 || step % 3600 == 0, "{span}: {step}");
            assert!(span / step <= VOLUME_BUCKETS, "{span}: {step}");
        }
    }

    #[test]
    fn slices_are_whole_grid_intervals_unless_one_holds_more_than_the_budget() {
        let buckets = [
            b(0, 100, 60.0),
            b(100, 200, 60.0),
            b(200, 300, 60.0),
            b(300, 400, 250.0),
            b(500, 600, 30.0),
            b(600, 700, 30.0),
        ];
        assert_eq!(
            aligned_slices(50, 650, &buckets, 100.0, 100),
            vec![
                // Half an interval and a whole one (90); a third would pass the budget.
                (50, 200),
                (200, 300),
                // 250 in one interval: three equal parts inside it.
                (300, 333),
                (333, 366),
                (366, 400),
                // An empty interval joins the next ones: 45 up to the end.
                (400, 650),
            ]
        );
    }

    #[test]
    fn every_slice_keeps_to_the_budget_and_the_slices_tile_the_range() {
        // 30 hours of ~1,700 lines an hour, from a start that is not on the hour: the bench.
        const H: i64 = SPLIT_INTERVAL_NS;
        let start = 5 * H + H * 59 / 60;
        let buckets: Vec<_> = (5..36)
            .map(|h| b(h * H, (h + 1) * H, 1600.0 + (h % 3) as f64 * 100.0))
            .collect();
        let end = 35 * H + H / 3;
        let got = aligned_slices(start, end, &buckets, 4000.0, H);
        assert_eq!(got.first().map(|s| s.0), Some(start));
        assert_eq!(got.last().map(|s| s.1), Some(end));
        assert!(got.windows(2).all(|w| w[0].1 == w[1].0 && w[0].0 < w[0].1));
        for &(s, e) in &got {
            assert!(weight_between(&buckets, s, e) <= 4000.0, "{s}..{e}");
        }
        // Every cut on the hour; two hours a slice (a third would pass 4000): the first
        // minute and hours 6-7, then 8-9 … 32-33, then hour 34 and the last 20 minutes.
        assert!(got[1..].iter().all(|s| s.0 % H == 0), "{got:?}");
        assert_eq!(got[0], (start, 8 * H));
        assert_eq!(got.len(), 1 + 13 + 1, "{got:?}");
    }

    #[test]
    fn no_weight_or_no_budget_is_one_slice() {
        assert_eq!(
            aligned_slices(0, 1000, &[b(0, 500, 0.0)], 10.0, 100),
            vec![(0, 1000)]
        );
        assert_eq!(
            aligned_slices(0, 1000, &[b(0, 500, 50.0)], 0.0, 100),
            vec![(0, 1000)]
        );
        assert_eq!(
            aligned_slices(0, 1000, &[b(0, 500, 50.0)], f64::NAN, 100),
            vec![(0, 1000)]
        );
        // Weight outside the range does not count.
        assert_eq!(
            aligned_slices(0, 1000, &[b(2000, 3000, 5000.0)], 10.0, 100),
            vec![(0, 1000)]
        );
    }

    #[test]
    fn weight_between_counts_a_cut_bucket_in_proportion() {
        let buckets = [b(0, 100, 50.0), b(100, 200, 10.0)];
        assert_eq!(weight_between(&buckets, 50, 150), 30.0);
        assert_eq!(weight_between(&buckets, 0, 1000), 60.0);
        assert_eq!(weight_between(&buckets, 300, 400), 0.0);
    }
}
