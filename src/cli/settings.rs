//! Settings resolution: flag > environment > profile > default, then the `Session` and the
//! CLI's `OutputPrefs`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::OutputPrefs;
use super::args::{ColorMode, GlobalArgs};
use super::error::CliError;
use crate::backend::Backend;
use crate::config::{self, ConfigFile, Profile};
use crate::loki::{LokiClient, LokiConfig};
use crate::output::OutputFormat;
use crate::secret::Secret;
use crate::session::{Session, wall_clock_ns};
use crate::source::{LocalInput, LocalSource};

/// The config file to read and whether it must exist (`--config` given).
fn config_path(g: &GlobalArgs) -> Option<(PathBuf, bool)> {
    match &g.config {
        Some(p) => Some((p.clone(), true)),
        None => config::default_config_dir().map(|d| (d.join("config.toml"), false)),
    }
}

/// The config file's path, whether or not it exists (`None` with neither `--config` nor a
/// home directory).
pub fn config_file(g: &GlobalArgs) -> Option<PathBuf> {
    config_path(g).map(|(p, _)| p)
}

/// Reads the config file (defaults when there is none).
pub fn read_config(g: &GlobalArgs) -> Result<(ConfigFile, Option<PathBuf>), CliError> {
    let Some((path, required)) = config_path(g) else {
        return Ok((ConfigFile::default(), None));
    };
    let dir = path.parent().map(PathBuf::from);
    let cfg = config::load_file(&path, required)
        .map_err(|e| CliError::usage(e.to_string()))?
        .unwrap_or_default();
    Ok((cfg, dir))
}

/// `30s`, `2m`, or plain seconds.
fn parse_timeout(s: &str) -> Result<Duration, CliError> {
    let ns = match s.trim().parse::<u64>() {
        Ok(secs) => secs.saturating_mul(1_000_000_000).min(i64::MAX as u64) as i64,
        Err(_) => crate::timespec::parse_duration(s)
            .map_err(|e| CliError::usage(format!("--timeout: {e}")))?,
    };
    if ns <= 0 {
        return Err(CliError::usage("--timeout must be more than zero"));
    }
    Ok(Duration::from_nanos(ns as u64))
}

/// `Name: value` → (`Name`, `value`).
pub fn parse_header(h: &str) -> Result<(String, String), CliError> {
    match h.split_once(':') {
        Some((name, value)) if !name.trim().is_empty() && !name.trim().contains(' ') => {
            Ok((name.trim().to_string(), value.trim().to_string()))
        }
        _ => Err(CliError::usage(format!(
            "--header {h:?} is not 'Name: value' (e.g. --header 'X-Team: sec')"
        ))),
    }
}

fn read_token_file(path: &std::path::Path) -> Result<Secret, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::usage(format!(
            "cannot read bearer token file {}: {e}",
            path.display()
        ))
    })?;
    Ok(Secret::new(text.trim()))
}

/// Most time slices fetched at once: beyond this Loki's own query queue is the bottleneck and
/// every in-flight page costs memory here.
pub const MAX_PARALLEL: usize = 32;

/// The Loki connection settings from flags/env over the profile over defaults.
pub fn loki_config(g: &GlobalArgs, p: &Profile) -> Result<LokiConfig, CliError> {
    let d = LokiConfig::default();
    let bearer_token = match (&g.bearer_token, &g.bearer_token_file) {
        (Some(t), _) => Some(t.clone()),
        (None, Some(f)) => Some(read_token_file(f)?),
        (None, None) => match (&p.bearer_token, &p.bearer_token_file) {
            (Some(t), _) => Some(t.clone()),
            (None, Some(f)) => Some(read_token_file(f)?),
            (None, None) => None,
        },
    };
    let mut headers = Vec::new();
    for h in p.headers.iter().chain(g.headers.iter()) {
        headers.push(parse_header(h)?);
    }
    let timeout = match g.timeout.as_ref().or(p.timeout.as_ref()) {
        Some(t) => parse_timeout(t)?,
        None => d.timeout,
    };
    let batch_size = g.batch.or(p.batch).unwrap_or(d.batch_size);
    if !(1..=5000).contains(&batch_size) {
        return Err(CliError::usage(format!(
            "--batch {batch_size} is out of range: Loki returns at most 5000 entries per request (use 1..=5000)"
        )));
    }
    // Not given: 0, the client's automatic choice (concurrent slices for multi-page results).
    let parallel = g.parallel.or(p.parallel).map_or(d.parallel, |n| n.max(1));
    if parallel > MAX_PARALLEL {
        return Err(CliError::usage(format!(
            "--parallel {parallel} is above the limit of {MAX_PARALLEL} concurrent requests \
             (more only queues inside Loki and costs memory here; use 1..={MAX_PARALLEL})"
        )));
    }
    Ok(LokiConfig {
        addr: g
            .addr
            .clone()
            .or_else(|| p.addr.clone())
            .unwrap_or(d.addr)
            .trim_end_matches('/')
            .to_string(),
        org_id: g.org_id.clone().or_else(|| p.org_id.clone()),
        username: g.username.clone().or_else(|| p.username.clone()),
        password: g.password.clone().or_else(|| p.password.clone()),
        bearer_token,
        ca_cert: g.ca_cert.clone().or_else(|| p.ca_cert.clone()),
        client_cert: g.cert.clone().or_else(|| p.cert.clone()),
        client_key: g.key.clone().or_else(|| p.key.clone()),
        tls_skip_verify: g.tls_skip_verify || p.tls_skip_verify.unwrap_or(false),
        headers,
        timeout,
        retries: g.retries.or(p.retries).unwrap_or(d.retries),
        batch_size,
        parallel,
        max_body_bytes: match g.max_body_mb.or(p.max_body_mb) {
            Some(mb @ 1..=65536) => (mb as usize) << 20,
            Some(mb) => {
                return Err(CliError::usage(format!(
                    "profile setting max_body_mb = {mb} is out of range (use 1..=65536)"
                )));
            }
            None => d.max_body_bytes,
        },
        ..d
    })
}

fn color_enabled(g: &GlobalArgs, p: &Profile) -> Result<bool, CliError> {
    let mode = match (g.color, &p.color) {
        (Some(m), _) => m,
        (None, Some(s)) => <ColorMode as clap::ValueEnum>::from_str(s, true).map_err(|_| {
            CliError::usage(format!(
                "profile setting color = {s:?}: use auto, always or never"
            ))
        })?,
        (None, None) => ColorMode::Auto,
    };
    Ok(match mode {
        ColorMode::Always => true,
        ColorMode::Never => false,
        ColorMode::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    })
}

fn output_format(g: &GlobalArgs, p: &Profile) -> Result<OutputFormat, CliError> {
    match (g.output, &p.output) {
        (Some(o), _) => Ok(o),
        (None, Some(s)) => OutputFormat::parse(s).ok_or_else(|| {
            CliError::usage(format!(
                "profile setting output = {s:?}: use text, json, jsonl, raw or csv"
            ))
        }),
        (None, None) => Ok(OutputFormat::Text),
    }
}

fn backend(g: &GlobalArgs, p: &Profile, app: &str) -> Result<Backend, CliError> {
    let mut inputs: Vec<LocalInput> = g.files.iter().cloned().map(LocalInput::File).collect();
    if g.stdin {
        inputs.push(LocalInput::Stdin);
    }
    if g.demo {
        inputs.push(LocalInput::Demo);
    }
    if !inputs.is_empty() {
        let source =
            LocalSource::open_with_app(inputs, app).map_err(|e| CliError::usage(e.to_string()))?;
        return Ok(Backend::Local(Arc::new(source)));
    }
    let client = LokiClient::new(loki_config(g, p)?).map_err(|e| CliError::usage(e.to_string()))?;
    Ok(Backend::Loki(client))
}

/// The local size limits, flag (or its environment variable) over the profile over the
/// default: `(line bytes, stdin MiB)`, `None` where nothing was given.
pub fn local_limits(g: &GlobalArgs, p: &Profile) -> Result<(Option<u64>, Option<u64>), CliError> {
    let line = g.max_line_bytes.or(p.max_line_bytes);
    if let Some(n) = line.filter(|n| !(1024..=1 << 30).contains(n)) {
        return Err(CliError::usage(format!(
            "profile setting max_line_bytes = {n} is out of range (use 1024..={})",
            1u64 << 30
        )));
    }
    let stdin = g.max_stdin_mb.or(p.max_stdin_mb);
    if let Some(n) = stdin.filter(|n| !(1..=1 << 24).contains(n)) {
        return Err(CliError::usage(format!(
            "profile setting max_stdin_mb = {n} is out of range (use 1..={})",
            1u64 << 24
        )));
    }
    Ok((line, stdin))
}

/// Installs [`local_limits`] for the whole process (before any input is read).
fn install_local_limits(g: &GlobalArgs, p: &Profile) -> Result<(), CliError> {
    let (line, stdin) = local_limits(g, p)?;
    if let Some(n) = line {
        crate::model::limits::set_max_line_bytes(usize::try_from(n).unwrap_or(usize::MAX));
    }
    if let Some(n) = stdin {
        crate::model::limits::set_max_stdin_mb(n);
    }
    Ok(())
}

/// How the CLI prints, from flags and environment over the profile.
pub fn prefs(g: &GlobalArgs, profile: &Profile) -> Result<OutputPrefs, CliError> {
    Ok(OutputPrefs {
        format: output_format(g, profile)?,
        color: color_enabled(g, profile)?,
        quiet: g.quiet,
        raw_bytes: g.raw_bytes,
        terminal: std::io::stdout().is_terminal(),
    })
}

/// Builds the session every command receives, and how the CLI prints.
pub fn session(g: &GlobalArgs) -> Result<(Session, OutputPrefs), CliError> {
    let (cfg, config_dir) = read_config(g)?;
    let profile = cfg
        .profile(g.profile.as_deref())
        .map_err(|e| CliError::usage(e.to_string()))?
        .cloned()
        .unwrap_or_default();
    let scenes =
        config::load_scenes(config_dir.as_deref()).map_err(|e| CliError::usage(e.to_string()))?;
    let now_ns = wall_clock_ns();
    let app = g
        .app
        .clone()
        .or_else(|| profile.app.clone())
        .unwrap_or_else(|| "vulnsentinel".into());
    install_local_limits(g, &profile)?;
    let backend = backend(g, &profile, &app)?;
    let prefs = prefs(g, &profile)?;
    let session = Session {
        backend,
        app,
        config: cfg,
        config_dir,
        scenes,
        now_ns,
    };
    Ok((session, prefs))
}

#[cfg(test)]
mod tests;
