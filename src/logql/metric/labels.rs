//! Label-set operations of metric evaluation: `by`/`without` grouping, `label_replace`, and
//! Prometheus' text form of a label set (for error messages).

use crate::logql::go_quote;
use crate::model::Labels;

/// `by (a, b)` or `without (a, b)`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grouping {
    pub without: bool,
    pub labels: Vec<String>,
}

impl Grouping {
    pub fn by(labels: &[&str]) -> Self {
        Self {
            without: false,
            labels: labels.iter().map(|s| s.to_string()).collect(),
        }
    }

    pub fn without(labels: &[&str]) -> Self {
        Self {
            without: true,
            labels: labels.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The label set a series contributes to its group. `without` also drops labels with an
    /// empty value (Prometheus' label builder does; `by` keeps them), as Loki shows.
    pub fn apply(&self, labels: &Labels) -> Labels {
        if self.without {
            labels
                .iter()
                .filter(|(k, v)| !v.is_empty() && !self.labels.contains(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        } else {
            self.labels
                .iter()
                .filter_map(|k| labels.get(k).map(|v| (k.clone(), v.clone())))
                .collect()
        }
    }
}

/// A label set as Prometheus prints it: `{a="1", b="2"}`.
pub fn labels_text(labels: &Labels) -> String {
    let parts: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}={}", go_quote(v)))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// Prometheus' `label_replace`: when `src`'s value matches the anchored regex, `dst` becomes
/// the expanded replacement (an empty result deletes `dst`).
pub fn label_replace(
    labels: &Labels,
    dst: &str,
    replacement: &str,
    src: &str,
    re: &regex::Regex,
) -> Labels {
    let value = labels.get(src).map_or("", String::as_str);
    let Some(caps) = re.captures(value) else {
        return labels.clone();
    };
    let mut out_value = String::new();
    caps.expand(replacement, &mut out_value);
    let mut out = labels.clone();
    if out_value.is_empty() {
        out.remove(dst);
    } else {
        out.insert(dst.to_string(), out_value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn grouping() {
        let x = l(&[("a", "1"), ("b", "2"), ("c", "3")]);
        assert_eq!(Grouping::by(&["a", "z"]).apply(&x), l(&[("a", "1")]));
        assert_eq!(
            Grouping::without(&["a"]).apply(&x),
            l(&[("b", "2"), ("c", "3")])
        );
        assert_eq!(Grouping::by(&[]).apply(&x), Labels::new());
    }

    #[test]
    fn label_set_text() {
        let x = l(&[("a", "can't \"x\""), ("b", "1")]);
        assert_eq!(labels_text(&x), "{a=\"can't \\\"x\\\"\", b=\"1\"}");
    }

    #[test]
    fn label_replace_semantics() {
        let x = l(&[("module", "api-v1")]);
        let re = crate::logql::regex_go::compile_anchored("(.*)-v(.*)").unwrap();
        assert_eq!(
            label_replace(&x, "ver", "$2", "module", &re),
            l(&[("module", "api-v1"), ("ver", "1")])
        );
        // Anchored: a partial match does not count.
        let re = crate::logql::regex_go::compile_anchored("api").unwrap();
        assert_eq!(label_replace(&x, "ver", "x", "module", &re), x);
        // Empty replacement deletes the destination.
        let re = crate::logql::regex_go::compile_anchored(".*").unwrap();
        assert_eq!(
            label_replace(&x, "module", "", "module", &re),
            Labels::new()
        );
    }
}
