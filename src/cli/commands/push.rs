//! `vs-logs push FILE`: structlog JSON lines → Loki, labelled as Grafana Alloy labels them
//! (`app`, `module` from the logger, `level`, `container`), in batches, with progress.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;
use std::time::Instant;

use crate::backend::Backend;
use crate::cli::Context;
use crate::cli::error::CliError;
use crate::model::{Labels, Structlog, module_of_logger};
use crate::output::{OutputFormat, ProgressLine};

/// The stream labels and timestamp Alloy gives one line. Lines that are not structlog JSON get
/// module `app` and a level guessed from their text, as Loki's `detected_level` does.
pub fn classify(line: &str, app: &str, container: &str, fallback_ns: i64) -> (Labels, i64) {
    let mut labels = Labels::new();
    labels.insert("app".into(), app.into());
    labels.insert("container".into(), container.into());
    let (module, level, ts) = match Structlog::parse(line) {
        Some(s) => {
            let ts = s
                .timestamp
                .as_deref()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .and_then(|t| t.timestamp_nanos_opt());
            (
                s.logger
                    .as_deref()
                    .map_or_else(|| "app".into(), module_of_logger),
                s.level.map(|l| l.to_lowercase()),
                ts,
            )
        }
        None => ("app".to_string(), detect_level(line), None),
    };
    labels.insert("module".into(), module);
    if let Some(l) = level {
        labels.insert("level".into(), l);
    }
    (labels, ts.unwrap_or(fallback_ns))
}

fn detect_level(line: &str) -> Option<String> {
    let upper = line.to_uppercase();
    for (needle, level) in [
        ("ERROR", "error"),
        ("CRITICAL", "error"),
        ("TRACEBACK", "error"),
        ("PANIC", "error"),
        ("WARN", "warning"),
        ("DEBUG", "debug"),
        ("INFO", "info"),
    ] {
        if upper.contains(needle) {
            return Some(level.into());
        }
    }
    None
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
    ctx: &Context,
    file: &Path,
    container: &str,
    batch_lines: usize,
) -> anyhow::Result<()> {
    let Backend::Loki(client) = &ctx.backend else {
        return Err(CliError::usage(
            "push sends lines to a Loki: drop --file/--stdin/--demo and give the file to push",
        )
        .into());
    };
    let batch_lines = batch_lines.max(1);
    let mut reader = open(file)?;
    let progress = ProgressLine::new(ctx.quiet);
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
                let (labels, ts) = classify(line, &ctx.app, container, ctx.now_ns + total as i64);
                streams.insert(labels.clone());
                batch
                    .entry(labels)
                    .or_default()
                    .push((ts, line.to_string()));
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
    match ctx.output {
        OutputFormat::Json | OutputFormat::Jsonl => writeln!(
            out,
            "{}",
            serde_json::json!({"lines": total, "streams": streams.len(), "requests": requests})
        )?,
        _ => writeln!(
            out,
            "pushed {total} lines in {} streams ({requests} requests) to {}",
            streams.len(),
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
        let (l, ts) = classify(
            r#"{"event":"tool.call","level":"info","logger":"vulnsentinel.agent","timestamp":"2026-11-24T08:01:00Z"}"#,
            "vulnsentinel",
            "vs",
            7,
        );
        assert_eq!(ts, 1_795_507_260_000_000_000);
        assert_eq!(l.get("module").map(String::as_str), Some("agent"));
        assert_eq!(l.get("level").map(String::as_str), Some("info"));
        assert_eq!(l.get("container").map(String::as_str), Some("vs"));
        assert_eq!(l.get("app").map(String::as_str), Some("vulnsentinel"));
    }

    #[test]
    fn non_json_lines_fall_back() {
        let (l, ts) = classify("Traceback (most recent call last):", "a", "c", 42);
        assert_eq!(ts, 42);
        assert_eq!(l.get("module").map(String::as_str), Some("app"));
        assert_eq!(l.get("level").map(String::as_str), Some("error"));
        let (l, _) = classify(r#"{"event":"x","logger":"uvicorn"}"#, "a", "c", 0);
        assert_eq!(l.get("module").map(String::as_str), Some("app"));
        assert_eq!(l.get("level"), None);
    }
}
