//! `vs-logs completions SHELL` and `vs-logs man`: the command-line grammar written out for a
//! shell and for `man`. Neither needs a session: they only read the config for names.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap::builder::{PossibleValue, PossibleValuesParser};

use crate::cli::args::{Cli, CompletionsArgs, GlobalArgs, ManArgs};
use crate::cli::error::CliError;
use crate::cli::settings;

/// The names a completion script offers, as known now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names {
    /// Scene name and title (built-in and the user's `scenes.toml`).
    pub scenes: Vec<(String, String)>,
    /// Profile names from the config file.
    pub profiles: Vec<String>,
    /// `overview` and the user's dashboards.
    pub dashboards: Vec<String>,
}

impl Names {
    /// Reads what exists; a broken config or scenes file leaves its names out, with a note on
    /// stderr (a completion script is still useful without them).
    pub fn gather(g: &GlobalArgs) -> Names {
        let warn = |what: &str, e: &dyn std::fmt::Display| {
            if !g.quiet {
                eprintln!("vs-logs: completing without {what}: {e}");
            }
        };
        let config_dir = settings::config_file(g).and_then(|p| p.parent().map(PathBuf::from));
        let profiles = match settings::read_config(g) {
            Ok((cfg, _)) => cfg.profiles.into_keys().collect(),
            Err(e) => {
                warn("profile names", &e);
                Vec::new()
            }
        };
        let scenes = match crate::config::load_scenes(config_dir.as_deref()) {
            Ok(s) => s,
            Err(e) => {
                warn("user scene names", &e);
                crate::scenes::builtin().unwrap_or_default()
            }
        };
        Names {
            scenes: scenes.into_iter().map(|s| (s.name, s.title)).collect(),
            profiles,
            dashboards: super::dashboard::names(config_dir.as_deref()),
        }
    }
}

fn values(names: impl IntoIterator<Item = PossibleValue>) -> PossibleValuesParser {
    PossibleValuesParser::new(names)
}

/// The grammar with `names` as the values of `scene NAME`, `tui --scene`, `--profile` and
/// `dashboard --name`, so the static script completes them. Only completion uses it: parsing
/// keeps accepting any name (and says which exist when one does not).
pub fn completion_command(names: &Names) -> clap::Command {
    let scene_values = || {
        values(
            names
                .scenes
                .iter()
                .map(|(n, title)| PossibleValue::new(n.clone()).help(title.clone())),
        )
    };
    let mut cmd = Cli::command()
        .mut_subcommand("scene", |c| {
            c.mut_arg("name", |a| a.value_parser(scene_values()))
        })
        .mut_subcommand("tui", |c| {
            c.mut_arg("scene", |a| a.value_parser(scene_values()))
        })
        .mut_subcommand("dashboard", |c| {
            c.mut_arg("name", |a| {
                a.value_parser(values(
                    names
                        .dashboards
                        .iter()
                        .map(|n| PossibleValue::new(n.clone())),
                ))
            })
        });
    if !names.profiles.is_empty() {
        cmd = cmd.mut_arg("profile", |a| {
            a.value_parser(values(
                names.profiles.iter().map(|n| PossibleValue::new(n.clone())),
            ))
        });
    }
    cmd
}

/// Writes the completion script for `shell` to `out`.
pub fn write_completions(
    shell: clap_complete::Shell,
    names: &Names,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut cmd = completion_command(names);
    clap_complete::generate(shell, &mut cmd, "vs-logs", out);
    out.flush()
}

/// `vs-logs completions SHELL`.
pub fn completions(g: &GlobalArgs, args: &CompletionsArgs) -> anyhow::Result<()> {
    let names = Names::gather(g);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write_completions(args.shell, &names, &mut out)?;
    Ok(())
}

/// The page of `command` (`vs-logs-query`), or the main page.
pub fn write_man(command: Option<&str>, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut root = Cli::command();
    root.build();
    let page = match command {
        None => root,
        Some(name) => {
            let Some(sub) = root.find_subcommand(name) else {
                let known: Vec<&str> = root.get_subcommands().map(|c| c.get_name()).collect();
                return Err(CliError::usage(format!(
                    "no command named {name:?}; commands: {}",
                    known.join(", ")
                ))
                .into());
            };
            let full = format!("vs-logs-{}", sub.get_name());
            sub.clone()
                .name(full.clone())
                .display_name(full)
                .bin_name(format!("vs-logs {}", sub.get_name()))
                .version(env!("CARGO_PKG_VERSION"))
        }
    };
    clap_mangen::Man::new(page).render(out)?;
    out.flush()?;
    Ok(())
}

/// Writes `vs-logs.1` and one `vs-logs-COMMAND.1` per command into `dir`.
pub fn write_man_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::usage(format!("cannot create {}: {e}", dir.display())))?;
    clap_mangen::generate_to(Cli::command(), dir)
        .map_err(|e| anyhow::anyhow!("cannot write the pages into {}: {e}", dir.display()))?;
    Ok(())
}

/// `vs-logs man [COMMAND] [--dir DIR]`.
pub fn man(g: &GlobalArgs, args: &ManArgs) -> anyhow::Result<()> {
    if let Some(dir) = &args.dir {
        write_man_dir(dir)?;
        if !g.quiet {
            eprintln!("vs-logs: wrote the manual pages into {}", dir.display());
        }
        return Ok(());
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write_man(args.command.as_deref(), &mut out)
}
