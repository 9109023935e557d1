//! `vs-logs profiles`: the config file's profiles, their address and how they authenticate,
//! and which one is active and why. Credentials are never printed: addresses go through the
//! one redaction path (`secret::redact`), and only the kind of authentication is named.

use std::io::Write;

use serde_json::{Value, json};

use crate::cli::args::GlobalArgs;
use crate::cli::error::CliError;
use crate::cli::settings;
use crate::config::{ConfigFile, Profile};
use crate::output::OutputFormat;
use crate::sanitize::inline;

/// Why a profile is the active one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActiveBecause {
    /// `--profile NAME`.
    Flag,
    /// `VS_LOGS_PROFILE=NAME`.
    Env,
    /// `default_profile = "NAME"` in the config file.
    Default,
}

impl ActiveBecause {
    /// How the reason is shown (the flag, variable or setting that chose it).
    pub fn label(self) -> &'static str {
        match self {
            ActiveBecause::Flag => "--profile",
            ActiveBecause::Env => "VS_LOGS_PROFILE",
            ActiveBecause::Default => "default_profile",
        }
    }
}

/// The active profile's name and why, if any: `--profile`/`VS_LOGS_PROFILE` (`given`, with
/// where it came from), else the config's `default_profile`. A name the config does not define
/// is the same error every other command gives.
pub fn active<'a>(
    cfg: &'a ConfigFile,
    given: Option<(&'a str, ActiveBecause)>,
) -> Result<Option<(&'a str, ActiveBecause)>, CliError> {
    let chosen = given.or_else(|| {
        cfg.default_profile
            .as_deref()
            .map(|n| (n, ActiveBecause::Default))
    });
    if let Some((name, _)) = chosen {
        cfg.profile(Some(name))
            .map_err(|e| CliError::usage(e.to_string()))?;
    }
    Ok(chosen)
}

/// How a profile authenticates, by kind only (`basic`, `bearer`, `mtls`).
fn auth(p: &Profile) -> Vec<&'static str> {
    let mut kinds = Vec::new();
    if p.username.is_some() || p.password.is_some() {
        kinds.push("basic");
    }
    if p.bearer_token.is_some() || p.bearer_token_file.is_some() {
        kinds.push("bearer");
    }
    if p.cert.is_some() {
        kinds.push("mtls");
    }
    kinds
}

/// The profile's address with any userinfo or known secret replaced by `***`.
fn address(p: &Profile) -> Option<String> {
    p.addr.as_deref().map(crate::secret::redact)
}

/// Writes the table (`text`, `raw`), CSV or JSON.
pub fn write_profiles(
    out: &mut dyn Write,
    cfg: &ConfigFile,
    active: Option<(&str, ActiveBecause)>,
    format: OutputFormat,
) -> std::io::Result<()> {
    let is_active = |name: &str| active.filter(|(n, _)| *n == name).map(|(_, why)| why);
    match format {
        OutputFormat::Json | OutputFormat::Jsonl => {
            let rows: Vec<Value> = cfg
                .profiles
                .iter()
                .map(|(name, p)| {
                    let why = is_active(name);
                    json!({
                        "name": name,
                        "addr": address(p),
                        "org_id": p.org_id,
                        "auth": auth(p),
                        "active": why.is_some(),
                        "active_because": why.map(ActiveBecause::label),
                    })
                })
                .collect();
            if format == OutputFormat::Json {
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)?;
            } else {
                for r in &rows {
                    serde_json::to_writer(&mut *out, r)?;
                    writeln!(out)?;
                }
            }
        }
        OutputFormat::Csv => {
            writeln!(out, "name,addr,org_id,auth,active,active_because")?;
            for (name, p) in &cfg.profiles {
                let why = is_active(name);
                let fields = [
                    name.as_str(),
                    &address(p).unwrap_or_default(),
                    p.org_id.as_deref().unwrap_or(""),
                    &auth(p).join("+"),
                    if why.is_some() { "true" } else { "false" },
                    why.map_or("", ActiveBecause::label),
                ]
                .map(|f| crate::output::csv_field(f).into_owned());
                writeln!(out, "{}", fields.join(","))?;
            }
        }
        OutputFormat::Text | OutputFormat::Raw => {
            let default_addr = crate::loki::LokiConfig::default().addr;
            let mut rows = vec![[
                "ACTIVE".to_string(),
                "NAME".to_string(),
                "ADDRESS".to_string(),
                "TENANT".to_string(),
                "AUTH".to_string(),
            ]];
            for (name, p) in &cfg.profiles {
                let kinds = auth(p);
                rows.push([
                    is_active(name).map_or(String::new(), |why| format!("* ({})", why.label())),
                    inline(name).into_owned(),
                    address(p).map_or_else(
                        || format!("{default_addr} (default)"),
                        |a| inline(&a).into_owned(),
                    ),
                    p.org_id
                        .as_deref()
                        .map_or("-".into(), |o| inline(o).into_owned()),
                    if kinds.is_empty() {
                        "none".into()
                    } else {
                        kinds.join("+")
                    },
                ]);
            }
            let mut widths = [0usize; 5];
            for r in &rows {
                for (w, cell) in widths.iter_mut().zip(r) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            for r in &rows {
                let mut line = String::new();
                for (i, (cell, w)) in r.iter().zip(widths).enumerate() {
                    if i + 1 == r.len() {
                        line.push_str(cell);
                    } else {
                        line.push_str(&format!("{cell:w$}  "));
                    }
                }
                writeln!(out, "{}", line.trim_end())?;
            }
        }
    }
    out.flush()
}

/// `vs-logs profiles`; `given` is `--profile`/`VS_LOGS_PROFILE` with where it came from.
pub fn run(g: &GlobalArgs, given: Option<ActiveBecause>) -> anyhow::Result<()> {
    let (cfg, _) = settings::read_config(g)?;
    let given = g
        .profile
        .as_deref()
        .map(|n| (n, given.unwrap_or(ActiveBecause::Flag)));
    let active = active(&cfg, given)?;
    let profile = active
        .and_then(|(n, _)| cfg.profiles.get(n))
        .cloned()
        .unwrap_or_default();
    let prefs = settings::prefs(g, &profile)?;
    if cfg.profiles.is_empty() {
        let file = settings::config_file(g);
        let what = match &file {
            Some(p) if p.exists() => format!("{} defines no profiles", p.display()),
            Some(p) => format!("no config file at {}", p.display()),
            None => "no config file".to_string(),
        };
        if !prefs.quiet {
            eprintln!(
                "vs-logs: {what}; add a profile as a [profiles.NAME] table \
                 (addr = \"https://…\")"
            );
        }
    } else if g.addr.is_some() && active.is_some() && !prefs.quiet {
        eprintln!(
            "vs-logs: --addr (or LOKI_ADDR) is set and wins over the active profile's address"
        );
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write_profiles(&mut out, &cfg, active, prefs.format)?;
    Ok(())
}
