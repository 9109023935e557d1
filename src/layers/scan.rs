//! Reading Rust source just enough to find module paths: comments and literals blanked,
//! `crate::`/`super::` paths (groups and inline modules included).

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether the path at byte `i` starts there (not `self::crate`-like or `foo_crate::`).
pub fn starts_token(code: &str, i: usize) -> bool {
    code[..i]
        .chars()
        .next_back()
        .is_none_or(|c| !is_ident(c) && c != ':')
}

/// The source with comments and the insides of string and char literals blanked (same
/// length, newlines kept): doc examples and messages mention paths that are not imports.
pub fn code_of(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        match c[i] {
            '/' if next == Some('/') => {
                while i < c.len() && c[i] != '\n' {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                        depth += 1;
                        out.push_str("  ");
                        i += 2;
                    } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        out.push_str("  ");
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        blank(&mut out, c[i]);
                        i += 1;
                    }
                }
            }
            'r' if (next == Some('"') || next == Some('#')) && (i == 0 || !is_ident(c[i - 1])) => {
                // r"…" or r#"…"#
                let mut j = i + 1;
                while c.get(j) == Some(&'#') {
                    j += 1;
                }
                if c.get(j) != Some(&'"') {
                    out.push(c[i]);
                    i += 1;
                    continue;
                }
                let hashes = j - i - 1;
                for ch in &c[i..=j] {
                    out.push(*ch);
                }
                i = j + 1;
                while i < c.len() {
                    if c[i] == '"' && (1..=hashes).all(|k| c.get(i + k) == Some(&'#')) {
                        for ch in &c[i..=i + hashes] {
                            out.push(*ch);
                        }
                        i += hashes + 1;
                        break;
                    }
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
            '"' => {
                out.push('"');
                i += 1;
                while i < c.len() && c[i] != '"' {
                    if c[i] == '\\' {
                        blank(&mut out, c[i]);
                        i += 1;
                    }
                    if i < c.len() {
                        blank(&mut out, c[i]);
                        i += 1;
                    }
                }
                if i < c.len() {
                    out.push('"');
                    i += 1;
                }
            }
            '\'' => {
                // A char literal ('x', '\n', '\u{1b}'), or a lifetime ('a) left as it is.
                let end = if next == Some('\\') {
                    (i + 2..c.len().min(i + 12)).find(|&k| c[k] == '\'')
                } else if c.get(i + 2) == Some(&'\'') {
                    Some(i + 2)
                } else {
                    None
                };
                match end {
                    Some(e) => {
                        out.push('\'');
                        for ch in &c[i + 1..e] {
                            blank(&mut out, *ch);
                        }
                        out.push('\'');
                        i = e + 1;
                    }
                    None => {
                        out.push('\'');
                        i += 1;
                    }
                }
            }
            ch => {
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

/// For each brace-delimited inline module (`mod tests { … }`), where it starts and ends (byte
/// offsets into `code`) and its name, so `super::` inside it resolves from it.
fn inline_mods(code: &str) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    let mut stack: Vec<Option<(usize, String)>> = Vec::new();
    for (i, ch) in code.char_indices() {
        match ch {
            '{' => {
                let before = code[..i].trim_end();
                let start = before
                    .char_indices()
                    .rev()
                    .find(|(_, c)| !is_ident(*c))
                    .map_or(0, |(p, c)| p + c.len_utf8());
                let name = &before[start..];
                let pre = before[..start].trim_end();
                let is_mod = !name.is_empty()
                    && pre.ends_with("mod")
                    && pre[..pre.len() - 3]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !is_ident(c));
                stack.push(is_mod.then(|| (i, name.to_string())));
            }
            '}' => {
                if let Some(Some((start, name))) = stack.pop() {
                    found.push((start, i, name));
                }
            }
            _ => {}
        }
    }
    found.sort();
    found
}

/// Paths that follow `at` in `s`: `a::b`, or each item of a `{…}` group (nested groups too).
fn paths_after(s: &str, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let s = s.trim_start();
    if let Some(group) = s.strip_prefix('{') {
        let mut depth = 0usize;
        let mut start = 0;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    paths_after(&group[start..i], prefix, out);
                    return;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    paths_after(&group[start..i], prefix, out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        return;
    }
    let end = s.find(|c: char| !is_ident(c)).unwrap_or(s.len());
    if end == 0 {
        return;
    }
    let mut path = prefix.to_vec();
    path.push(s[..end].to_string());
    let rest = &s[end..];
    match rest.strip_prefix("::") {
        Some(more) if path.len() < 2 || more.trim_start().starts_with('{') => {
            paths_after(more, &path, out)
        }
        Some(more) => {
            let e = more.find(|c: char| !is_ident(c)).unwrap_or(more.len());
            if e > 0 {
                path.push(more[..e].to_string());
            }
            out.push(path);
        }
        None => out.push(path),
    }
}

/// Every module path `code` (of the file defining `module`) names through `crate::` or
/// `super::`, as absolute paths of at most two segments (more when a group is nested).
pub fn crate_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let inline = inline_mods(code);
    for (i, _) in code.match_indices("crate::") {
        if starts_token(code, i) {
            paths_after(&code[i + "crate::".len()..], &[], &mut out);
        }
    }
    for (i, _) in code.match_indices("super::") {
        if !starts_token(code, i) {
            continue;
        }
        let mut rest = &code[i..];
        let mut base = module.to_vec();
        base.extend(
            inline
                .iter()
                .filter(|(start, end, _)| *start < i && i < *end)
                .map(|(_, _, name)| name.clone()),
        );
        let mut above_root = false;
        while let Some(r) = rest.strip_prefix("super::") {
            rest = r;
            if base.pop().is_none() {
                above_root = true;
            }
        }
        if !above_root {
            paths_after(rest, &base, &mut out);
        }
    }
    out
}
