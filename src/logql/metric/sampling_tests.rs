use super::*;

const S: i64 = 1_000_000_000;

/// The windows, written out: the reference `holds` is checked against.
fn naive(steps: &[i64], range: i64, offset: i64, ts: i64) -> bool {
    steps
        .iter()
        .any(|&t| t - offset - range < ts && ts <= t - offset)
}

#[test]
fn coverage_matches_the_windows_written_out() {
    let grids: [&[i64]; 4] = [
        &[0, 30 * S, 60 * S, 90 * S],
        &[100 * S],
        &[-60 * S, 0, 60 * S],
        &[0, 10 * S, 30 * S],
    ];
    for steps in grids {
        for (range, offset) in [
            (5 * S, 0),
            (30 * S, 0),
            (60 * S, 0),
            (90 * S, 0),
            (5 * S, 20 * S),
            (10 * S, -15 * S),
        ] {
            let mut c = Coverage::new(steps, offset, range);
            for ts in (-200..200).map(|k| k * S / 2).chain([1, -1, 30 * S + 1]) {
                let want = naive(steps, range, offset, ts);
                assert_eq!(c.holds(ts), want, "{steps:?} {range} {offset} {ts}");
            }
            for ts in (-200..200).map(|k| k * S / 2) {
                if c.holds(ts) {
                    let (a, b) = c.key(ts);
                    let held: Vec<i64> = (0..steps.len() as i64)
                        .filter(|&i| {
                            let t = steps[i as usize];
                            t - offset - range < ts && ts <= t - offset
                        })
                        .collect();
                    assert_eq!(held, (a..=b).collect::<Vec<_>>(), "{steps:?} {ts}");
                }
            }
            // The same by search, as for a grid that is not uniform.
            c.step = None;
            for ts in (-200..200).map(|k| k * S / 2) {
                let want = naive(steps, range, offset, ts);
                assert_eq!(c.holds(ts), want, "search {steps:?} {range} {offset} {ts}");
            }
        }
    }
}

/// The `i64` fast paths answer as the `i128` reference wherever they answer, near the
/// ends of the `i64` range too.
#[test]
fn narrow_coverage_agrees_with_the_wide_one() {
    let far = i64::MAX / 2;
    let grids: [Vec<i64>; 4] = [
        (0..50).map(|k| k * 7 * S).collect(),
        (0..5).map(|k| far + k * S).collect(),
        (0..5).map(|k| -far + k * 3 * S).collect(),
        vec![i64::MAX - 10],
    ];
    let mut answered = 0;
    let mut ts_list: Vec<i64> = (-400..400).map(|k| k * S / 3).collect();
    ts_list.extend([
        i64::MIN,
        i64::MIN + 1,
        i64::MAX,
        i64::MAX - 1,
        far,
        -far,
        far + S,
    ]);
    for steps in &grids {
        for (range, offset) in [(5 * S, 0), (60 * S, -far), (S, far), (far, 7 * S)] {
            let c = Coverage::new(steps, offset, range);
            for &ts in &ts_list {
                if let Some(h) = c.holds_narrow(ts) {
                    assert_eq!(h, c.holds_wide(ts), "{steps:?} {range} {offset} {ts}");
                }
                if let Some(k) = c.key_narrow(ts) {
                    assert_eq!(k, c.key_wide(ts), "{steps:?} {range} {offset} {ts}");
                }
                assert_eq!(c.holds(ts), c.holds_wide(ts));
            }
            answered += ts_list
                .iter()
                .filter(|&&ts| c.holds_narrow(ts).is_some())
                .count();
        }
    }
    // The fast path answers for most of them (the checks above are not vacuous).
    assert!(answered > 8 * ts_list.len(), "{answered}");
}

/// Folded samples give what counting the lines of each window gives, lines out of time
/// order included, for ranges shorter and longer than the step, with offsets.
#[test]
fn folded_counts_are_the_windows_counts() {
    use crate::logql::MetricQuery;
    use crate::model::MetricResult;
    use std::sync::Arc;
    let mut rng = 0x5eed_u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let streams: Vec<Arc<Labels>> = ["a", "b"]
        .iter()
        .map(|m| {
            Arc::new(
                [
                    ("app".to_string(), "x".to_string()),
                    ("m".to_string(), m.to_string()),
                ]
                .into_iter()
                .collect(),
            )
        })
        .collect();
    let entries: Vec<LogEntry> = (0..3000)
        .map(|_| {
            let ts = (next() % 600) as i64 * S / 2;
            let s = &streams[(next() % 2) as usize];
            LogEntry::new(ts, Arc::clone(s), "x".repeat((next() % 9) as usize + 1))
        })
        .collect();
    for (range, offset) in ["[7s]", "[30s]", "[95s]", "[20s] offset 15s"]
        .iter()
        .zip(0..)
    {
        for (op, bytes) in [("count_over_time", false), ("bytes_over_time", true)] {
            let q = format!("{op}({{app=\"x\"}}{range})");
            let m = MetricQuery::compile(&q).unwrap();
            assert!(
                m.range_sampling(0, 300 * S, 10_000).unwrap().folds[0],
                "{q}"
            );
            for step_ms in [10_000, 3_000, 60_000] {
                let Ok(MetricResult::Matrix(got)) = m.eval_range(&entries, 0, 300 * S, step_ms)
                else {
                    panic!("{q}")
                };
                let (r_ns, off_ns) = match offset {
                    0 => (7 * S, 0),
                    1 => (30 * S, 0),
                    2 => (95 * S, 0),
                    _ => (20 * S, 15 * S),
                };
                for series in &got {
                    for p in &series.points {
                        let t = p.t_ms * 1_000_000 - off_ns;
                        let want: f64 = entries
                            .iter()
                            .filter(|e| *e.labels == series.metric && t - r_ns < e.ts && e.ts <= t)
                            .map(|e| if bytes { e.line.len() as f64 } else { 1.0 })
                            .sum();
                        assert_eq!(p.v, want, "{q} step {step_ms} at {}", p.t_ms);
                    }
                }
                let points: usize = got.iter().map(|s| s.points.len()).sum();
                assert!(points > 0, "{q}");
            }
        }
    }
    // Held samples: about one per window and series, not one per line.
    let m = MetricQuery::compile(r#"count_over_time({app="x"}[10s])"#).unwrap();
    let sampling = m.range_sampling(0, 300 * S, 10_000).unwrap();
    let mut sorted = entries.clone();
    sorted.sort_by_key(|e| e.ts);
    let set = sampling.add_all(&sorted);
    assert!(set.samples() <= 2 * 32, "{}", set.samples());
}
