//! `vs-logs push FILE`: structlog JSON lines → Loki, labelled as Grafana Alloy labels them
//! (`app`, `module` from the logger, `level`, `container`), in batches, with progress.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;
use std::time::Instant;

use crate::backend::Backend;
use crate::cli::OutputPrefs;
use crate::cli::error::CliError;
use crate::model::Labels;
use crate::output::{OutputFormat, ProgressLine, plural};
use crate::session::Session;
use crate::source::line::classify_line;

/// The stream labels, timestamp and stored text Alloy gives one line (the local sources
/// label lines the same way, through `classify_line`). `container` overrides the container
/// label; lines without a timestamp of their own get `fallback_ns`.
pub fn classify(
    line: &str,
    app: &str,
    container: Option<&str>,
    fallback_ns: i64,
) -> (Labels, i64, String) {
    let info = classify_line(line, app);
    let mut labels = info.labels.clone();
    if let Some(c) = container {
        labels.insert("container".into(), c.to_string());
    }
    (
        labels,
        info.ts_ns.unwrap_or(fallback_ns),
        info.body(line).to_string(),
    )
}

fn open(path: &Path) -> Result<Box<dyn BufRead>, CliError> {
    if path == Path::new("-") {
        return Ok(Box::new(std::io::BufReader::new(std::io::stdin())));
    }
    let f = std::fs::File::open(path)
        .map_err(|e| CliError::usage(format!("cannot read {}: {e}", path.display())))?;
    Ok(Box::new(std::io::BufReader::new(f)))
}

type Batch = BTreeMap<Labels, Vec<(i64, String)>>;

async fn send(
    client: &crate::loki::LokiClient,
    batch: &mut Batch,
) -> Result<(), crate::loki::LokiError> {
    let streams: Vec<(Labels, Vec<(i64, String)>)> = std::mem::take(batch).into_iter().collect();
    client.push(&streams).await
}

pub async fn push(
    session: &Session,
    prefs: &OutputPrefs,
    file: &Path,
    container: Option<&str>,
    batch_lines: usize,
) -> anyhow::Result<()> {
    let Backend::Loki(client) = &session.backend else {
        return Err(CliError::usage(
            "push sends lines to a Loki: drop --file/--stdin/--demo and give the file to push",
        )
        .into());
    };
    let batch_lines = batch_lines.max(1);
    let mut reader = open(file)?;
    let progress = ProgressLine::new(prefs.quiet);
    let started = Instant::now();
    let mut batch = Batch::new();
    let mut streams = std::collections::BTreeSet::new();
    let (mut in_batch, mut total, mut requests) = (0usize, 0usize, 0usize);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| CliError::runtime(format!("reading {}: {e}", file.display())))?;
        if n > 0 {
            let text = String::from_utf8_lossy(&buf);
            let line = text.trim_end_matches(['\n', '\r']);
            if !line.trim().is_empty() {
                // Lines without a timestamp keep their order just after "now".
                let (labels, ts, body) =
                    classify(line, &session.app, container, session.now_ns + total as i64);
                streams.insert(labels.clone());
                batch.entry(labels).or_default().push((ts, body));
                in_batch += 1;
                total += 1;
            }
        }
        if in_batch > 0 && (in_batch >= batch_lines || n == 0) {
            send(client, &mut batch).await?;
            requests += 1;
            in_batch = 0;
            progress.update(total, requests, started.elapsed());
        }
        if n == 0 {
            break;
        }
    }
    progress.clear();
    let mut out = std::io::stdout().lock();
    match prefs.format {
        OutputFormat::Json | OutputFormat::Jsonl => writeln!(
            out,
            "{}",
            serde_json::json!({"lines": total, "streams": streams.len(), "requests": requests})
        )?,
        _ => writeln!(
            out,
            "pushed {} in {} ({}) to {}",
            plural(total, "line", "lines"),
            plural(streams.len(), "stream", "streams"),
            plural(requests, "request", "requests"),
            client.config().addr
        )?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alloy_labels() {
        let (l, ts, body) = classify(
            r#"{"event":"tool.call","level":"info","logger":"vulnsentinel.agent","timestamp":"2026-11-24T08:01:00Z"}"#,
            "vulnsentinel",
            Some("vs"),
            7,
        );
        assert_eq!(ts, 1_795_507_260_000_000_000);
        assert!(body.starts_with("{\"event\""));
        assert_eq!(l.get("module").map(String::as_str), Some("agent"));
        assert_eq!(l.get("level").map(String::as_str), Some("info"));
        assert_eq!(l.get("container").map(String::as_str), Some("vs"));
        assert_eq!(l.get("app").map(String::as_str), Some("vulnsentinel"));
    }

    #[test]
    fn non_json_lines_fall_back() {
        let (l, ts, _) = classify("[ERROR] worker died", "a", None, 42);
        assert_eq!(ts, 42);
        assert_eq!(l.get("module").map(String::as_str), Some("app"));
        assert_eq!(l.get("level").map(String::as_str), Some("error"));
    }
}
