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
                other => Err(format!("len of type {}", other.type_name())),
            }
        }
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
        _ => return Err("incompatible types for comparison".into()),
    };
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::super::tests::render;

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
