//! `--file F -f`: the file's recent history, then every appended line that passes the query.
//! Runs on a blocking thread (file polling), reporting through the same `TailEvent`s.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc::Sender;

use super::file::{FileEvent, FileFollower};
use super::{FollowOptions, TailEvent, TailSettings, validate};
use crate::logql::LogQuery;
use crate::model::LogEntry;
use crate::source::line::classify_line;
use crate::source::{LocalInput, LocalSource};

/// Turns one raw line into an entry exactly as the local source does (labels derived like
/// Alloy, `detected_level` metadata, compose prefix removed); a line without a timestamp of its
/// own takes the previous line's (`last_ts`, "now" at first).
fn to_entry(line: String, app: &str, last_ts: &mut i64) -> LogEntry {
    let info = classify_line(&line, app);
    let ts = info.ts_ns.unwrap_or(*last_ts);
    *last_ts = ts;
    let body = info.body(&line).to_string();
    let mut e = LogEntry::new(ts, Arc::new(info.labels.clone()), body);
    e.metadata = info.metadata();
    e
}

/// The one file and the `app` label of a local source, for `--file F -f`.
pub(crate) fn followable(src: &LocalSource) -> Result<(PathBuf, String), String> {
    match src.inputs() {
        [LocalInput::File(path)] => Ok((path.clone(), src.app().to_string())),
        _ => Err(format!(
            "following {} is not possible: -f on local sources needs exactly one --file",
            src.describe()
        )),
    }
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
    let mut last_ts = super::session::now_ns();
    let mut recent: VecDeque<LogEntry> = VecDeque::new();
    // Read in chunks (`READ_CHUNK`): memory holds one chunk and `limit` entries, not the file.
    loop {
        let p = match follower.poll() {
            Ok(p) => p,
            Err(e) => return fail(e.to_string()),
        };
        for line in p.lines {
            if let Some(e) = select(&q, to_entry(line, &app, &mut last_ts))
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
        if !p.more {
            break;
        }
    }
    if !recent.is_empty() && !blocking_send(&tx, TailEvent::Entries(recent.into())) {
        return;
    }
    let mut more = false;
    loop {
        if !more {
            std::thread::sleep(s.file_poll);
        }
        if tx.is_closed() {
            return;
        }
        let p = match follower.poll() {
            Ok(p) => p,
            Err(e) => return fail(format!("stopped following {}: {e}", path.display())),
        };
        more = p.more;
        for ev in p.events {
            let what = match ev {
                FileEvent::Truncated => "was truncated; reading from its start",
                FileEvent::Rotated => "was rotated; following the new file",
            };
            if !blocking_send(&tx, TailEvent::Notice(format!("{} {what}", path.display()))) {
                return;
            }
        }
        let entries: Vec<LogEntry> = p
            .lines
            .into_iter()
            .filter_map(|l| select(&q, to_entry(l, &app, &mut last_ts)))
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
    fn lines_get_their_timestamp_labels_and_untimed_ones_keep_their_place() {
        let mut last = 7;
        let e = to_entry(
            r#"{"event":"x","level":"error","logger":"vulnsentinel.agent","timestamp":"2026-11-25T07:50:53.164764Z"}"#.into(),
            "vulnsentinel",
            &mut last,
        );
        assert_eq!(e.ts, 1_795_593_053_164_764_000);
        assert_eq!(e.label("module"), Some("agent"));
        assert_eq!(e.label("level"), Some("error"));
        assert!(e.metadata.contains_key("detected_level"));
        let plain = to_entry("Traceback (most recent call last):".into(), "vs", &mut last);
        assert_eq!(plain.ts, 1_795_593_053_164_764_000);
        assert_eq!(plain.label("app"), Some("vs"));
    }

    #[test]
    fn followable_needs_exactly_one_file_and_reads_its_path_and_app() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a \"quoted\" file.log");
        std::fs::write(&p, "x\n").unwrap();
        let src = LocalSource::open_with_app(vec![LocalInput::File(p.clone())], "myapp").unwrap();
        assert_eq!(followable(&src).unwrap(), (p.clone(), "myapp".to_string()));
        let two =
            LocalSource::open(vec![LocalInput::File(p.clone()), LocalInput::File(p)]).unwrap();
        assert!(followable(&two).unwrap_err().contains("exactly one --file"));
        let demo = LocalSource::open(vec![LocalInput::Demo]).unwrap();
        assert!(followable(&demo).is_err());
    }
}
