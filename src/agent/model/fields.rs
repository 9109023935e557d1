//! The fields of a JSON line the agent model reads, parsed in one pass that keeps only the
//! keys it knows (borrowing key text from the line) and skips the rest unparsed: most of the
//! cost of rebuilding a run is reading its lines.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// A field's value: strings borrowed from the line when they hold no escapes, numbers as
/// numbers, objects and arrays as JSON.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val<'a> {
    Str(Cow<'a, str>),
    U(u64),
    I(i64),
    F(f64),
    Bool(bool),
    Null,
    /// Boxed: objects and arrays are rare, and a small `Val` keeps each line's field list small.
    Json(Box<Value>),
}

impl<'de> Deserialize<'de> for Val<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ValVisitor;
        impl<'de> Visitor<'de> for ValVisitor {
            type Value = Val<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Val<'de>, E> {
                Ok(Val::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Val<'de>, E> {
                Ok(Val::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Val<'de>, E> {
                Ok(Val::Str(Cow::Owned(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Val<'de>, E> {
                Ok(Val::U(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Val<'de>, E> {
                Ok(Val::I(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Val<'de>, E> {
                Ok(Val::F(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Val<'de>, E> {
                Ok(Val::Bool(v))
            }
            fn visit_unit<E>(self) -> Result<Val<'de>, E> {
                Ok(Val::Null)
            }
            fn visit_none<E>(self) -> Result<Val<'de>, E> {
                Ok(Val::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Val<'de>, A::Error> {
                Value::deserialize(SeqAccessDeserializer::new(seq)).map(|v| Val::Json(Box::new(v)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Val<'de>, A::Error> {
                Value::deserialize(MapAccessDeserializer::new(map)).map(|v| Val::Json(Box::new(v)))
            }
        }
        d.deserialize_any(ValVisitor)
    }
}

impl Val<'_> {
    /// A nested JSON value as a field value.
    fn of_json(v: &Value) -> Val<'static> {
        match v {
            Value::String(s) => Val::Str(Cow::Owned(s.clone())),
            Value::Number(n) => n
                .as_u64()
                .map(Val::U)
                .or_else(|| n.as_i64().map(Val::I))
                .unwrap_or_else(|| Val::F(n.as_f64().unwrap_or(0.0))),
            Value::Bool(b) => Val::Bool(*b),
            Value::Null => Val::Null,
            other => Val::Json(Box::new(other.clone())),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// As JSON (for `args`, kept as logged).
    pub fn to_json(&self) -> Value {
        match self {
            Val::Str(s) => Value::String(s.to_string()),
            Val::U(n) => Value::from(*n),
            Val::I(n) => Value::from(*n),
            Val::F(n) => Value::from(*n),
            Val::Bool(b) => Value::Bool(*b),
            Val::Null => Value::Null,
            Val::Json(v) => v.as_ref().clone(),
        }
    }

    /// Display text: strings unquoted; an array of strings (GenAI finish reasons) joined
    /// with commas; anything else as compact JSON.
    pub fn text(&self) -> Option<String> {
        match self {
            Val::Null => None,
            Val::Str(s) => Some(s.to_string()),
            Val::Json(j)
                if let Value::Array(items) = j.as_ref()
                    && items.iter().all(Value::is_string) =>
            {
                Some(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(","),
                )
            }
            other => Some(other.to_json().to_string()),
        }
    }

    pub fn u64(&self) -> Option<u64> {
        match self {
            Val::U(n) => Some(*n),
            Val::I(n) => Some((*n).max(0) as u64),
            Val::F(f) => Some(f.max(0.0) as u64),
            Val::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn f64(&self) -> Option<f64> {
        match self {
            Val::U(n) => Some(*n as f64),
            Val::I(n) => Some(*n as f64),
            Val::F(f) => Some(*f),
            Val::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

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
pub(crate) struct Fields<'a>(Vec<(Cow<'a, str>, Val<'a>)>);

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor;
        impl<'de> Visitor<'de> for MapVisitor {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Fields<'de>, A::Error> {
                let mut out = Vec::with_capacity(8);
                while let Some(Key(k)) = m.next_key::<Key<'de>>()? {
                    if wanted(&k) {
                        let v = m.next_value::<Val<'de>>()?;
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
    pub fn get(&self, name: &str) -> Option<Cow<'_, Val<'a>>> {
        if let Some((_, v)) = self.0.iter().find(|(k, _)| k == name) {
            return Some(Cow::Borrowed(v));
        }
        if !name.contains('.') {
            return None;
        }
        let mut parts = name.split('.');
        let first = parts.next()?;
        let nested = self
            .0
            .iter()
            .find(|(k, _)| k == first)
            .and_then(|(_, v)| match v {
                Val::Json(j) => {
                    parts.try_fold(j.as_ref(), |cur, p| cur.as_object().and_then(|o| o.get(p)))
                }
                _ => None,
            });
        if let Some(n) = nested {
            return Some(Cow::Owned(Val::of_json(n)));
        }
        self.0
            .iter()
            .find(|(k, _)| same_flattened(k, name))
            .map(|(_, v)| Cow::Borrowed(v))
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
        assert_eq!(f.get("turn").unwrap().u64(), Some(3));
        assert_eq!(f.get("event").unwrap().as_str(), Some("x"));
        assert!(matches!(
            f.get("event").unwrap().as_ref(),
            Val::Str(Cow::Borrowed(_))
        ));
        assert!(f.get("timestamp").is_none());
        assert!(Fields::parse("[1]").is_none());
    }
}
