//! The details pane's list of a line's fields: stream labels, structured metadata, parsed
//! labels and the JSON body as a tree. Shared by `update` (field actions) and `render`.

use serde_json::Value;

use crate::model::{Structlog, Val, value_text};
use crate::sanitize;

use super::store::Row;

/// Where a field comes from (decides how "filter for" rewrites the query).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Stream,
    Metadata,
    Parsed,
    /// A line of the JSON tree (`key` is the flattened name `| json` gives it).
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub source: Source,
    /// The name a LogQL filter uses (`args_repo` for `{"args":{"repo":…}}`).
    pub key: String,
    /// Label shown in the tree (last path segment), sanitised.
    pub label: String,
    /// Raw value (unsanitised: for filters and copying). `None` for an object heading.
    pub value: Option<String>,
    pub depth: usize,
}

fn push_json(out: &mut Vec<Field>, prefix: &str, key: &str, v: &Value, depth: usize) {
    let flat = if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}_{key}")
    };
    match v {
        Value::Object(map) if !map.is_empty() => {
            out.push(Field {
                source: Source::Json,
                key: flat.clone(),
                label: sanitize::inline(key).into_owned(),
                value: None,
                depth,
            });
            for (k, child) in map {
                push_json(out, &flat, k, child, depth + 1);
            }
        }
        other => out.push(Field {
            source: Source::Json,
            key: flat,
            label: sanitize::inline(key).into_owned(),
            value: Some(value_text(other)),
            depth,
        }),
    }
}

/// Every field of a line, in pane order.
pub fn fields_of(row: &Row<'_>) -> Vec<Field> {
    let mut out = Vec::new();
    let simple = |source, k: &str, v: &str| Field {
        source,
        key: k.to_string(),
        label: sanitize::inline(k).into_owned(),
        value: Some(v.to_string()),
        depth: 0,
    };
    for (k, v) in row.labels() {
        out.push(simple(Source::Stream, k, v));
    }
    if let Some(m) = row.metadata() {
        for (k, v) in m {
            out.push(simple(Source::Metadata, k, v));
        }
    }
    if let Some(p) = row.extra() {
        for (k, v) in p {
            out.push(simple(Source::Parsed, k, v));
        }
    }
    if let Some(s) = Structlog::parse(row.line()) {
        for (k, v) in s.entries() {
            match v {
                Val::Json(j) => push_json(&mut out, "", k, j, 0),
                leaf => out.push(Field {
                    source: Source::Json,
                    key: k.to_string(),
                    label: sanitize::inline(k).into_owned(),
                    value: Some(leaf.display().into_owned()),
                    depth: 0,
                }),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::store::Chunk;
    use super::*;
    use crate::model::{Labels, LogEntry};
    use std::sync::Arc;

    #[test]
    fn tree_with_flattened_keys() {
        let mut l = Labels::new();
        l.insert("app".into(), "v".into());
        let mut e = LogEntry::new(
            1,
            Arc::new(l),
            r#"{"event":"tool.call","args":{"repo":"a/b"}}"#,
        );
        e.metadata.insert("trace_id".into(), "t".into());
        let c = Chunk::build(vec![e]);
        let f = fields_of(&Row {
            chunk: &c,
            local: 0,
        });
        let keys: Vec<(&str, Source, usize)> = f
            .iter()
            .map(|f| (f.key.as_str(), f.source, f.depth))
            .collect();
        assert_eq!(
            keys,
            [
                ("app", Source::Stream, 0),
                ("trace_id", Source::Metadata, 0),
                ("event", Source::Json, 0),
                ("args", Source::Json, 0),
                ("args_repo", Source::Json, 1)
            ]
        );
        assert_eq!(f[3].value, None);
        assert_eq!(f[4].value.as_deref(), Some("a/b"));
    }
}
