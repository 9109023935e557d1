//! The fields of a JSON line the agent model reads, parsed in one pass that keeps only the
//! keys it knows (borrowing key text from the line) and skips the rest unparsed: most of the
//! cost of rebuilding a run is reading its lines.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

/// Whether the model ever reads `key` (every name in `event::names`, the event and level
/// names, and anything OpenTelemetry GenAI).
pub(crate) fn wanted(key: &str) -> bool {
    key.starts_with("gen_ai")
        || matches!(
            key,
            "agent_id"
                | "agent_type"
                | "target_id"
                | "model"
                | "max_turns"
                | "turn"
                | "turns"
                | "stop_reason"
                | "input_tokens"
                | "output_tokens"
                | "duration_ms"
                | "latency_ms"
                | "elapsed_ms"
                | "tool"
                | "tool_name"
                | "tool_call_id"
                | "args"
                | "arguments"
                | "chars"
                | "result_chars"
                | "result_size"
                | "error"
                | "error.message"
                | "error.type"
                | "exception"
                | "exception.stacktrace"
                | "message"
                | "exc"
                | "traceback"
                | "exc_info"
                | "stack"
                | "role"
                | "content"
                | "cost"
                | "cost_usd"
                | "status"
                | "event"
                | "name"
                | "level"
                | "severity"
                | "levelname"
        )
}

/// A key, borrowed from the line unless it holds escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// The wanted fields of one JSON object, in line order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields<'a>(Vec<(Cow<'a, str>, Value)>);

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor;
        impl<'de> Visitor<'de> for MapVisitor {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Fields<'de>, A::Error> {
                let mut out = Vec::with_capacity(12);
                while let Some(Key(k)) = m.next_key::<Key<'de>>()? {
                    if wanted(&k) {
                        let v = m.next_value::<Value>()?;
                        out.push((k, v));
                    } else {
                        m.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(MapVisitor)
    }
}

/// `gen_ai_usage_input_tokens` is `gen_ai.usage.input_tokens` flattened by Loki's `| json`.
fn same_flattened(key: &str, dotted: &str) -> bool {
    key.len() == dotted.len()
        && key
            .bytes()
            .zip(dotted.bytes())
            .all(|(a, b)| a == b || (a == b'_' && b == b'.'))
}

impl<'a> Fields<'a> {
    pub fn parse(line: &'a str) -> Option<Self> {
        serde_json::from_str(line).ok()
    }

    /// A field by its flat key (`gen_ai.usage.input_tokens`), as a nested path
    /// (`{"gen_ai":{"usage":{…}}}`), or as Loki's `| json` flattening
    /// (`gen_ai_usage_input_tokens`).
    pub fn get(&self, name: &str) -> Option<&Value> {
        if let Some((_, v)) = self.0.iter().find(|(k, _)| k == name) {
            return Some(v);
        }
        if !name.contains('.') {
            return None;
        }
        let mut parts = name.split('.');
        let first = parts.next()?;
        let nested =
            self.0.iter().find(|(k, _)| k == first).and_then(|(_, v)| {
                parts.try_fold(v, |cur, p| cur.as_object().and_then(|o| o.get(p)))
            });
        nested.or_else(|| {
            self.0
                .iter()
                .find(|(k, _)| same_flattened(k, name))
                .map(|(_, v)| v)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::model::event::names;

    #[test]
    fn every_name_the_model_reads_is_kept() {
        let all = [
            names::AGENT_ID,
            names::AGENT_TYPE,
            names::TARGET_ID,
            names::MODEL,
            names::MAX_TURNS,
            names::TURN,
            names::STOP,
            names::INPUT,
            names::OUTPUT,
            names::DURATION,
            names::TOOL,
            names::TOOL_CALL_ID,
            names::ARGS,
            names::CHARS,
            names::ERROR,
            names::TRACEBACK,
            names::ROLE,
            names::CONTENT,
            names::COST,
            names::TURNS,
        ];
        for n in all.iter().flat_map(|g| g.iter()) {
            assert!(wanted(n), "{n}");
        }
    }

    #[test]
    fn keeps_wanted_keys_and_skips_the_rest() {
        let f = Fields::parse(
            r#"{"event":"x","timestamp":"t","logger":"l","big":{"a":[1,2]},"tu\u0072n":3}"#,
        )
        .unwrap();
        assert_eq!(f.0.len(), 2);
        assert_eq!(f.get("turn"), Some(&Value::from(3)));
        assert!(f.get("timestamp").is_none());
        assert!(Fields::parse("[1]").is_none());
    }
}
