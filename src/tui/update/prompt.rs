//! Questions in the editor row: scene parameters, a custom range, the export path.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use super::super::app::{App, Mode, PromptKind, RangeSpec};
use super::super::input::Edit;
use super::super::msg::{Command, ExportFormat};
use super::{query, run_query, scenes};

pub fn prompt_key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    let Mode::Prompt(p) = &mut app.mode else {
        return Vec::new();
    };
    match p.input.handle(&k) {
        Edit::Submit => {
            let text = p.input.text.trim().to_string();
            let Mode::Prompt(p) = std::mem::take(&mut app.mode) else {
                return Vec::new();
            };
            submit_prompt(app, p.kind, text)
        }
        Edit::Cancel => {
            app.mode = Mode::Normal;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn submit_prompt(app: &mut App, kind: PromptKind, text: String) -> Vec<Command> {
    match kind {
        PromptKind::SceneParam {
            scene,
            mut values,
            mut remaining,
        } => {
            if remaining.is_empty() {
                return Vec::new();
            }
            let param = remaining.remove(0);
            let value = if text.is_empty() {
                param.default.clone().unwrap_or_default()
            } else {
                text
            };
            if value.is_empty() {
                app.status.error = Some(format!("scene needs a value for {}", param.name));
                return Vec::new();
            }
            values.insert(param.name.clone(), value);
            scenes::next_param(app, scene, values, remaining)
        }
        PromptKind::Range => match parse_range(&text, app.now_ns) {
            Ok(r) => {
                app.editor.range = r;
                let q = app.editor.input.text.clone();
                run_query(app, q)
            }
            Err(e) => {
                app.status.error = Some(e);
                Vec::new()
            }
        },
        PromptKind::Export => {
            if text.is_empty() {
                return Vec::new();
            }
            let format = if text.ends_with(".jsonl") || text.ends_with(".json") {
                ExportFormat::Jsonl
            } else {
                ExportFormat::Raw
            };
            app.status.note = Some(format!("exporting {} lines…", app.logs.len()));
            vec![Command::Export {
                path: PathBuf::from(text),
                format,
                chunks: app.logs.results.store.snapshot(),
            }]
        }
    }
}

/// `90m` (the last 90 minutes) or `FROM .. TO` / `FROM to TO` / `FROM` (until now), with the
/// CLI's time syntax.
pub fn parse_range(text: &str, now_ns: i64) -> Result<RangeSpec, String> {
    if let Some(ns) = query::parse_since(text) {
        return Ok(RangeSpec::last(text, ns));
    }
    let (from, to) = match text.split_once("..").or_else(|| text.split_once(" to ")) {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (text.trim(), "now"),
    };
    let t = |s: &str| -> Result<i64, String> {
        if s == "now" {
            return Ok(now_ns);
        }
        crate::timespec::parse_time(s, now_ns, false).map_err(|e| e.to_string())
    };
    let start_ns = t(from)?;
    let end_ns = t(to)?;
    if start_ns >= end_ns {
        return Err(format!(
            "the range {from} .. {to} is empty: the start must come first"
        ));
    }
    Ok(RangeSpec::Absolute {
        start_ns,
        end_ns,
        label: format!("{from} .. {to}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let now = 100 * 3_600_000_000_000;
        assert_eq!(
            parse_range("90m", now),
            Ok(RangeSpec::last("90m", 90 * 60_000_000_000))
        );
        assert!(parse_range("garbage", now).is_err());
    }
}
