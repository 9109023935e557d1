//! Which labels of an entry only repeat what its line says (a `| json` field Loki merged into
//! the labels): `text` output leaves them out. Asked once per label of every printed line, so
//! the per-line check works on the parsed line directly, without building a set of its keys.

use std::collections::HashSet;

use serde_json::Value;

use crate::model::{LogEntry, Structlog, Val};

/// Label names `| json` derives from a line (flattened with `_`), which Loki may merge into the
/// stream labels: already shown as fields, so not repeated.
fn json_label_names(prefix: &str, v: &Value, out: &mut HashSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}_{k}")
                };
                json_label_names(&name, v, out);
            }
        }
        _ => {
            out.insert(prefix.to_string());
        }
    }
}

/// Whether label `k` only repeats something the line itself says (a parsed field).
pub(super) fn derived(e: &LogEntry, from_line: &HashSet<String>, k: &str) -> bool {
    let base = k.strip_suffix("_extracted").unwrap_or(k);
    e.parsed.contains_key(k) || from_line.contains(k) || from_line.contains(base)
}

pub(super) fn line_keys(json: Option<&Structlog<'_>>) -> HashSet<String> {
    let mut from_line = HashSet::new();
    for (k, v) in json.map_or(&[][..], Structlog::entries) {
        match v {
            Val::Json(j) => json_label_names(k, j, &mut from_line),
            _ => {
                from_line.insert(k.to_string());
            }
        }
    }
    from_line
}

/// Whether `name` is one of [`line_keys`], without building the set (once per label of every
/// printed line: the set's strings would cost more than the rest of the line).
pub(super) fn line_has_key(json: Option<&Structlog<'_>>, name: &str) -> bool {
    json.map_or(&[][..], Structlog::entries)
        .iter()
        .any(|(k, v)| match v {
            Val::Json(j) => name
                .strip_prefix(k.as_ref())
                .is_some_and(|rest| json_names_contain(k.is_empty(), j, rest)),
            _ => k == name,
        })
}

/// Whether [`json_label_names`] of `v` under a prefix `P` (empty or not) produces `P + rest`.
fn json_names_contain(prefix_empty: bool, v: &Value, rest: &str) -> bool {
    match v {
        Value::Object(m) => m.iter().any(|(k, child)| {
            let after = if prefix_empty {
                rest.strip_prefix(k.as_str())
            } else {
                rest.strip_prefix('_')
                    .and_then(|r| r.strip_prefix(k.as_str()))
            };
            after
                .is_some_and(|after| json_names_contain(prefix_empty && k.is_empty(), child, after))
        }),
        _ => rest.is_empty(),
    }
}

/// [`derived`] asked of the line directly.
pub(super) fn derived_from(e: &LogEntry, json: Option<&Structlog<'_>>, k: &str) -> bool {
    let base = k.strip_suffix("_extracted").unwrap_or(k);
    e.parsed.contains_key(k) || line_has_key(json, k) || line_has_key(json, base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asking_the_line_agrees_with_the_set_of_its_keys() {
        let lines = [
            r#"{"event":"e","args":{"sha":"x","deep":{"a":1,"b":[1]}},"list":[1,2],"":{"k":1},"n":null}"#,
            r#"{"a":{},"a_b":1,"x":{"":{"y":2}}}"#,
            r#"{"dup":1,"dup":{"z":1}}"#,
            "not json",
        ];
        let names = [
            "event",
            "args",
            "args_sha",
            "args_deep",
            "args_deep_a",
            "args_deep_b",
            "args_deep_c",
            "list",
            "k",
            "_k",
            "n",
            "a",
            "a_b",
            "x",
            "x_",
            "x__y",
            "x_y",
            "dup",
            "dup_z",
            "",
            "args_",
            "args_sh",
            "evenT",
        ];
        for line in lines {
            let json = Structlog::parse(line);
            let set = line_keys(json.as_ref());
            for name in names {
                assert_eq!(
                    line_has_key(json.as_ref(), name),
                    set.contains(name),
                    "{line} / {name:?}"
                );
            }
            for name in &set {
                assert!(line_has_key(json.as_ref(), name), "{line} / {name:?}");
            }
        }
    }
}
