//! `vs-logs dashboard`: a dashboard (built-in overview, a user's TOML from the config
//! directory, or a Grafana JSON's Loki panels) opened in the TUI's dashboard screen.

use std::path::{Path, PathBuf};

use crate::cli::DashboardArgs;
use crate::dashboard::{
    Dashboard, Skipped, import_grafana, overview, parse_override, resolve_vars,
};
use crate::session::Session;
use crate::timespec::parse_duration;
use crate::tui::TuiStart;
use crate::tui::dash::{DashboardStart, zone};

/// The shortest auto-refresh period accepted.
const MIN_REFRESH_MS: u64 = 1_000;

pub async fn run(session: Session, args: &DashboardArgs) -> anyhow::Result<()> {
    let start = request(&session, args)?;
    super::tui::need_terminal()?;
    crate::tui::run(session, start).await
}

/// The start request of `args`, with every file read and every flag checked before the
/// terminal is taken.
pub fn request(session: &Session, args: &DashboardArgs) -> anyhow::Result<TuiStart> {
    let (dashboard, skipped) = load(session.config_dir.as_deref(), args)?;
    let overrides = args
        .vars
        .iter()
        .map(|v| parse_override(v))
        .collect::<Result<Vec<_>, _>>()?;
    let vars = resolve_vars(&dashboard.variables, &overrides)?;
    let refresh_ms = match &args.refresh {
        None => None,
        Some(p) => {
            let ms = u64::try_from(parse_duration(p)? / 1_000_000).unwrap_or(0);
            if ms < MIN_REFRESH_MS {
                anyhow::bail!("--refresh {p:?}: the shortest period is 1s");
            }
            Some(ms)
        }
    };
    Ok(TuiStart {
        range: args.range.query(),
        dashboard: Some(DashboardStart {
            dashboard,
            skipped,
            vars,
            refresh_ms,
            zone: zone(args.range.utc),
        }),
        ..TuiStart::default()
    })
}

fn user_dir(config_dir: Option<&Path>) -> Option<PathBuf> {
    config_dir.map(|d| d.join("dashboards"))
}

/// The names of the user's dashboards (`<config dir>/dashboards/*.toml`).
fn user_names(dir: Option<&Path>) -> Vec<String> {
    let Some(Ok(rd)) = dir.map(std::fs::read_dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

/// Every name `--name` accepts: the built-in `overview`, then the user's dashboards.
pub fn names(config_dir: Option<&Path>) -> Vec<String> {
    let mut known = vec!["overview".to_string()];
    let users = user_names(user_dir(config_dir).as_deref());
    known.extend(users.into_iter().filter(|n| n != "overview"));
    known
}

/// The dashboard `args` name: a Grafana import, a user's file by name, or the overview.
fn load(
    config_dir: Option<&Path>,
    args: &DashboardArgs,
) -> anyhow::Result<(Dashboard, Vec<Skipped>)> {
    if let Some(path) = &args.grafana {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        let import =
            import_grafana(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        return Ok((import.dashboard, import.skipped));
    }
    let dir = user_dir(config_dir);
    let name = args.name.as_deref().unwrap_or("overview");
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.');
    if valid && let Some(d) = &dir {
        let path = d.join(format!("{name}.toml"));
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            let dash =
                Dashboard::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            return Ok((dash, Vec::new()));
        }
    }
    if name == "overview" {
        return Ok((overview()?, Vec::new()));
    }
    let known = names(config_dir);
    anyhow::bail!(
        "no dashboard named {name:?} (known: {}; user dashboards live in {})",
        known.join(", "),
        dir.map_or_else(
            || "<config dir>/dashboards".to_string(),
            |d| d.display().to_string()
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> DashboardArgs {
        DashboardArgs::default()
    }

    #[test]
    fn the_overview_is_the_default_and_unknown_names_list_the_known_ones() {
        let (d, skipped) = load(None, &args()).unwrap();
        assert_eq!(d, overview().unwrap());
        assert!(skipped.is_empty());
        let mut a = args();
        a.name = Some("nope".into());
        let e = load(None, &a).unwrap_err().to_string();
        assert!(e.contains("no dashboard named \"nope\""), "{e}");
        assert!(e.contains("overview"), "{e}");
    }

    #[test]
    fn user_dashboards_are_found_by_name_in_the_config_dir() {
        let dir = tempfile::tempdir().unwrap();
        let dd = dir.path().join("dashboards");
        std::fs::create_dir_all(&dd).unwrap();
        std::fs::write(
            dd.join("mine.toml"),
            "title = \"Mine\"\n[[panel]]\ntitle = \"Lines\"\nkind = \"timeseries\"\n\
             grid = { x = 0, y = 0, w = 24, h = 8 }\n\
             [[panel.target]]\nexpr = 'sum(count_over_time({app=\"a\"}[$__interval]))'\n",
        )
        .unwrap();
        let mut a = args();
        a.name = Some("mine".into());
        let (d, _) = load(Some(dir.path()), &a).unwrap();
        assert_eq!(d.title, "Mine");
        a.name = Some("other".into());
        let e = load(Some(dir.path()), &a).unwrap_err().to_string();
        assert!(e.contains("mine"), "{e}");
    }
}
