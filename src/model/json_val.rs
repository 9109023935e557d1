//! A JSON value as the structlog view holds it: strings borrowed from the line when they hold
//! no escapes, numbers as numbers, nested objects and arrays as `serde_json` trees.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// A field's value: strings borrowed from the line when they hold no escapes, numbers as
/// numbers, objects and arrays as JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'a> {
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
    pub fn of_json(v: &Value) -> Val<'static> {
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

impl Val<'_> {
    /// Display text: strings unquoted, everything else as compact JSON (`null` included).
    pub fn display(&self) -> Cow<'_, str> {
        match self {
            Val::Str(s) => Cow::Borrowed(s),
            other => Cow::Owned(other.to_json().to_string()),
        }
    }

    /// Display text of a well-known key: like [`Val::display`], but `null` is absent.
    pub fn known_text(&self) -> Option<Cow<'_, str>> {
        (!self.is_null()).then(|| self.display())
    }
}

/// A key, borrowed from the line unless it holds escapes.
pub(crate) struct Key<'a>(pub(crate) Cow<'a, str>);

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
