//! Questions in the editor row: scene parameters, a custom range, the export path.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent};

use super::super::app::{App, Mode, PromptKind, RangeSpec};
use super::super::input::Edit;
use super::super::keys::Screen;
use super::super::msg::{Command, ExportFormat};
use super::{plural, query, run_query, scenes};

/// Lines per page of an export of the whole range.
pub const EXPORT_PAGE: usize = 5000;

pub fn prompt_key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    let Mode::Prompt(p) = &mut app.mode else {
        return Vec::new();
    };
    let edit = p.input.handle(&k);
    let kind_now = p.kind.clone();
    match edit {
        Edit::Submit => {
            let Mode::Prompt(p) = std::mem::take(&mut app.mode) else {
                return Vec::new();
            };
            let text = p.input.text.trim().to_string();
            submit_prompt(app, p.kind, text)
        }
        Edit::Cancel => {
            app.mode = Mode::Normal;
            Vec::new()
        }
        Edit::Other if k.code == KeyCode::Tab => {
            // the export prompt: loaded lines ↔ the whole range
            let kind = match kind_now {
                PromptKind::Export if export_beyond(app).is_some() => PromptKind::ExportRange,
                PromptKind::ExportRange => PromptKind::Export,
                _ => return Vec::new(),
            };
            let label = export_label(app, &kind);
            if let Mode::Prompt(p) = &mut app.mode {
                p.kind = kind;
                p.label = label;
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Lines of the range beyond the loaded ones: `None` when everything is loaded (or nothing
/// can be asked again), `Some(None)` when more exist but the count is unknown, `Some(Some(n))`
/// about how many (the volume's buckets are an estimate).
pub fn export_beyond(app: &App) -> Option<Option<u64>> {
    let res = &app.logs.results;
    if !res.loaded || res.metric.is_some() || res.req.is_none() || app.follow.is_some() {
        return None;
    }
    if res.older_done && res.newer_done {
        return None;
    }
    let loaded = app.logs.len() as u64;
    Some(
        app.volume
            .histogram
            .as_ref()
            .filter(|v| !v.local && v.total() > loaded)
            .map(|v| v.total()),
    )
}

/// The export prompt's question: what will be written, and what Tab switches to.
pub fn export_label(app: &App, kind: &PromptKind) -> String {
    let n = app.logs.len();
    let loaded = plural(n, "loaded line", "loaded lines");
    let to = "to (.jsonl = JSON lines, else raw)";
    match (kind, export_beyond(app)) {
        (PromptKind::ExportRange, Some(Some(total))) => {
            format!("export all of about {total} lines in the range (tab: the {loaded}) {to}")
        }
        (PromptKind::ExportRange, _) => {
            format!("export every line in the range (tab: the {loaded}) {to}")
        }
        (_, Some(Some(total))) => {
            let more = total.saturating_sub(n as u64);
            format!(
                "export the {loaded}; about {more} more in the range (tab: the whole range) {to}"
            )
        }
        (_, Some(None)) => {
            format!("export the {loaded}; the range has more (tab: all of it) {to}")
        }
        (_, None) => format!("export the {} {to}", plural(n, "line", "lines")),
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
                app.editor.range = match r {
                    RangeSpec::Last { ns, .. } => app.last_range(&text, ns),
                    r => r,
                };
                if app.nav.screen() == Screen::Dashboard {
                    // the dashboard shares the explorer's range: its panels re-plan over it
                    return super::dashboard::fetch(app);
                }
                let q = app.editor.input.text.clone();
                run_query(app, q)
            }
            Err(e) => {
                app.status.error = Some(e);
                Vec::new()
            }
        },
        PromptKind::Export | PromptKind::ExportRange => {
            if text.is_empty() {
                return Vec::new();
            }
            let format = if text.ends_with(".jsonl") || text.ends_with(".json") {
                ExportFormat::Jsonl
            } else {
                ExportFormat::Raw
            };
            if kind == PromptKind::ExportRange
                && let Some(mut req) = app.logs.results.req.clone()
            {
                req.direction = crate::model::Direction::Forward;
                req.limit = EXPORT_PAGE;
                app.status.exporting = Some(0);
                return vec![Command::ExportRange {
                    path: PathBuf::from(text),
                    format,
                    req,
                }];
            }
            app.status.note = Some(format!(
                "exporting {}…",
                plural(app.logs.len(), "line", "lines")
            ));
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
