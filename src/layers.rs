//! The layer rule of `lib.rs`, checked on the source: every `crate::…` (and `super::…`) path in
//! `src/` must point to the same layer or a lower one, and the crates that belong to one layer
//! (ratatui/crossterm: the TUI; rustix: the TUI and CLI; clap: the CLI; tokio: not the core; file reading: not the core)
//! stay there. Adding a module means adding it to `LAYERS`.

mod scan;

use std::path::{Path, PathBuf};

use scan::{code_of, crate_paths, starts_token};

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
    ("dashboard", Core),
    ("drill", Core),
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
    ("rustix::", |m, _| {
        m.first().is_some_and(|t| t == "tui" || t == "cli")
    }),
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
        // The crate root, and this checker (whose strings are made of paths).
        if ["lib.rs", "main.rs", "layers.rs"].contains(&rel.to_string_lossy().as_ref())
            || rel.starts_with("layers")
        {
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
    std::fs::write(
        dir.join("output.rs"),
        "#[derive(clap::ValueEnum)] enum O {}\n",
    )
    .unwrap();
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
