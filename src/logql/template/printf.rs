//! Go's `fmt.Sprintf` and `fmt.Sprint` for template values, including Go's `%!verb(type=value)`
//! markers for mismatched arguments.

use super::value::{Value, format_g};

/// `fmt.Sprint`: operands joined, with a space between two operands when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (k, v) in args.iter().enumerate() {
        if k > 0 && !matches!(v, Value::Str(_)) && !matches!(args[k - 1], Value::Str(_)) {
            out.push(' ');
        }
        out.push_str(&v.to_text());
    }
    out
}

/// Width and precision are capped (Go refuses absurd ones too) so a template cannot ask
/// for gigabytes of padding.
const MAX_WIDTH: usize = 1 << 16;

#[derive(Default)]
struct Spec {
    minus: bool,
    plus: bool,
    zero: bool,
    space: bool,
    sharp: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// `fmt.Sprintf` with the verbs templates use: `%v %s %d %f %e %g %q %x %X %o %b %c %t %%`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut next = 0usize;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '0' => spec.zero = true,
                ' ' => spec.space = true,
                '#' => spec.sharp = true,
                _ => break,
            }
            chars.next();
        }
        spec.width = digits(&mut chars).map(|w| w.min(MAX_WIDTH));
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.prec = Some(digits(&mut chars).unwrap_or(0).min(MAX_WIDTH));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        next += 1;
        let body = match one(verb, &spec, arg) {
            Some(b) => b,
            None => {
                out.push_str(&format!("%!{verb}({}={})", arg.type_name(), arg.to_text()));
                continue;
            }
        };
        out.push_str(&pad(
            body,
            &spec,
            matches!(
                verb,
                'd' | 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'x' | 'X' | 'o' | 'b'
            ),
        ));
    }
    if next < args.len() {
        let extra: Vec<String> = args[next..]
            .iter()
            .map(|v| format!("{}={}", v.type_name(), v.to_text()))
            .collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

fn digits(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<usize> {
    let mut n: Option<usize> = None;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d as usize));
        chars.next();
    }
    n
}

fn sign(neg: bool, spec: &Spec) -> &'static str {
    if neg {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    }
}

/// Formats one argument, or `None` when the verb does not fit the value's type.
fn one(verb: char, spec: &Spec, arg: &Value) -> Option<String> {
    Some(match (verb, arg) {
        ('v', Value::Float(f)) => float(*f, 'g', spec),
        ('v', v) | ('s', v @ (Value::Str(_) | Value::Time(_))) => {
            let t = v.to_text();
            match spec.prec {
                Some(p) if verb == 's' => t.chars().take(p).collect(),
                _ => t,
            }
        }
        ('d', Value::Int(i)) => format!("{}{}", sign(*i < 0, spec), i.unsigned_abs()),
        ('o', Value::Int(i)) => format!("{}{:o}", sign(*i < 0, spec), i.unsigned_abs()),
        ('b', Value::Int(i)) => format!("{}{:b}", sign(*i < 0, spec), i.unsigned_abs()),
        ('x', Value::Int(i)) => format!("{}{:x}", sign(*i < 0, spec), i.unsigned_abs()),
        ('X', Value::Int(i)) => format!("{}{:X}", sign(*i < 0, spec), i.unsigned_abs()),
        ('x', Value::Str(s)) => s.bytes().map(|b| format!("{b:02x}")).collect(),
        ('X', Value::Str(s)) => s.bytes().map(|b| format!("{b:02X}")).collect(),
        ('c', Value::Int(i)) => char::from_u32(u32::try_from(*i).ok()?)
            .unwrap_or('\u{fffd}')
            .to_string(),
        ('q', Value::Str(s)) => crate::logql::go_quote(s),
        ('q', Value::Int(i)) => format!(
            "'{}'",
            char::from_u32(u32::try_from(*i).ok()?).unwrap_or('\u{fffd}')
        ),
        ('t', Value::Bool(b)) => b.to_string(),
        ('f' | 'F' | 'e' | 'E' | 'g' | 'G', Value::Float(f)) => float(*f, verb, spec),
        _ => return None,
    })
}

fn float(f: f64, verb: char, spec: &Spec) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".to_string()
        } else {
            "-Inf".into()
        };
    }
    let s = sign(f.is_sign_negative() && f != 0.0, spec);
    let a = f.abs();
    let body = match verb {
        'f' | 'F' => format!("{a:.*}", spec.prec.unwrap_or(6)),
        'e' | 'E' => {
            let t = format!("{a:.*e}", spec.prec.unwrap_or(6));
            let (m, e) = t.split_once('e').unwrap_or((&t, "0"));
            let e: i32 = e.parse().unwrap_or(0);
            let out = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
            if verb == 'E' { out.to_uppercase() } else { out }
        }
        _ => {
            let out = format_g(a, spec.prec, 6);
            if verb == 'G' { out.to_uppercase() } else { out }
        }
    };
    format!("{s}{body}")
}

fn pad(body: String, spec: &Spec, numeric: bool) -> String {
    let Some(w) = spec.width else { return body };
    let len = body.chars().count();
    if len >= w {
        return body;
    }
    let fill = w - len;
    if spec.minus {
        format!("{body}{}", " ".repeat(fill))
    } else if spec.zero && numeric {
        let (sign, digits) = match body.chars().next() {
            Some(c @ ('-' | '+' | ' ')) => (c.to_string(), &body[1..]),
            _ => (String::new(), body.as_str()),
        };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{body}", " ".repeat(fill))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(fmt: &str, args: &[Value]) -> String {
        sprintf(fmt, args)
    }

    #[test]
    fn verbs() {
        let s = |x: &str| Value::Str(x.into());
        assert_eq!(f("%s-%d", &[s("a"), Value::Int(5)]), "a-5");
        assert_eq!(
            f("%5s|%-5s|%.2s", &[s("ab"), s("cd"), s("xyz")]),
            "   ab|cd   |xy"
        );
        assert_eq!(
            f(
                "%05d|%+d|%x|%X|%o|%b",
                &[
                    Value::Int(42),
                    Value::Int(3),
                    Value::Int(255),
                    Value::Int(255),
                    Value::Int(8),
                    Value::Int(5)
                ]
            ),
            "00042|+3|ff|FF|10|101"
        );
        assert_eq!(
            f(
                "%.2f|%f|%e|%g|%v",
                &[
                    Value::Float(4.12345),
                    Value::Float(1.5),
                    Value::Float(1234.5),
                    Value::Float(0.5),
                    Value::Float(2.0)
                ]
            ),
            "4.12|1.500000|1.234500e+03|0.5|2"
        );
        assert_eq!(
            f(
                "%q|%t|%c|%v|100%%",
                &[s("a\"b"), Value::Bool(true), Value::Int(65), s("v")]
            ),
            "\"a\\\"b\"|true|A|v|100%"
        );
        assert_eq!(f("%x", &[s("hi")]), "6869");
        assert_eq!(
            f(
                "%g|%g|%.3g|%G",
                &[
                    Value::Float(1e6),
                    Value::Float(123456.0),
                    Value::Float(1234.5),
                    Value::Float(1e-7)
                ]
            ),
            "1e+06|123456|1.23e+03|1E-07"
        );
        assert_eq!(
            f("%8.3f|%-8.1f|", &[Value::Float(-1.5), Value::Float(2.25)]),
            "  -1.500|2.2     |"
        );
    }

    #[test]
    fn go_error_markers() {
        let s = |x: &str| Value::Str(x.into());
        assert_eq!(f("%d", &[s("200")]), "%!d(string=200)");
        assert_eq!(f("%s %s", &[s("a")]), "a %!s(MISSING)");
        assert_eq!(f("%s", &[s("a"), Value::Int(1)]), "a%!(EXTRA int=1)");
        assert_eq!(f("%s", &[Value::Int(1)]), "%!s(int=1)");
        assert_eq!(f("%z", &[Value::Int(1)]), "%!z(int=1)");
    }

    #[test]
    fn sprint_spacing() {
        assert_eq!(
            sprint(&[
                Value::Int(1),
                Value::Int(2),
                Value::Str("a".into()),
                Value::Int(3)
            ]),
            "1 2a3"
        );
    }
}
