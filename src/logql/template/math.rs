//! Sprig's arithmetic helpers. They take any value and convert it loosely, as Sprig's `cast`
//! does: a string that is not a number counts as 0.

use super::funcs::{arity, i};
use super::value::Value;

/// Sprig's `toInt64`: numbers truncate, numeric strings parse (`0x` prefixes too), else 0.
pub fn to_i64(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Float(f) => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::Str(s) => {
            let t = s.trim();
            let t = match t.split_once('.') {
                Some((int, frac)) if !frac.is_empty() && frac.bytes().all(|c| c == b'0') => int,
                _ => t,
            };
            match super::parser::number(t) {
                Some(super::parser::Arg::Int(i)) => i,
                // Loki's `{{ "20.4" | int }}` is 20: a decimal string truncates.
                _ => t
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map_or(0, |f| f as i64),
            }
        }
        Value::Time(_) | Value::Labels | Value::Json(_) | Value::Nil => 0,
    }
}

/// Sprig's `toFloat64`: numbers as they are, numeric strings parse, else 0.
pub fn to_f64(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Str(s) => s.trim().parse().unwrap_or(0.0),
        Value::Time(_) | Value::Labels | Value::Json(_) | Value::Nil => 0.0,
    }
}

/// Calls an arithmetic function; unknown names are rejected at parse time already.
pub fn call(name: &str, a: &[Value]) -> Result<Value, String> {
    let min1 = || {
        if a.is_empty() {
            Err(format!(
                "wrong number of args for {name}: want at least 1 got 0"
            ))
        } else {
            Ok(())
        }
    };
    let ints = || a.iter().map(to_i64);
    let floats = || a.iter().map(to_f64);
    Ok(match name {
        "add" => Value::Int(ints().fold(0i64, i64::wrapping_add)),
        "mul" => {
            min1()?;
            Value::Int(ints().fold(1i64, i64::wrapping_mul))
        }
        "sub" | "div" | "mod" => {
            arity(name, a, 2)?;
            let (x, y) = (to_i64(&a[0]), to_i64(&a[1]));
            if name != "sub" && y == 0 {
                return Err("runtime error: integer divide by zero".into());
            }
            Value::Int(match name {
                "sub" => x.wrapping_sub(y),
                "div" => x.wrapping_div(y),
                _ => x.wrapping_rem(y),
            })
        }
        "max" | "min" => {
            min1()?;
            let it = ints();
            Value::Int(if name == "max" { it.max() } else { it.min() }.unwrap_or(0))
        }
        "addf" | "subf" | "mulf" | "divf" => {
            if name != "addf" {
                min1()?;
            }
            // Sprig's divf uses exact decimals, which panic on a zero divisor.
            if name == "divf" && floats().skip(1).any(|x| x == 0.0) {
                return Err("decimal division by 0".into());
            }
            let xs: Vec<f64> = floats().collect();
            if let Some(v) = super::decimal::fold(name, &xs) {
                return Ok(Value::Float(v));
            }
            if name == "addf" {
                return Ok(Value::Float(xs.iter().sum()));
            }
            let mut it = xs.into_iter();
            let first = it.next().unwrap_or(0.0);
            Value::Float(it.fold(first, |acc, x| match name {
                "subf" => acc - x,
                "mulf" => acc * x,
                _ => acc / x,
            }))
        }
        "maxf" | "minf" => {
            min1()?;
            let it = floats();
            Value::Float(if name == "maxf" {
                it.fold(f64::MIN, f64::max)
            } else {
                it.fold(f64::MAX, f64::min)
            })
        }
        "ceil" | "floor" => {
            arity(name, a, 1)?;
            let x = to_f64(&a[0]);
            Value::Float(if name == "ceil" { x.ceil() } else { x.floor() })
        }
        "round" => {
            if a.len() < 2 || a.len() > 3 {
                return Err(format!(
                    "wrong number of args for round: want 2 or 3 got {}",
                    a.len()
                ));
            }
            let round_on = a.get(2).map_or(0.5, to_f64);
            let pow = 10f64.powf(i(&a[1])? as f64);
            let digit = pow * to_f64(&a[0]);
            let r = if digit.fract() >= round_on {
                digit.ceil()
            } else {
                digit.floor()
            };
            Value::Float(r / pow)
        }
        "int" => {
            arity(name, a, 1)?;
            Value::Int(to_i64(&a[0]))
        }
        "float64" => {
            arity(name, a, 1)?;
            Value::Float(to_f64(&a[0]))
        }
        other => return Err(format!("function \"{other}\" not defined")),
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{render, render_err};

    #[test]
    fn integer_math() {
        assert_eq!(
            render(
                r#"{{ add 1 2 "3" }} {{ sub 10 .n }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 3 }}"#
            ),
            "6 3 24 3 1"
        );
        assert_eq!(
            render(r#"{{ add "x" 1 }} {{ add "2.0" 1 }} {{ add 1.9 1 }}"#),
            "1 3 2"
        );
        assert_eq!(render(r#"{{ max 1 9 3 }} {{ min 4 .n 8 }}"#), "9 4");
        assert_eq!(render(r#"{{ .n | add 1 }}"#), "8");
        assert!(render_err("{{ div 1 0 }}").contains("integer divide by zero"));
        assert!(render_err("{{ mod 1 0 }}").contains("integer divide by zero"));
    }

    #[test]
    fn float_math() {
        assert_eq!(
            render(r#"{{ addf 1.5 2 }} {{ subf 10 .n 0.5 }} {{ mulf 1.5 2 }} {{ divf 7 2 }}"#),
            "3.5 2.5 3 3.5"
        );
        assert_eq!(render(r#"{{ maxf 1 2.5 }} {{ minf 1 2.5 }}"#), "2.5 1");
        assert_eq!(
            render(
                r#"{{ ceil 1.2 }} {{ floor "1.8" }} {{ round 1.2345 2 }} {{ round 1.236 2 }} {{ round 2.5 0 0.6 }}"#
            ),
            "2 1 1.23 1.24 2"
        );
        assert_eq!(
            render(r#"{{ int "42" }} {{ int 3.9 }} {{ float64 "2.5" }} {{ float64 3 }}"#),
            "42 3 2.5 3"
        );
    }
}
