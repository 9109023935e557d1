//! Filling `{{name}}` placeholders into LogQL safely: a value inside a quoted string is
//! escaped for that kind of string; a value outside quotes must be a plain number or duration,
//! so no value can change the query's structure.

use std::collections::BTreeMap;

use super::SceneError;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Bare,
    Double,
    Backtick,
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn bad(name: &str, value: &str, why: &str) -> SceneError {
    SceneError::BadValue {
        name: name.to_string(),
        value: value.to_string(),
        why: why.to_string(),
    }
}

fn escape(name: &str, value: &str, ctx: Ctx, out: &mut String) -> Result<(), SceneError> {
    match ctx {
        Ctx::Double => {
            if value
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            {
                return Err(bad(name, value, "it holds a control character"));
            }
            crate::logql::quote::push_escaped(value, out);
        }
        Ctx::Backtick => {
            if value.contains('`') || value.chars().any(char::is_control) {
                return Err(bad(name, value, "a `raw string` cannot hold a backtick"));
            }
            out.push_str(value);
        }
        Ctx::Bare => {
            let ok = value.starts_with(|c: char| c.is_ascii_digit())
                && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '.');
            if !ok {
                return Err(bad(
                    name,
                    value,
                    "expected a number or duration, e.g. 5000 or 5s",
                ));
            }
            out.push_str(value);
        }
    }
    Ok(())
}

/// Replaces every `{{name}}` (a bare identifier; Go-template actions like `{{.x}}` are left
/// alone) with its value.
pub(super) fn fill(query: &str, values: &BTreeMap<String, String>) -> Result<String, SceneError> {
    let mut out = String::with_capacity(query.len() + 32);
    let mut ctx = Ctx::Bare;
    let mut rest = query;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("{{")
            && let Some(end) = rest[2..].find("}}")
            && is_ident(&rest[2..2 + end])
        {
            let name = &rest[2..2 + end];
            let value = values.get(name).ok_or_else(|| {
                SceneError::Other(format!(
                    "the scene's query uses {{{{{name}}}}}, which is not one of its parameters"
                ))
            })?;
            escape(name, value, ctx, &mut out)?;
            rest = &rest[4 + end..];
            continue;
        }
        match (ctx, c) {
            (Ctx::Bare, '"') => ctx = Ctx::Double,
            (Ctx::Bare, '`') => ctx = Ctx::Backtick,
            (Ctx::Double, '"') | (Ctx::Backtick, '`') => ctx = Ctx::Bare,
            (Ctx::Double, '\\') => {
                // Copy the escape and the escaped character together.
                out.push('\\');
                rest = &rest[1..];
                if let Some(n) = rest.chars().next() {
                    out.push(n);
                    rest = &rest[n.len_utf8()..];
                }
                continue;
            }
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    Ok(out)
}
