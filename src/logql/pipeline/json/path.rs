//! JSON paths for `| json label="a.b[0]"`: parsing Loki's path syntax and looking a path up in
//! a line without building a tree.

use std::borrow::Cow;

use super::{JsonError, MAX_DEPTH, R, Scanner, unescape, unescape_cow};

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

/// Parses a Loki JSON path: `a.b`, `a[0]`, `a["b c"]`, `["x"].y`.
pub fn parse_path(path: &str) -> Result<Vec<PathSeg>, String> {
    let mut out = Vec::new();
    let b = path.as_bytes();
    let mut p = 0;
    let bad = || format!("invalid JSON path: {path:?}");
    while p < b.len() {
        match b[p] {
            b'.' => p += 1,
            b'[' => {
                p += 1;
                if p < b.len() && (b[p] == b'"' || b[p] == b'\'') {
                    let q = b[p];
                    let start = p + 1;
                    let end = path[start..].find(q as char).ok_or_else(bad)? + start;
                    out.push(PathSeg::Key(path[start..end].to_string()));
                    p = end + 1;
                } else {
                    let end = path[p..].find(']').ok_or_else(bad)? + p;
                    let idx = path[p..end].trim().parse().map_err(|_| bad())?;
                    out.push(PathSeg::Index(idx));
                    p = end;
                }
                if p >= b.len() || b[p] != b']' {
                    return Err(bad());
                }
                p += 1;
            }
            _ => {
                let end = path[p..].find(['.', '[']).map_or(path.len(), |e| e + p);
                out.push(PathSeg::Key(path[p..end].to_string()));
                p = end;
            }
        }
    }
    if out.is_empty() {
        return Err(bad());
    }
    Ok(out)
}

/// Looks a path up: `Ok(None)` when absent; strings unescaped, numbers/bools as text, objects
/// and arrays as their JSON text, `null` as empty.
pub fn lookup<'a>(line: &'a str, path: &[PathSeg]) -> Result<Option<Cow<'a, str>>, JsonError> {
    let mut sc = Scanner::at_value(line);
    sc.lookup(path, 0)
}

impl<'a> Scanner<'a> {
    fn lookup(&mut self, path: &[PathSeg], depth: usize) -> R<Option<Cow<'a, str>>> {
        if depth > MAX_DEPTH {
            return Err(JsonError);
        }
        self.ws();
        let Some(seg) = path.first() else {
            // The value itself.
            let start = self.p;
            return match self.peek() {
                Some(b'"') => {
                    let (raw, esc) = self.string_raw()?;
                    Ok(Some(unescape_cow(raw, esc)?))
                }
                Some(b'{' | b'[') => {
                    self.skip_value(depth)?;
                    Ok(Some(Cow::Borrowed(
                        self.s.get(start..self.p).ok_or(JsonError)?,
                    )))
                }
                _ => {
                    let v = self.number_or_literal()?;
                    Ok(Some(Cow::Borrowed(if v == "null" { "" } else { v })))
                }
            };
        };
        match (seg, self.peek()) {
            (PathSeg::Key(want), Some(b'{')) => {
                self.p += 1;
                self.ws();
                if self.peek() == Some(b'}') {
                    return Ok(None);
                }
                loop {
                    self.ws();
                    let (kraw, kesc) = self.string_raw()?;
                    self.ws();
                    self.expect(b':')?;
                    let hit = if kesc {
                        unescape(kraw)? == *want
                    } else {
                        kraw == want
                    };
                    if hit {
                        return self.lookup(&path[1..], depth + 1);
                    }
                    self.skip_value(depth + 1)?;
                    self.ws();
                    match self.next() {
                        Some(b',') => continue,
                        Some(b'}') => return Ok(None),
                        _ => return Err(JsonError),
                    }
                }
            }
            (PathSeg::Index(i), Some(b'[')) => {
                self.p += 1;
                self.ws();
                if self.peek() == Some(b']') {
                    return Ok(None);
                }
                let mut n = 0;
                loop {
                    if n == *i {
                        return self.lookup(&path[1..], depth + 1);
                    }
                    self.skip_value(depth + 1)?;
                    self.ws();
                    match self.next() {
                        Some(b',') => n += 1,
                        Some(b']') => return Ok(None),
                        _ => return Err(JsonError),
                    }
                }
            }
            _ => {
                self.skip_value(depth)?;
                Ok(None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let line =
            r#"{"args":{"repo":"curl/curl","list":[{"x":"first"},2]},"n":5,"o":{"k":[1, 2]}}"#;
        let get = |p: &str| {
            lookup(line, &parse_path(p).unwrap())
                .unwrap()
                .map(|c| c.into_owned())
        };
        assert_eq!(get("args.repo").as_deref(), Some("curl/curl"));
        assert_eq!(get("args.list[0].x").as_deref(), Some("first"));
        assert_eq!(get("args.list[1]").as_deref(), Some("2"));
        assert_eq!(get(r#"["n"]"#).as_deref(), Some("5"));
        assert_eq!(get("o").as_deref(), Some(r#"{"k":[1, 2]}"#));
        assert_eq!(get("missing"), None);
        assert_eq!(get("args.list[5]"), None);
        assert!(parse_path("a[").is_err());
    }
}
