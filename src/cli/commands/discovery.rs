//! `labels` and `series`: what exists, like logcli's.

use std::io::Write;
use std::sync::Arc;

use crate::cli::OutputPrefs;
use crate::cli::error::CliError;
use crate::model::{Direction, QueryOutput, QueryRange};
use crate::output::{SafeWriter, write_label_sets, write_names};
use crate::sanitize::inline;
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
    let mut out = SafeWriter::new(
        std::io::BufWriter::new(std::io::stdout().lock()),
        prefs.escape(),
    );
    write_names(&mut out, &names, prefs.format)?;
    out.flush()?;
    if let Some(n) = name
        && names.is_empty()
        && !prefs.quiet
    {
        explain_missing_label(session, n, r.start_ns, r.end_ns).await;
    }
    Ok(())
}

/// Lines sampled when looking for a parsed field's values.
const FIELD_SAMPLE: usize = 1000;

/// `labels NAME` found no stream label: if `NAME` is a field of the lines (`| json`), say so
/// and show the values seen in a sample of recent lines, on Loki and locally alike.
async fn explain_missing_label(session: &Session, name: &str, start_ns: i64, end_ns: i64) {
    let ident = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let mut values = std::collections::BTreeSet::new();
    if ident {
        let app = crate::logql::quote::quote(&session.app);
        let req = QueryRange {
            query: format!("{{app={app}}} | json | {name}!=\"\""),
            start_ns,
            end_ns,
            limit: FIELD_SAMPLE,
            direction: Direction::Backward,
            step_ms: None,
            instant: false,
        };
        if let Ok((QueryOutput::Streams(entries), _)) = session
            .backend
            .query(&req, Arc::new(|_: crate::loki::Progress| {}))
            .await
        {
            values.extend(
                entries
                    .iter()
                    .filter_map(|e| e.label(name))
                    .map(String::from),
            );
        }
    }
    let name_s = inline(name);
    if values.is_empty() {
        eprintln!("vs-logs: no stream label {name_s:?} in this range");
        eprintln!("hint: `vs-logs labels` lists the stream labels; widen the range with --since");
        return;
    }
    let shown: Vec<String> = values
        .iter()
        .take(20)
        .map(|v| inline(v).into_owned())
        .collect();
    let more = if values.len() > shown.len() {
        ", …"
    } else {
        ""
    };
    eprintln!(
        "vs-logs: {name_s} is a parsed field of the lines (from `| json`), not a stream label"
    );
    eprintln!(
        "values in the last {FIELD_SAMPLE} matching lines: {}{more}",
        shown.join(", ")
    );
    eprintln!(
        "hint: filter on it with `| json | {name_s}=\"{}\"`",
        shown[0]
    );
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
    let mut out = SafeWriter::new(
        std::io::BufWriter::new(std::io::stdout().lock()),
        prefs.escape(),
    );
    write_label_sets(&mut out, &sets, prefs.format)?;
    out.flush()?;
    Ok(())
}
