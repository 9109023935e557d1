//! Vector aggregations (`sum`, `avg`, `topk`, …) over the samples of one instant.

use super::labels::Grouping;
use super::range_fn::{incremental_mean, variance};
use crate::logql::ast::VectorOp;
use crate::model::Labels;

/// One element of an instant vector.
pub type Element = (Labels, f64);

/// Aggregates one instant's vector; `k` is `topk`/`bottomk`'s parameter. Without grouping
/// everything falls in one group with no labels (or, for `topk`/`bottomk`/`sort`, the elements
/// keep their own labels).
pub fn aggregate(
    op: VectorOp,
    k: usize,
    grouping: Option<&Grouping>,
    input: Vec<Element>,
) -> Vec<Element> {
    let key = |l: &Labels| grouping.map_or_else(Labels::new, |g| g.apply(l));
    match op {
        VectorOp::Sort | VectorOp::SortDesc => {
            let mut v = input;
            // NaN sorts last either way, as in Prometheus.
            v.sort_by(|a, b| {
                a.1.is_nan().cmp(&b.1.is_nan()).then_with(|| {
                    if op == VectorOp::Sort {
                        a.1.total_cmp(&b.1)
                    } else {
                        b.1.total_cmp(&a.1)
                    }
                })
            });
            v
        }
        VectorOp::Topk | VectorOp::Bottomk => {
            let mut groups: Vec<(Labels, Vec<Element>)> = Vec::new();
            for e in input {
                let g = key(&e.0);
                match groups.iter_mut().find(|(k, _)| *k == g) {
                    Some((_, members)) => members.push(e),
                    None => groups.push((g, vec![e])),
                }
            }
            let top = op == VectorOp::Topk;
            let mut out = Vec::new();
            for (_, mut members) in groups {
                members.sort_by(|a, b| {
                    // NaN always sorts last, as Prometheus does.
                    let (x, y) = if top { (b.1, a.1) } else { (a.1, b.1) };
                    match (a.1.is_nan(), b.1.is_nan()) {
                        (true, false) => std::cmp::Ordering::Greater,
                        (false, true) => std::cmp::Ordering::Less,
                        _ => x.total_cmp(&y),
                    }
                });
                members.truncate(k);
                out.extend(members);
            }
            out
        }
        _ => {
            let mut groups: Vec<(Labels, Vec<f64>)> = Vec::new();
            for (l, v) in input {
                let g = key(&l);
                match groups.iter_mut().find(|(k, _)| *k == g) {
                    Some((_, vals)) => vals.push(v),
                    None => groups.push((g, vec![v])),
                }
            }
            groups
                .into_iter()
                .map(|(g, vals)| (g, reduce(op, &vals)))
                .collect()
        }
    }
}

fn reduce(op: VectorOp, vals: &[f64]) -> f64 {
    let it = vals.iter().copied();
    match op {
        VectorOp::Sum => it.sum(),
        VectorOp::Avg => incremental_mean(it),
        VectorOp::Min => it.fold(f64::NAN, |m, v| if m.is_nan() || v < m { v } else { m }),
        VectorOp::Max => it.fold(f64::NAN, |m, v| if m.is_nan() || v > m { v } else { m }),
        VectorOp::Count => vals.len() as f64,
        VectorOp::Stdvar => variance(it),
        VectorOp::Stddev => variance(it).sqrt(),
        _ => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(pairs: &[(&str, &str)], v: f64) -> Element {
        (
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            v,
        )
    }

    fn input() -> Vec<Element> {
        vec![
            e(&[("m", "api"), ("l", "info")], 1.0),
            e(&[("m", "api"), ("l", "error")], 3.0),
            e(&[("m", "db"), ("l", "info")], 5.0),
        ]
    }

    #[test]
    fn sums_and_friends() {
        let by_m = Grouping::by(&["m"]);
        assert_eq!(
            aggregate(VectorOp::Sum, 0, Some(&by_m), input()),
            vec![e(&[("m", "api")], 4.0), e(&[("m", "db")], 5.0)]
        );
        assert_eq!(
            aggregate(VectorOp::Sum, 0, None, input()),
            vec![e(&[], 9.0)]
        );
        assert_eq!(
            aggregate(VectorOp::Avg, 0, None, input()),
            vec![e(&[], 3.0)]
        );
        assert_eq!(aggregate(VectorOp::Min, 0, None, input())[0].1, 1.0);
        assert_eq!(aggregate(VectorOp::Max, 0, None, input())[0].1, 5.0);
        assert_eq!(
            aggregate(VectorOp::Count, 0, Some(&by_m), input())[0].1,
            2.0
        );
        let var = aggregate(VectorOp::Stdvar, 0, None, input())[0].1;
        assert!((var - 8.0 / 3.0).abs() < 1e-12);
        assert!((aggregate(VectorOp::Stddev, 0, None, input())[0].1 - var.sqrt()).abs() < 1e-12);
        let without_l = Grouping::without(&["l"]);
        assert_eq!(
            aggregate(VectorOp::Sum, 0, Some(&without_l), input()),
            vec![e(&[("m", "api")], 4.0), e(&[("m", "db")], 5.0)]
        );
    }

    #[test]
    fn topk_keeps_labels() {
        assert_eq!(
            aggregate(VectorOp::Topk, 2, None, input()),
            vec![input()[2].clone(), input()[1].clone()]
        );
        assert_eq!(
            aggregate(VectorOp::Bottomk, 1, None, input()),
            vec![input()[0].clone()]
        );
        let by_m = Grouping::by(&["m"]);
        assert_eq!(
            aggregate(VectorOp::Topk, 1, Some(&by_m), input()),
            vec![input()[1].clone(), input()[2].clone()]
        );
        assert!(aggregate(VectorOp::Topk, 0, None, input()).is_empty());
        let mut with_nan = input();
        with_nan.push(e(&[("m", "x")], f64::NAN));
        assert_eq!(
            aggregate(VectorOp::Topk, 1, None, with_nan.clone())[0].1,
            5.0
        );
        assert_eq!(aggregate(VectorOp::Bottomk, 1, None, with_nan)[0].1, 1.0);
    }

    #[test]
    fn sorting() {
        let v: Vec<f64> = aggregate(VectorOp::SortDesc, 0, None, input())
            .iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(v, vec![5.0, 3.0, 1.0]);
        let mut with_nan = input();
        with_nan.insert(0, e(&[("m", "x")], f64::NAN));
        let v = aggregate(VectorOp::SortDesc, 0, None, with_nan.clone());
        assert!(v[3].1.is_nan() && v[0].1 == 5.0);
        assert!(aggregate(VectorOp::Sort, 0, None, with_nan)[3].1.is_nan());
        let v: Vec<f64> = aggregate(VectorOp::Sort, 0, None, input())
            .iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(v, vec![1.0, 3.0, 5.0]);
    }
}
