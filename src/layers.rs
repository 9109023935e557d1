//! The layer rule of `lib.rs`, checked on the source: every `crate::…` (and `super::…`) path in
//! `src/` must point to the same layer or a lower one, and the crates that belong to one layer
//! (ratatui/crossterm: the TUI; clap: the CLI; tokio: not the core; file reading: not the core)
//! stay there. Adding a module means adding it to `LAYERS`.

use std::path::{Path, PathBuf};

/// Lower layers first: a file may use its own layer and the ones below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    /// Pure: no I/O, no async runtime, no terminal.
    Core,
    /// Talks to the world: Loki, files, the clock, the config directory.
    Io,
    /// The interactive front end.
    Tui,
    /// The command line: parses arguments and starts the other front ends.
    Cli,
}

use Layer::{Cli, Core, Io, Tui};

/// Module path (as `a::b`) → layer; the longest matching prefix wins.
const LAYERS: &[(&str, Layer)] = &[
    ("model", Core),
    ("logql", Core),
    ("agent", Core),
    ("agent::model", Core),
    ("agent::render", Core),
    ("scenes", Core),
    ("output", Core),
    ("sanitize", Core),
    ("timespec", Core),
    ("base64", Core),
    ("secret", Core),
    ("agent::fetch", Io),
    ("agent::find", Io),
    ("loki", Io),
    ("source", Io),
    ("tail", Io),
    ("backend", Io),
    ("config", Io),
    ("session", Io),
    ("tui", Tui),
    ("cli", Cli),
];

/// Text that may only appear in files of some layers: (needle, allowed in a file of this
/// module path and layer?).
type Gate = fn(&[String], Layer) -> bool;

const GATED: &[(&str, Gate)] = &[
    ("ratatui::", |m, _| m.first().is_some_and(|t| t == "tui")),
    ("crossterm::", |m, _| m.first().is_some_and(|t| t == "tui")),
    ("clap::", |m, _| m.first().is_some_and(|t| t == "cli")),
    ("tokio::", |_, l| l > Core),
    ("std::fs", |_, l| l > Core),
];

fn layer_of(path: &[String]) -> Option<Layer> {
    LAYERS
        .iter()
        .filter(|(prefix, _)| {
            let p: Vec<&str> = prefix.split("::").collect();
            p.len() <= path.len() && p.iter().zip(path).all(|(a, b)| a == b)
        })
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, l)| *l)
}

/// The module a file defines: `src/agent/fetch.rs` → `agent::fetch`, `src/tui/mod.rs` → `tui`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" {
            parts.push(stem.to_string());
        }
    }
    parts
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether the path at byte `i` starts there (not `self::crate`-like or `foo_crate::`).
fn starts_token(code: &str, i: usize) -> bool {
    code[..i]
        .chars()
        .next_back()
        .is_none_or(|c| !is_ident(c) && c != ':')
}

/// The source with comments and the insides of string and char literals blanked (same
/// length, newlines kept): doc examples and messages mention paths that are not imports.
fn code_of(text: &str) -> String {
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
            'r' if (next == Some('"') || next == Some('#'))
                && (i == 0 || !is_ident(c[i - 1])) =>
            {
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
fn crate_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
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

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every way `src/` breaks the rule, one line each.
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut bad = Vec::new();
    for f in files {
        let Ok(rel) = f.strip_prefix(src) else {
            continue;
        };
        if ["lib.rs", "main.rs", "layers.rs"].contains(&rel.to_string_lossy().as_ref()) {
            continue;
        }
        let module = module_of(rel);
        let Some(layer) = layer_of(&module) else {
            bad.push(format!(
                "{}: module {} is not in LAYERS",
                rel.display(),
                module.join("::")
            ));
            continue;
        };
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let code = code_of(&text);
        for path in crate_paths(&code, &module) {
            match layer_of(&path) {
                Some(to) if to <= layer => {}
                Some(to) => bad.push(format!(
                    "{} ({layer:?}) uses crate::{} ({to:?})",
                    rel.display(),
                    path.join("::")
                )),
                // Items of the crate root (`crate::run`) and of the module itself.
                None if path.len() == 1 => {}
                None => bad.push(format!(
                    "{}: crate::{} is not in LAYERS",
                    rel.display(),
                    path.join("::")
                )),
            }
        }
        for (needle, allowed) in GATED {
            let used = code
                .match_indices(needle)
                .any(|(i, _)| starts_token(&code, i));
            if used && !allowed(&module, layer) {
                bad.push(format!(
                    "{} ({layer:?}) uses {}",
                    rel.display(),
                    needle.trim_end_matches("::")
                ));
            }
        }
    }
    bad.sort();
    bad.dedup();
    bad
}

#[test]
fn no_layer_imports_a_higher_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let bad = violations(&src);
    assert!(
        bad.is_empty(),
        "imports against the layers of lib.rs:\n{}",
        bad.join("\n")
    );
}

#[test]
fn paths_are_found_in_groups_and_through_super() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let code = "use crate::{cli::Context, agent::{model::Run, fetch}};\n\
                let x = crate::tui::run();\n\
                use super::super::backend::Backend;\n";
    let found = crate_paths(code, &s(&["agent", "find"]));
    assert_eq!(
        found,
        vec![
            s(&["cli", "Context"]),
            s(&["agent", "model", "Run"]),
            s(&["agent", "fetch"]),
            s(&["tui", "run"]),
            s(&["backend", "Backend"]),
        ]
    );
    // Inside an inline module `super` is the file's module; strings and comments are not code.
    let code = code_of(
        "mod tests {\n    use super::super::store::Chunk; // crate::cli\n    \
         let q = \"crate::tui {\"; let c = '{';\n}\nuse super::row::Row;\n",
    );
    assert_eq!(
        crate_paths(&code, &s(&["tui", "fields"])),
        vec![s(&["tui", "store", "Chunk"]), s(&["tui", "row", "Row"])]
    );
    assert_eq!(layer_of(&s(&["agent", "model", "x"])), Some(Core));
    assert_eq!(layer_of(&s(&["agent", "find"])), Some(Io));
    assert_eq!(layer_of(&s(&["tui"])), Some(Tui));
    assert_eq!(module_of(Path::new("tui/mod.rs")), s(&["tui"]));
    assert_eq!(module_of(Path::new("agent/find.rs")), s(&["agent", "find"]));
}

#[test]
fn a_core_file_that_reaches_up_is_reported() {
    let dir = std::env::temp_dir().join(format!("vs-logs-layers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("scenes")).unwrap();
    std::fs::write(
        dir.join("scenes/mod.rs"),
        "use crate::cli::Context;\nfn f() { let _ = std::fs::read(\"x\"); }\n",
    )
    .unwrap();
    std::fs::write(dir.join("output.rs"), "#[derive(clap::ValueEnum)] enum O {}\n").unwrap();
    let bad = violations(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        bad,
        vec![
            "output.rs (Core) uses clap".to_string(),
            "scenes/mod.rs (Core) uses crate::cli::Context (Cli)".to_string(),
            "scenes/mod.rs (Core) uses std::fs".to_string(),
        ]
    );
}
