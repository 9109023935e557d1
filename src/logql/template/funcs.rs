//! The function table: Go's built-ins and the Sprig/Loki functions `line_format` offers.
//! Arguments are checked like Go checks typed parameters; numeric Sprig helpers convert
//! loosely like Sprig's `cast` does.

use super::TemplateContext;
use super::value::Value;
use super::{math, printf, strfuncs, timefuncs};

/// Every function name a template may call.
const NAMES: &[&str] = &[
    // Go built-ins
    "and",
    "or",
    "not",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "len",
    "print",
    "printf",
    "println",
    "urlquery",
    "html",
    "js",
    "index",
    "slice",
    "call",
    // strings
    "ToUpper",
    "ToLower",
    "toUpper",
    "toLower",
    "title",
    "trunc",
    "substr",
    "replace",
    "trim",
    "trimAll",
    "trimPrefix",
    "trimSuffix",
    "trimSpace",
    "default",
    "contains",
    "hasPrefix",
    "hasSuffix",
    "regexReplaceAll",
    "regexReplaceAllLiteral",
    "indent",
    "nindent",
    "repeat",
    "alignLeft",
    "alignRight",
    "count",
    "toJson",
    "urlencode",
    "urldecode",
    "b64enc",
    "b64dec",
    "fromJson",
    // Go `strings` functions and Loki conversions
    "lower",
    "upper",
    "Replace",
    "Trim",
    "TrimLeft",
    "TrimRight",
    "TrimPrefix",
    "TrimSuffix",
    "TrimSpace",
    "bytes",
    "duration",
    "duration_seconds",
    // numbers
    "add",
    "sub",
    "mul",
    "div",
    "mod",
    "addf",
    "subf",
    "mulf",
    "divf",
    "max",
    "min",
    "maxf",
    "minf",
    "ceil",
    "floor",
    "round",
    "int",
    "float64",
    // time and entry
    "unixEpoch",
    "unixEpochMillis",
    "unixEpochNanos",
    "unixToTime",
    "toDateInZone",
    "toDate",
    "date",
    "now",
    "__line__",
    "__timestamp__",
];

/// Whether `name` is a known function (checked at parse time).
pub fn exists(name: &str) -> bool {
    NAMES.contains(&name)
}

/// Fails unless exactly `n` arguments were given, with Go's wording.
pub fn arity(name: &str, args: &[Value], n: usize) -> Result<(), String> {
    if args.len() == n {
        Ok(())
    } else {
        Err(format!(
            "wrong number of args for {name}: want {n} got {}",
            args.len()
        ))
    }
}

pub fn min_arity(name: &str, args: &[Value], n: usize) -> Result<(), String> {
    if args.len() >= n {
        Ok(())
    } else {
        Err(format!(
            "wrong number of args for {name}: want at least {n} got {}",
            args.len()
        ))
    }
}

/// A string parameter: only strings are accepted, as in Go.
pub fn s(v: &Value) -> Result<&str, String> {
    match v {
        Value::Str(s) => Ok(s),
        other => Err(format!(
            "wrong type for value; expected string; got {}",
            other.type_name()
        )),
    }
}

/// An int parameter: ints, and floats with an integral value (untyped constants).
pub fn i(v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Float(f) if f.fract() == 0.0 => Ok(*f as i64),
        other => Err(format!(
            "wrong type for value; expected int; got {}",
            other.type_name()
        )),
    }
}

/// Calls a function with evaluated arguments.
pub fn call(name: &str, a: Vec<Value>, ctx: &dyn TemplateContext) -> Result<Value, String> {
    match name {
        "and" | "or" => {
            min_arity(name, &a, 1)?;
            let want = name == "or";
            let pos = a
                .iter()
                .position(|v| v.truthy() == want)
                .unwrap_or(a.len() - 1);
            Ok(a[pos].clone())
        }
        "not" => {
            arity(name, &a, 1)?;
            Ok(Value::Bool(!a[0].truthy()))
        }
        "eq" => {
            min_arity(name, &a, 2)?;
            for other in &a[1..] {
                if compare(&a[0], other)? == std::cmp::Ordering::Equal {
                    return Ok(Value::Bool(true));
                }
            }
            Ok(Value::Bool(false))
        }
        "ne" | "lt" | "le" | "gt" | "ge" => {
            arity(name, &a, 2)?;
            if name != "ne" && matches!(a[0], Value::Bool(_)) {
                return Err("invalid type for comparison".into());
            }
            let o = compare(&a[0], &a[1])?;
            Ok(Value::Bool(match name {
                "ne" => o.is_ne(),
                "lt" => o.is_lt(),
                "le" => o.is_le(),
                "gt" => o.is_gt(),
                _ => o.is_ge(),
            }))
        }
        "len" => {
            arity(name, &a, 1)?;
            match &a[0] {
                Value::Str(s) => Ok(Value::Int(s.len() as i64)),
                Value::Json(serde_json::Value::Object(m)) => Ok(Value::Int(m.len() as i64)),
                Value::Json(serde_json::Value::Array(v)) => Ok(Value::Int(v.len() as i64)),
                other => Err(format!("len of type {}", other.type_name())),
            }
        }
        "index" => {
            min_arity(name, &a, 1)?;
            let mut v = a[0].clone();
            for key in &a[1..] {
                v = index(v, key, ctx)?;
            }
            Ok(v)
        }
        "slice" => {
            min_arity(name, &a, 1)?;
            let Value::Str(src) = &a[0] else {
                return Err(format!("can't slice item of type {}", a[0].type_name()));
            };
            let bound = |k: usize, default: usize| {
                a.get(k).map_or(Ok(default), |v| i(v).map(|x| x as usize))
            };
            let (lo, hi) = (bound(1, 0)?, bound(2, src.len())?);
            match src.get(lo..hi) {
                Some(out) if lo <= hi => Ok(Value::Str(out.to_string())),
                _ => Err(format!("index out of range: {hi}")),
            }
        }
        "call" => Err("call of non-function".into()),
        "print" => Ok(Value::Str(printf::sprint(&a))),
        "println" => {
            let parts: Vec<String> = a.iter().map(Value::to_text).collect();
            Ok(Value::Str(format!("{}\n", parts.join(" "))))
        }
        "printf" => {
            min_arity(name, &a, 1)?;
            Ok(Value::Str(printf::sprintf(s(&a[0])?, &a[1..])))
        }
        _ => match strfuncs::call(name, &a)? {
            Some(v) => Ok(v),
            None => rest(name, a, ctx),
        },
    }
}

fn rest(name: &str, a: Vec<Value>, ctx: &dyn TemplateContext) -> Result<Value, String> {
    match name {
        "__line__" => {
            arity(name, &a, 0)?;
            Ok(Value::Str(ctx.line().to_string()))
        }
        "__timestamp__" => {
            arity(name, &a, 0)?;
            Ok(Value::Time(ctx.timestamp_ns()))
        }
        _ if timefuncs::handles(name) => timefuncs::call(name, &a),
        _ => math::call(name, &a),
    }
}

/// Go's `index`: a label of the entry's map, a key of a decoded JSON object or array, or a
/// byte of a string.
fn index(v: Value, key: &Value, ctx: &dyn TemplateContext) -> Result<Value, String> {
    match (v, key) {
        (Value::Labels, Value::Str(k)) => {
            Ok(Value::Str(ctx.label(k).unwrap_or_default().to_string()))
        }
        (Value::Json(serde_json::Value::Object(mut m)), Value::Str(k)) => {
            Ok(m.remove(k).map_or(Value::Nil, Value::from_json))
        }
        (Value::Json(serde_json::Value::Array(mut arr)), Value::Int(k)) => {
            match usize::try_from(*k) {
                Ok(k) if k < arr.len() => Ok(Value::from_json(arr.swap_remove(k))),
                _ => Err(format!("index out of range: {k}")),
            }
        }
        (Value::Str(s), Value::Int(k)) => {
            match usize::try_from(*k).ok().and_then(|k| s.as_bytes().get(k)) {
                Some(b) => Ok(Value::Int(i64::from(*b))),
                None => Err(format!("index out of range: {k}")),
            }
        }
        (v, k) => Err(format!(
            "can't index item of type {} with {}",
            v.type_name(),
            k.type_name()
        )),
    }
}

/// Go's `eq`/`lt` comparison of basic values of the same kind.
fn compare(a: &Value, b: &Value) -> Result<std::cmp::Ordering, String> {
    use Value::*;
    let o = match (a, b) {
        (Str(x), Str(y)) => x.cmp(y),
        (Int(x), Int(y)) => x.cmp(y),
        (Float(x), Float(y)) => x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Less),
        (Bool(x), Bool(y)) => x.cmp(y),
        (Time(x), Time(y)) => x.cmp(y),
        (Nil, Nil) => std::cmp::Ordering::Equal,
        (Time(_) | Labels | Json(_), _) | (_, Time(_) | Labels | Json(_)) => {
            return Err("invalid type for comparison".into());
        }
        // Go 1.2x names both kinds (Loki 65e30f8: `… comparison: string and int`).
        _ => {
            return Err(format!(
                "incompatible types for comparison: {} and {}",
                a.type_name(),
                b.type_name()
            ));
        }
    };
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ctx, render};
    use super::*;

    #[test]
    fn every_listed_function_is_implemented() {
        for name in NAMES {
            for args in [
                vec![],
                vec![Value::Str("1".into())],
                vec![Value::Int(1), Value::Str("1".into())],
            ] {
                if let Err(e) = call(name, args, &ctx()) {
                    assert!(!e.contains("not defined"), "{name}: {e}");
                }
            }
        }
        assert!(
            call("nope", vec![], &ctx())
                .unwrap_err()
                .contains("not defined")
        );
        assert!(exists("ToUpper") && !exists("nope"));
    }

    #[test]
    fn index_and_slice() {
        assert_eq!(
            render(r#"{{ index . "a" }}|{{ index . "nope" }}|{{ index "AB" 1 }}"#),
            "hello world||66"
        );
        assert_eq!(
            render(r#"{{ index (fromJson `{"x":[1,"y"]}`) "x" 1 }}"#),
            "y"
        );
        assert_eq!(
            render(r#"{{ slice .a 0 5 }}|{{ slice .a 6 }}|{{ len (fromJson `[1,2]`) }}"#),
            "hello|world|2"
        );
        let err = super::super::tests::render_err;
        assert!(err(r#"{{ index "AB" 5 }}"#).contains("out of range"));
        assert!(err(r#"{{ slice .a 5 2 }}"#).contains("out of range"));
        assert!(err(r#"{{ index 1 1 }}"#).contains("can't index"));
        assert!(err(r#"{{ call .a }}"#).contains("non-function"));
    }

    #[test]
    fn builtin_escapers() {
        assert_eq!(
            render(r#"{{ html "<b>" }} {{ js "it's" }} {{ urlquery "a b" }}"#),
            "&lt;b&gt; it\\'s a+b"
        );
    }

    #[test]
    fn logic() {
        assert_eq!(
            render(r#"{{ eq .a "hello world" }} {{ eq 1 2 1 }} {{ ne "a" "b" }}"#),
            "true true true"
        );
        assert_eq!(
            render(r#"{{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 2.5 }}"#),
            "true true true false"
        );
        assert_eq!(
            render(r#"{{ and 1 0 }} {{ and 1 2 }} {{ or 0 "" }} {{ or 0 "x" }} {{ not "" }}"#),
            "0 2  x true"
        );
        assert_eq!(
            render(r#"{{ print "a" 1 2 "b" }}|{{ println "a" 1 }}"#),
            "a1 2b|a 1\n"
        );
    }
}
