//! `--file F -f`: the file's recent history, then every appended line that passes the query.
//! Runs on a blocking thread (file polling), reporting through the same `TailEvent`s.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc::Sender;

use super::file::{FileEvent, FileFollower};
use super::{FollowOptions, TailEvent, TailSettings, validate};
use crate::logql::LogQuery;
use crate::model::{Labels, LogEntry, Structlog};

/// Turns one raw line into an entry: timestamp from the line (else `fallback_ns`), labels as
/// Alloy would derive them. Minimal until the local-source line classifier is merged in.
fn to_entry(line: String, app: &str, fallback_ns: i64) -> LogEntry {
    let mut labels = Labels::new();
    labels.insert("app".into(), app.to_string());
    labels.insert("service_name".into(), app.to_string());
    let mut ts = fallback_ns;
    if let Some(s) = Structlog::parse(&line) {
        if let Some(t) = s
            .timestamp
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .and_then(|t| t.timestamp_nanos_opt())
        {
            ts = t;
        }
        if let Some(m) = s.module {
            labels.insert("module".into(), m);
        }
        if let Some(l) = s.level {
            labels.insert("level".into(), l);
        }
    }
    LogEntry::new(ts, Arc::new(labels), line)
}

/// Applies the query; `None` = not shown.
fn select(q: &LogQuery, e: LogEntry) -> Option<LogEntry> {
    if !q.matches_stream(&e.labels) || !q.line_prefilter(&e.line) {
        return None;
    }
    q.process(&e)
}

fn blocking_send(tx: &Sender<TailEvent>, ev: TailEvent) -> bool {
    tx.blocking_send(ev).is_ok()
}

/// Follows `path` until the receiver is dropped or the file cannot be read.
pub(crate) fn run_file(
    path: PathBuf,
    app: String,
    opts: FollowOptions,
    s: TailSettings,
    tx: Sender<TailEvent>,
) {
    let fail = |m: String| {
        let _ = blocking_send(&tx, TailEvent::Failed(m));
    };
    if let Err(m) = validate(&opts) {
        return fail(m);
    }
    let q = match LogQuery::compile(&opts.query) {
        Ok(q) => q,
        Err(e) => return fail(format!("cannot follow with this query: {e}")),
    };
    // History: the newest `limit` matching lines from `start` on, then the live part.
    // One follower for both, so no line falls between history and live or shows in both.
    let mut follower = match FileFollower::from_start(&path) {
        Ok(f) => f,
        Err(e) => return fail(e.to_string()),
    };
    let now = super::session::now_ns();
    let mut recent: VecDeque<LogEntry> = VecDeque::new();
    match follower.poll() {
        Ok(p) => {
            for line in p.lines {
                if let Some(e) = select(&q, to_entry(line, &app, now))
                    && e.ts >= opts.start_ns
                {
                    if recent.len() == opts.limit {
                        recent.pop_front();
                    }
                    if opts.limit > 0 {
                        recent.push_back(e);
                    }
                }
            }
        }
        Err(e) => return fail(e.to_string()),
    }
    if !recent.is_empty() && !blocking_send(&tx, TailEvent::Entries(recent.into())) {
        return;
    }
    loop {
        std::thread::sleep(s.file_poll);
        if tx.is_closed() {
            return;
        }
        let p = match follower.poll() {
            Ok(p) => p,
            Err(e) => return fail(format!("stopped following {}: {e}", path.display())),
        };
        for ev in p.events {
            let what = match ev {
                FileEvent::Truncated => "was truncated; reading from its start",
                FileEvent::Rotated => "was rotated; following the new file",
            };
            if !blocking_send(&tx, TailEvent::Notice(format!("{} {what}", path.display()))) {
                return;
            }
        }
        let now = super::session::now_ns();
        let entries: Vec<LogEntry> = p
            .lines
            .into_iter()
            .filter_map(|l| select(&q, to_entry(l, &app, now)))
            .collect();
        if !entries.is_empty() && !blocking_send(&tx, TailEvent::Entries(entries)) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structlog_lines_get_their_timestamp_and_labels() {
        let e = to_entry(
            r#"{"event":"x","level":"error","logger":"vulnsentinel.agent","timestamp":"2026-11-25T07:50:53.164764Z"}"#.into(),
            "vulnsentinel",
            7,
        );
        assert_eq!(e.ts, 1_795_593_053_164_764_000);
        assert_eq!(e.label("module"), Some("agent"));
        assert_eq!(e.label("level"), Some("error"));
        let plain = to_entry("Traceback (most recent call last):".into(), "vs", 7);
        assert_eq!(plain.ts, 7);
        assert_eq!(plain.label("app"), Some("vs"));
    }
}
