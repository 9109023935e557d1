//! `vs-logs agents`: the runs in a range, as a table with per-type totals or as JSON.

use std::io::Write;

use crate::agent::fetch::LineSource;
use crate::agent::find::{AgentsRequest, list_runs};
use crate::agent::render::fmt::Paint;
use crate::agent::render::json as json_out;
use crate::agent::render::runs_table::write_table;
use crate::cli::OutputPrefs;
use crate::output::OutputFormat;
use crate::session::Session;

pub async fn agents(
    session: &Session,
    prefs: &OutputPrefs,
    req: &AgentsRequest,
) -> anyhow::Result<()> {
    // Rows hold log text: to a terminal, JSON output escapes what a terminal would act on.
    let mut out = crate::output::SafeWriter::new(std::io::stdout().lock(), prefs.escape());
    agents_to(session, prefs, req, &session.backend, &mut out).await
}

/// `agents` writing to `out`, lines coming from `src`.
pub async fn agents_to(
    session: &Session,
    prefs: &OutputPrefs,
    req: &AgentsRequest,
    src: &impl LineSource,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let list = list_runs(session, src, req).await?;
    match prefs.format {
        OutputFormat::Json => writeln!(out, "{:#}", json_out::agents(&list.rows, &list.searched))?,
        OutputFormat::Jsonl | OutputFormat::Raw | OutputFormat::Csv => {
            for r in &list.rows {
                writeln!(out, "{}", serde_json::to_string(r)?)?;
            }
        }
        OutputFormat::Text => write_table(
            out,
            &list.rows,
            Paint {
                on: prefs.color,
                utc: req.range.utc,
            },
        )?,
    }
    out.flush()?;
    Ok(())
}
