//! `labels` and `series`: what exists, like logcli's.

use std::io::Write;

use crate::cli::OutputPrefs;
use crate::cli::error::CliError;
use crate::output::{write_label_sets, write_names};
use crate::session::{RangeDefault, Session};
use crate::timespec::RangeQuery;

/// Loki's own default window for discovery calls.
const DEFAULT_SINCE: &str = "6h";

pub async fn labels(
    session: &Session,
    prefs: &OutputPrefs,
    name: Option<&str>,
    query: Option<&str>,
    range: &RangeQuery,
) -> anyhow::Result<()> {
    let r = session
        .range(range, RangeDefault::LastOrWholeInput(DEFAULT_SINCE))
        .map_err(CliError::from)?;
    let names = match name {
        Some(n) => {
            session
                .backend
                .label_values(n, r.start_ns, r.end_ns, query)
                .await?
        }
        None => {
            if query.is_some() {
                return Err(CliError::usage("--query needs a label NAME").into());
            }
            session.backend.labels(r.start_ns, r.end_ns).await?
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write_names(&mut out, &names, prefs.format)?;
    out.flush()?;
    Ok(())
}

pub async fn series(
    session: &Session,
    prefs: &OutputPrefs,
    matchers: &[String],
    range: &RangeQuery,
) -> anyhow::Result<()> {
    let r = session
        .range(range, RangeDefault::LastOrWholeInput(DEFAULT_SINCE))
        .map_err(CliError::from)?;
    let sets = session
        .backend
        .series(matchers, r.start_ns, r.end_ns)
        .await?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write_label_sets(&mut out, &sets, prefs.format)?;
    out.flush()?;
    Ok(())
}
