//! `vs-logs replay`: one agent run as a timeline (text), JSON, raw lines, a diff of two runs,
//! or in the TUI (`--tui`).

use std::io::Write;

use crate::agent::fetch::LineSource;
use crate::agent::find::{Found, ReplayRequest, find_runs};
use crate::agent::render::fmt::Paint;
use crate::agent::render::json as json_out;
use crate::agent::render::{diff, timeline};
use crate::cli::OutputPrefs;
use crate::output::OutputFormat;
use crate::session::Session;
use crate::tui::{AgentStart, TuiStart};

/// Width the text renderings are laid out for.
const WIDTH: usize = 80;

/// Runs `replay`: printed to stdout, or opened in the TUI's agent screen with `tui`.
pub async fn replay(
    session: Session,
    prefs: &OutputPrefs,
    req: &ReplayRequest,
    tui: bool,
) -> anyhow::Result<()> {
    if tui {
        super::tui::need_terminal()?;
        let found = find(&session, prefs, &session.backend, &req.agent_id, req).await?;
        let start = TuiStart {
            range: req.range.clone(),
            agent: Some(AgentStart {
                agent_id: req.agent_id.clone(),
                runs: found.runs,
                searched: found.searched,
            }),
            ..TuiStart::default()
        };
        return crate::tui::run(session, start).await;
    }
    let escape = escape(prefs, req.diff.is_some());
    let mut out = crate::output::SafeWriter::new(std::io::stdout().lock(), escape);
    replay_to(&session, prefs, req, &session.backend, &mut out).await
}

/// What replay output needs on its way to stdout. Raw lines and JSON hold log text: to a
/// terminal, what it would act on is made visible (JSON: escaped). A diff is a text rendering
/// (sanitised field by field, maybe coloured) in every format but JSON.
fn escape(prefs: &OutputPrefs, diff: bool) -> crate::output::Escape {
    match (diff, prefs.format) {
        (true, OutputFormat::Raw | OutputFormat::Csv) => crate::output::Escape::None,
        _ => prefs.escape(),
    }
}

/// `find_runs`, saying on stderr (unless quiet) when the search is widened.
async fn find(
    session: &Session,
    prefs: &OutputPrefs,
    src: &impl LineSource,
    agent_id: &str,
    req: &ReplayRequest,
) -> anyhow::Result<Found> {
    find_runs(session, src, agent_id, &req.range, |days| {
        if !prefs.quiet {
            eprintln!(
                "vs-logs: no lines for agent {} in the last {days} days; searching the last 30 days",
                crate::sanitize::inline(agent_id),
            );
        }
    })
    .await
}

/// `replay` writing to `out`, lines coming from `src`.
pub async fn replay_to(
    session: &Session,
    prefs: &OutputPrefs,
    req: &ReplayRequest,
    src: &impl LineSource,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let a = find(session, prefs, src, &req.agent_id, req).await?;
    let paint = Paint {
        on: prefs.color,
        utc: req.range.utc,
    };
    if let Some(b_id) = &req.diff {
        let b = find(session, prefs, src, b_id, req).await?;
        // A reused id: compare the latest attempts.
        let (Some(ra), Some(rb)) = (a.runs.last(), b.runs.last()) else {
            anyhow::bail!("nothing to compare");
        };
        match prefs.format {
            OutputFormat::Json => writeln!(out, "{:#}", json_out::diff(ra, rb))?,
            OutputFormat::Jsonl => writeln!(out, "{}", json_out::diff(ra, rb))?,
            OutputFormat::Text | OutputFormat::Raw | OutputFormat::Csv => {
                diff::write_diff(out, ra, rb, paint)?
            }
        }
        return Ok(());
    }
    match prefs.format {
        OutputFormat::Json => writeln!(
            out,
            "{:#}",
            json_out::replay(&req.agent_id, &a.runs, &a.searched)
        )?,
        OutputFormat::Jsonl => {
            for run in &a.runs {
                writeln!(out, "{}", serde_json::to_string(run)?)?;
            }
        }
        OutputFormat::Raw | OutputFormat::Csv => {
            let mut entries = a.entries;
            entries.sort_by_key(|e| e.ts);
            entries.dedup_by(|x, y| x.ts == y.ts && x.line == y.line);
            for e in entries {
                writeln!(out, "{}", e.line)?;
            }
        }
        OutputFormat::Text => timeline::write_runs(out, &a.runs, paint, WIDTH)?,
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Escape;

    #[test]
    fn raw_replay_lines_to_a_terminal_are_made_visible_but_a_coloured_diff_is_not_mangled() {
        let prefs = |format, terminal| OutputPrefs {
            format,
            terminal,
            ..OutputPrefs::default()
        };
        assert_eq!(
            escape(&prefs(OutputFormat::Raw, true), false),
            Escape::Visible
        );
        assert_eq!(
            escape(&prefs(OutputFormat::Raw, false), false),
            Escape::None
        );
        assert_eq!(
            escape(&prefs(OutputFormat::Jsonl, true), false),
            Escape::Json
        );
        assert_eq!(escape(&prefs(OutputFormat::Json, true), true), Escape::Json);
        assert_eq!(escape(&prefs(OutputFormat::Raw, true), true), Escape::None);
        assert_eq!(
            escape(&prefs(OutputFormat::Text, true), false),
            Escape::None
        );
    }
}
