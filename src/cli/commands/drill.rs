//! `patterns` and `fields`: templates and field statistics of a query, from Loki's
//! Drilldown endpoints when it answers, computed locally otherwise (the output says which).

use std::io::Write;

use crate::backend::drill::{self, DEFAULT_SAMPLE};
use crate::cli::OutputPrefs;
use crate::cli::args::DrillArgs;
use crate::cli::error::CliError;
use crate::output::drill::{write_fields, write_patterns};
use crate::session::{RangeDefault, Session};
use crate::timespec::TimeRange;

/// What `patterns`/`fields` search with no range flag.
const DEFAULT_SINCE: &str = "1h";

fn plan(session: &Session, a: &DrillArgs) -> anyhow::Result<(String, TimeRange, usize)> {
    let query = a
        .query
        .clone()
        .unwrap_or_else(|| format!("{{app={}}}", crate::logql::quote(&session.app)));
    let range = session
        .range(
            &a.range.query(),
            RangeDefault::LastOrWholeInput(DEFAULT_SINCE),
        )
        .map_err(CliError::from)?
        .range();
    Ok((query, range, a.range.limit.unwrap_or(DEFAULT_SAMPLE)))
}

pub async fn patterns(session: &Session, prefs: &OutputPrefs, a: &DrillArgs) -> anyhow::Result<()> {
    let (query, r, limit) = plan(session, a)?;
    let report = drill::patterns(&session.backend, &query, r.start_ns, r.end_ns, limit).await?;
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut out = crate::output::SafeWriter::new(stdout, prefs.escape());
    write_patterns(&mut out, &report, prefs.format, a.range.utc)?;
    out.flush()?;
    Ok(())
}

pub async fn fields(session: &Session, prefs: &OutputPrefs, a: &DrillArgs) -> anyhow::Result<()> {
    let (query, r, limit) = plan(session, a)?;
    let report = drill::fields(&session.backend, &query, r.start_ns, r.end_ns, limit).await?;
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut out = crate::output::SafeWriter::new(stdout, prefs.escape());
    write_fields(&mut out, &report, prefs.format)?;
    out.flush()?;
    Ok(())
}
