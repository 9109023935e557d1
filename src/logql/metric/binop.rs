//! Binary operators between instant vectors and scalars, with Prometheus' vector matching
//! (`on`/`ignoring`, `group_left`/`group_right`) and Loki's guard that `x / 0` and `x % 0`
//! give NaN.

use super::agg::Element;
use crate::logql::LogqlError;
use crate::model::Labels;

pub use crate::logql::ast::BinOp;

/// Which side may have several series per match group.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Card {
    #[default]
    OneToOne,
    /// `group_left(include…)`: many on the left.
    ManyToOne(Vec<String>),
    /// `group_right(include…)`: many on the right.
    OneToMany(Vec<String>),
}

/// `on(…)`/`ignoring(…)` and `group_left`/`group_right`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Matching {
    /// `true` for `on(labels)`, `false` for `ignoring(labels)` (or no clause).
    pub on: bool,
    pub labels: Vec<String>,
    pub card: Card,
}

impl Matching {
    fn signature(&self, l: &Labels) -> Labels {
        l.iter()
            .filter(|(k, _)| self.labels.contains(k) == self.on)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// Applies an arithmetic or comparison operator; `None` when a comparison filters the element.
pub fn apply(op: BinOp, l: f64, r: f64, return_bool: bool) -> Option<f64> {
    let cmp = |b: bool| {
        if return_bool {
            Some(if b { 1.0 } else { 0.0 })
        } else if b {
            Some(l)
        } else {
            None
        }
    };
    match op {
        BinOp::Add => Some(l + r),
        BinOp::Sub => Some(l - r),
        BinOp::Mul => Some(l * r),
        BinOp::Div => Some(if r == 0.0 { f64::NAN } else { l / r }),
        BinOp::Mod => Some(if r == 0.0 { f64::NAN } else { l % r }),
        BinOp::Pow => Some(l.powf(r)),
        BinOp::Eq => cmp(l == r),
        BinOp::Neq => cmp(l != r),
        BinOp::Gt => cmp(l > r),
        BinOp::Gte => cmp(l >= r),
        BinOp::Lt => cmp(l < r),
        BinOp::Lte => cmp(l <= r),
        BinOp::And | BinOp::Or | BinOp::Unless => Some(l),
    }
}

/// `scalar op scalar`: comparisons give 1 or 0.
pub fn scalar_scalar(op: BinOp, l: f64, r: f64) -> f64 {
    apply(op, l, r, true).unwrap_or(f64::NAN)
}

/// `vector op scalar` (or `scalar op vector` when `scalar_left`). A filtering comparison keeps
/// the vector's own value.
pub fn vector_scalar(
    op: BinOp,
    return_bool: bool,
    v: Vec<Element>,
    s: f64,
    scalar_left: bool,
) -> Vec<Element> {
    v.into_iter()
        .filter_map(|(labels, x)| {
            let (l, r) = if scalar_left { (s, x) } else { (x, s) };
            let out = apply(op, l, r, return_bool)?;
            let out = if op.is_comparison() && !return_bool {
                x
            } else {
                out
            };
            Some((labels, out))
        })
        .collect()
}

/// `vector op vector` with matching.
pub fn vector_vector(
    op: BinOp,
    return_bool: bool,
    m: &Matching,
    lhs: Vec<Element>,
    rhs: Vec<Element>,
) -> Result<Vec<Element>, LogqlError> {
    if op.is_set() {
        return Ok(set_op(op, m, lhs, rhs));
    }
    let swap = matches!(m.card, Card::OneToMany(_));
    let (many, one) = if swap { (rhs, lhs) } else { (lhs, rhs) };
    let mut one_side: Vec<(Labels, &Element)> = Vec::with_capacity(one.len());
    for e in &one {
        let sig = m.signature(&e.0);
        if one_side.iter().any(|(s, _)| *s == sig) {
            let side = if swap { "left" } else { "right" };
            return Err(LogqlError::msg(format!(
                "found duplicate series for the match group {} on the {side} hand-side of the operation: many-to-many matching not allowed: matching labels must be unique on one side",
                super::labels::labels_text(&sig)
            )));
        }
        one_side.push((sig, e));
    }
    let include: &[String] = match &m.card {
        Card::ManyToOne(i) | Card::OneToMany(i) => i,
        Card::OneToOne => &[],
    };
    let mut out: Vec<Element> = Vec::new();
    let mut seen_sigs: Vec<Labels> = Vec::new();
    for (labels, x) in &many {
        let sig = m.signature(labels);
        let Some((_, (one_labels, y))) = one_side.iter().find(|(s, _)| *s == sig) else {
            continue;
        };
        if m.card == Card::OneToOne {
            if seen_sigs.contains(&sig) {
                return Err(LogqlError::msg(
                    "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
                ));
            }
            seen_sigs.push(sig.clone());
        }
        let (l, r) = if swap { (*y, *x) } else { (*x, *y) };
        let Some(v) = apply(op, l, r, return_bool) else {
            continue;
        };
        let mut metric = if m.card == Card::OneToOne {
            if m.on || !m.labels.is_empty() {
                m.signature(labels)
            } else {
                labels.clone()
            }
        } else {
            labels.clone()
        };
        for name in include {
            match one_labels.get(name) {
                Some(val) if !val.is_empty() => metric.insert(name.clone(), val.clone()),
                _ => metric.remove(name),
            };
        }
        if out.iter().any(|(l, _)| *l == metric) {
            return Err(LogqlError::msg(
                "multiple matches for labels: grouping labels must ensure unique matches",
            ));
        }
        out.push((metric, v));
    }
    Ok(out)
}

fn set_op(op: BinOp, m: &Matching, lhs: Vec<Element>, rhs: Vec<Element>) -> Vec<Element> {
    let rsigs: Vec<Labels> = rhs.iter().map(|e| m.signature(&e.0)).collect();
    match op {
        BinOp::And => lhs
            .into_iter()
            .filter(|e| rsigs.contains(&m.signature(&e.0)))
            .collect(),
        BinOp::Unless => lhs
            .into_iter()
            .filter(|e| !rsigs.contains(&m.signature(&e.0)))
            .collect(),
        _ => {
            let lsigs: Vec<Labels> = lhs.iter().map(|e| m.signature(&e.0)).collect();
            let mut out = lhs;
            out.extend(
                rhs.into_iter()
                    .filter(|e| !lsigs.contains(&m.signature(&e.0))),
            );
            out
        }
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

    #[test]
    fn element_ops() {
        assert_eq!(apply(BinOp::Add, 1.0, 2.0, false), Some(3.0));
        assert_eq!(apply(BinOp::Pow, 2.0, 3.0, false), Some(8.0));
        assert!(apply(BinOp::Div, 1.0, 0.0, false).unwrap().is_nan());
        assert!(apply(BinOp::Mod, 1.0, 0.0, false).unwrap().is_nan());
        assert_eq!(apply(BinOp::Mod, 7.0, 3.0, false), Some(1.0));
        assert_eq!(apply(BinOp::Gt, 2.0, 1.0, false), Some(2.0));
        assert_eq!(apply(BinOp::Gt, 0.0, 1.0, false), None);
        assert_eq!(apply(BinOp::Gt, 0.0, 1.0, true), Some(0.0));
        assert_eq!(scalar_scalar(BinOp::Lte, 1.0, 1.0), 1.0);
        assert_eq!(BinOp::from_symbol("unless"), Some(BinOp::Unless));
    }

    #[test]
    fn scalar_vector() {
        let v = vec![e(&[("a", "1")], 1.0), e(&[("a", "2")], 5.0)];
        assert_eq!(
            vector_scalar(BinOp::Mul, false, v.clone(), 2.0, false),
            vec![e(&[("a", "1")], 2.0), e(&[("a", "2")], 10.0)]
        );
        assert_eq!(
            vector_scalar(BinOp::Sub, false, v.clone(), 10.0, true)[0].1,
            9.0
        );
        assert_eq!(
            vector_scalar(BinOp::Gt, false, v.clone(), 2.0, false),
            vec![e(&[("a", "2")], 5.0)]
        );
        // `2 < v` keeps the vector's value.
        assert_eq!(
            vector_scalar(BinOp::Lt, false, v.clone(), 2.0, true),
            vec![e(&[("a", "2")], 5.0)]
        );
        assert_eq!(vector_scalar(BinOp::Gt, true, v, 2.0, false)[0].1, 0.0);
    }

    #[test]
    fn one_to_one_and_on_ignoring() {
        let l = vec![
            e(&[("t", "a"), ("x", "1")], 6.0),
            e(&[("t", "b"), ("x", "1")], 4.0),
        ];
        let r = vec![
            e(&[("t", "a"), ("x", "1")], 3.0),
            e(&[("t", "c"), ("x", "1")], 1.0),
        ];
        let m = Matching::default();
        assert_eq!(
            vector_vector(BinOp::Div, false, &m, l.clone(), r.clone()).unwrap(),
            vec![e(&[("t", "a"), ("x", "1")], 2.0)]
        );
        let on = Matching {
            on: true,
            labels: vec!["t".into()],
            card: Card::OneToOne,
        };
        assert_eq!(
            vector_vector(BinOp::Sub, false, &on, l.clone(), r.clone()).unwrap(),
            vec![e(&[("t", "a")], 3.0)]
        );
        let ign = Matching {
            on: false,
            labels: vec!["x".into()],
            card: Card::OneToOne,
        };
        assert_eq!(
            vector_vector(BinOp::Sub, false, &ign, l.clone(), r.clone()).unwrap(),
            vec![e(&[("t", "a")], 3.0)]
        );
        assert_eq!(
            vector_vector(BinOp::Gt, true, &m, l.clone(), r.clone()).unwrap()[0].1,
            1.0
        );
        // Matching everything on an empty `on()` is many-to-many: an error.
        let on_none = Matching {
            on: true,
            labels: vec![],
            card: Card::OneToOne,
        };
        assert!(vector_vector(BinOp::Add, false, &on_none, l.clone(), r).is_err());
    }

    #[test]
    fn group_left_and_right() {
        let many = vec![
            e(&[("t", "a"), ("i", "1")], 2.0),
            e(&[("t", "a"), ("i", "2")], 4.0),
        ];
        let one = vec![e(&[("t", "a"), ("owner", "z")], 2.0)];
        let gl = Matching {
            on: true,
            labels: vec!["t".into()],
            card: Card::ManyToOne(vec!["owner".into()]),
        };
        let out = vector_vector(BinOp::Div, false, &gl, many.clone(), one.clone()).unwrap();
        assert_eq!(
            out,
            vec![
                e(&[("i", "1"), ("owner", "z"), ("t", "a")], 1.0),
                e(&[("i", "2"), ("owner", "z"), ("t", "a")], 2.0)
            ]
        );
        let gr = Matching {
            on: true,
            labels: vec!["t".into()],
            card: Card::OneToMany(vec![]),
        };
        let out = vector_vector(BinOp::Sub, false, &gr, one.clone(), many.clone()).unwrap();
        assert_eq!(
            out,
            vec![
                e(&[("i", "1"), ("t", "a")], 0.0),
                e(&[("i", "2"), ("t", "a")], -2.0)
            ]
        );
        // Without group_left, two left series for one right series is an error.
        let on = Matching {
            on: true,
            labels: vec!["t".into()],
            card: Card::OneToOne,
        };
        assert!(vector_vector(BinOp::Div, false, &on, many, one).is_err());
    }

    #[test]
    fn set_operators() {
        let l = vec![e(&[("t", "a")], 1.0), e(&[("t", "b")], 2.0)];
        let r = vec![e(&[("t", "b")], 9.0), e(&[("t", "c")], 3.0)];
        let m = Matching::default();
        assert_eq!(
            vector_vector(BinOp::And, false, &m, l.clone(), r.clone()).unwrap(),
            vec![e(&[("t", "b")], 2.0)]
        );
        assert_eq!(
            vector_vector(BinOp::Unless, false, &m, l.clone(), r.clone()).unwrap(),
            vec![e(&[("t", "a")], 1.0)]
        );
        assert_eq!(
            vector_vector(BinOp::Or, false, &m, l, r).unwrap(),
            vec![
                e(&[("t", "a")], 1.0),
                e(&[("t", "b")], 2.0),
                e(&[("t", "c")], 3.0)
            ]
        );
    }
}
