//! `scenes`, `scene NAME` and the commands built from scenes (`errors`, `rate-limits`, `5xx`,
//! `slow-tools`, `event`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use super::query::{self, Plan};
use crate::cli::OutputPrefs;
use crate::cli::args::SceneRunArgs;
use crate::cli::error::CliError;
use crate::logql::rewrite as filters;
use crate::output::OutputFormat;
use crate::sanitize::inline;
use crate::scenes;
use crate::session::Session;

/// `--set key=value` pairs → a map.
pub fn parse_sets(sets: &[String]) -> Result<BTreeMap<String, String>, CliError> {
    let mut map = BTreeMap::new();
    for s in sets {
        match s.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                map.insert(k.trim().to_string(), v.to_string());
            }
            _ => {
                return Err(CliError::usage(format!(
                    "--set {s:?} is not KEY=VALUE (e.g. --set agent_id=ag-456)"
                )));
            }
        }
    }
    Ok(map)
}

/// Extra narrowing of a scene's query.
#[derive(Debug, Default)]
pub struct Narrow<'a> {
    pub module: Option<&'a str>,
    pub agent_type: Option<&'a str>,
}

/// Renders scene `name` with `params`, narrows it, and runs it.
pub async fn run_scene(
    session: &Session,
    prefs: &OutputPrefs,
    name: &str,
    params: &BTreeMap<String, String>,
    narrow: Narrow<'_>,
    run: &SceneRunArgs,
    file: Option<&Path>,
) -> anyhow::Result<()> {
    let scene = scenes::find(&session.scenes, name).map_err(CliError::from)?;
    let mut q = scene.render(&session.app, params).map_err(CliError::from)?;
    // Agent types only exist on agent lines: narrowing the stream too makes Loki read less.
    let module = narrow.module.or(narrow.agent_type.map(|_| "agent"));
    if let Some(m) = module {
        q = filters::with_matcher(&q, "module", m).ok_or_else(|| {
            CliError::usage(format!("scene {name:?} has no stream selector to narrow"))
        })?;
    }
    if let Some(t) = narrow.agent_type {
        q = filters::with_label_filter(&q, "agent_type", t);
    }
    let mut plan = Plan::new(q, &run.range, &scene.since).with_metric(&run.metric);
    plan.step = plan.step.or(scene.step.as_deref());
    plan.scene = true;
    plan.forward = run.forward || scene.forward;
    plan.follow = run.follow.follow.then_some(run.follow.delay_for);
    plan.file = file;
    query::run(session, prefs, plan).await
}

/// `vs-logs scenes`: every scene, its description and LogQL.
pub fn list(session: &Session, prefs: &OutputPrefs) -> anyhow::Result<()> {
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut out = crate::output::SafeWriter::new(stdout, prefs.escape());
    match prefs.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &session.scenes)?;
            writeln!(out)?;
        }
        OutputFormat::Jsonl => {
            for s in &session.scenes {
                serde_json::to_writer(&mut out, s)?;
                writeln!(out)?;
            }
        }
        OutputFormat::Text | OutputFormat::Raw | OutputFormat::Csv => {
            let width = session
                .scenes
                .iter()
                .map(|s| s.name.len())
                .max()
                .unwrap_or(0);
            let (b, r) = if prefs.color {
                ("\x1b[1m", "\x1b[0m")
            } else {
                ("", "")
            };
            for s in &session.scenes {
                writeln!(
                    out,
                    "{b}{:width$}{r}  {} (default range {})",
                    inline(&s.name),
                    inline(&s.title),
                    inline(&s.since)
                )?;
                writeln!(out, "{:width$}  {}", "", inline(&s.description))?;
                writeln!(out, "{:width$}  {}", "", inline(&s.query))?;
                for p in &s.params {
                    let default = p
                        .default
                        .as_deref()
                        .map(|d| format!(" (default {})", inline(d)))
                        .unwrap_or_else(|| " (required)".into());
                    writeln!(
                        out,
                        "{:width$}  --set {}=…  {}{default}",
                        "",
                        inline(&p.name),
                        inline(&p.description)
                    )?;
                }
                writeln!(out)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
