//! `labels` and `series`: what exists, like logcli's.

use std::io::Write;

use crate::cli::error::CliError;
use crate::cli::{Context, RangeArgs};
use crate::output::{write_label_sets, write_names};

/// Loki's own default window for discovery calls.
const DEFAULT_SINCE: &str = "6h";

pub async fn labels(
    ctx: &Context,
    name: Option<&str>,
    query: Option<&str>,
    range: &RangeArgs,
) -> anyhow::Result<()> {
    let r = ctx.range(range, DEFAULT_SINCE).map_err(CliError::from)?;
    let names = match name {
        Some(n) => {
            ctx.backend
                .label_values(n, r.start_ns, r.end_ns, query)
                .await?
        }
        None => {
            if query.is_some() {
                return Err(CliError::usage("--query needs a label NAME").into());
            }
            ctx.backend.labels(r.start_ns, r.end_ns).await?
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write_names(&mut out, &names, ctx.output)?;
    out.flush()?;
    Ok(())
}

pub async fn series(ctx: &Context, matchers: &[String], range: &RangeArgs) -> anyhow::Result<()> {
    let r = ctx.range(range, DEFAULT_SINCE).map_err(CliError::from)?;
    let sets = ctx.backend.series(matchers, r.start_ns, r.end_ns).await?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write_label_sets(&mut out, &sets, ctx.output)?;
    out.flush()?;
    Ok(())
}
