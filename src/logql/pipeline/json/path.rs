//! JSON paths for `| json label="a.b[0]"`: parsing Loki's path syntax and looking a path up in
//! a line without building a tree.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

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

/// Many paths looked up in one pass over the line, each result as [`lookup`] gives it:
/// `| json p1="a.b1", …, p3000="a.b3000"` would otherwise scan the line once per parameter
/// (time quadratic in the query on lines that grow with it). An error (a path deeper than the
/// depth bound, a broken line) is for the caller to answer path by path.
pub fn lookup_all<'a, 'p>(
    line: &'a str,
    paths: impl IntoIterator<Item = &'p [PathSeg]>,
) -> Result<Vec<Option<Cow<'a, str>>>, JsonError> {
    let mut root = Node::default();
    let mut n = 0;
    for (i, p) in paths.into_iter().enumerate() {
        root.insert(p, i);
        n = i + 1;
    }
    let mut out = vec![None; n];
    let mut sc = Scanner::at_value(line);
    sc.walk(&root, 0, &mut out)?;
    Ok(out)
}

/// The paths as a tree: which results end at this value, which keys and indexes lead on.
#[derive(Default)]
struct Node {
    ends: Vec<usize>,
    keys: HashMap<String, Node>,
    indexes: HashMap<usize, Node>,
}

impl Node {
    fn insert(&mut self, path: &[PathSeg], i: usize) {
        match path.split_first() {
            None => self.ends.push(i),
            Some((PathSeg::Key(k), rest)) => {
                self.keys.entry(k.clone()).or_default().insert(rest, i)
            }
            Some((PathSeg::Index(n), rest)) => self.indexes.entry(*n).or_default().insert(rest, i),
        }
    }
}

impl<'a> Scanner<'a> {
    /// Reads one value, filling the results that end at it or below it (the first of
    /// duplicate keys, as `lookup`).
    fn walk(&mut self, node: &Node, depth: usize, out: &mut [Option<Cow<'a, str>>]) -> R<()> {
        if depth > MAX_DEPTH {
            return Err(JsonError);
        }
        self.ws();
        let start = self.p;
        let c = self.peek();
        if c == Some(b'{') && !node.keys.is_empty() {
            self.p += 1;
            self.ws();
            if self.peek() == Some(b'}') {
                self.p += 1;
            } else {
                let mut seen: HashSet<&str> = HashSet::new();
                loop {
                    self.ws();
                    let (kraw, kesc) = self.string_raw()?;
                    self.ws();
                    self.expect(b':')?;
                    let key = unescape_cow(kraw, kesc)?;
                    match node.keys.get_key_value(key.as_ref()) {
                        Some((k, child)) if seen.insert(k.as_str()) => {
                            self.walk(child, depth + 1, out)?
                        }
                        _ => self.skip_value(depth + 1)?,
                    }
                    self.ws();
                    match self.next() {
                        Some(b',') => continue,
                        Some(b'}') => break,
                        _ => return Err(JsonError),
                    }
                }
            }
        } else if c == Some(b'[') && !node.indexes.is_empty() {
            self.p += 1;
            self.ws();
            if self.peek() == Some(b']') {
                self.p += 1;
            } else {
                let mut n = 0;
                loop {
                    match node.indexes.get(&n) {
                        Some(child) => self.walk(child, depth + 1, out)?,
                        None => self.skip_value(depth + 1)?,
                    }
                    self.ws();
                    match self.next() {
                        Some(b',') => n += 1,
                        Some(b']') => break,
                        _ => return Err(JsonError),
                    }
                }
            }
        } else if node.ends.is_empty() || matches!(c, Some(b'{' | b'[')) {
            self.skip_value(depth)?;
        } else {
            let v = if c == Some(b'"') {
                let (raw, esc) = self.string_raw()?;
                unescape_cow(raw, esc)?
            } else {
                let v = self.number_or_literal()?;
                Cow::Borrowed(if v == "null" { "" } else { v })
            };
            for &i in &node.ends {
                out[i] = Some(v.clone());
            }
            return Ok(());
        }
        if !node.ends.is_empty() {
            let raw = self.s.get(start..self.p).ok_or(JsonError)?;
            for &i in &node.ends {
                out[i] = Some(Cow::Borrowed(raw));
            }
        }
        Ok(())
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

    /// One pass gives what a lookup per path gives, on objects, arrays, escapes, duplicate
    /// keys, prefixes of one another, type mismatches and absent paths.
    #[test]
    fn lookup_all_equals_a_lookup_per_path() {
        let lines = [
            r#"{"args":{"repo":"curl/curl","list":[{"x":"first"},2]},"n":5,"o":{"k":[1, 2]}}"#,
            r#"{"a":1,"a":2,"b\u0041":"esc\n","c":null,"d":[],"e":{},"f":[[1,[2,3]],{"g":true}]}"#,
            r#"[{"a":"x"},{"a":"y"}]"#,
            r#""just a string""#,
            r#"{"a":{"b":{"c":{"d":"deep"}}},"s":"t"}"#,
        ];
        let paths = [
            "args.repo",
            "args.list[0].x",
            "args.list[1]",
            "args.list",
            "args",
            r#"["n"]"#,
            "o",
            "o.k[1]",
            "missing",
            "args.list[5]",
            "a",
            "bA",
            "c",
            "d",
            "d[0]",
            "e",
            "e.x",
            "f[0][1][0]",
            "f[1].g",
            "f[1]",
            "[0].a",
            "[1].a",
            "[2].a",
            "a.b.c.d",
            "a.b",
            "a.b.c",
            "s.x",
            "s",
            "n.x",
            "o.k.x",
        ];
        let parsed: Vec<Vec<PathSeg>> = paths.iter().map(|p| parse_path(p).unwrap()).collect();
        for line in lines {
            let all = lookup_all(line, parsed.iter().map(Vec::as_slice)).unwrap();
            for (i, p) in parsed.iter().enumerate() {
                assert_eq!(all[i], lookup(line, p).unwrap(), "{line} {}", paths[i]);
            }
        }
    }
}
