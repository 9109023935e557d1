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
use crate::source::{Assembler, LocalInput, LocalSource};

/// Turns one record (lines joined as the local source joins them, see [`Assembler`]) into an
/// entry exactly as the local source does (labels derived like Alloy from its first line,
/// `detected_level` metadata, compose prefix removed); a record without a timestamp of its own
/// takes the previous one's (`last_ts`, "now" at first).
fn to_entry((line, first_len): (String, usize), app: &str, last_ts: &mut i64) -> LogEntry {
    let info = classify_line(line.get(..first_len).unwrap_or(&line), app);
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
        let _ = blocking_send(&tx, TailEvent::Failed(m, 1));
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
    // A record is shown once the line after it begins another, or a poll brings nothing
    // more (a traceback is written at once, so it is shown whole).
    let mut records = Assembler::default();
    loop {
        let p = match follower.poll() {
            Ok(p) => p,
            Err(e) => return fail(e.to_string()),
        };
        let mut done: Vec<(String, usize)> =
            p.lines.iter().filter_map(|l| records.push(l)).collect();
        if !p.more {
            done.extend(records.flush());
        }
        for r in done {
            if let Some(e) = select(&q, to_entry(r, &app, &mut last_ts))
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
        let quiet = p.lines.is_empty();
        let mut done: Vec<(String, usize)> =
            p.lines.iter().filter_map(|l| records.push(l)).collect();
        if quiet {
            done.extend(records.flush());
        }
        let entries: Vec<LogEntry> = done
            .into_iter()
            .filter_map(|r| select(&q, to_entry(r, &app, &mut last_ts)))
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
        let line = r#"{"event":"x","level":"error","logger":"vulnsentinel.agent","timestamp":"2026-11-25T07:50:53.164764Z"}"#;
        let e = to_entry((line.into(), line.len()), "vulnsentinel", &mut last);
        assert_eq!(e.ts, 1_795_593_053_164_764_000);
        assert_eq!(e.label("module"), Some("agent"));
        assert_eq!(e.label("level"), Some("error"));
        assert!(e.metadata.contains_key("detected_level"));
        let plain = to_entry(("plain text".into(), 10), "vs", &mut last);
        assert_eq!(plain.ts, 1_795_593_053_164_764_000);
        assert_eq!(plain.label("app"), Some("vs"));
    }

    #[test]
    fn followed_lines_are_joined_into_records() {
        // Issue 11.3: a traceback written after an error line is one entry, labelled by its
        // first line; the last record comes out when nothing more arrives.
        let mut a = Assembler::default();
        let lines = [
            "2026-11-25T07:50:53Z [info] job.start",
            "2026-11-25T07:50:54Z [error] job.failed",
            "Traceback (most recent call last):",
            "  File \"x.py\", line 1",
            "",
            "ValueError: bad",
            "INFO: next",
        ];
        let done: Vec<(String, usize)> = lines.iter().filter_map(|l| a.push(l)).collect();
        assert_eq!(done.len(), 2);
        assert_eq!(done[0].0, "2026-11-25T07:50:53Z [info] job.start");
        let mut last = 0;
        let e = to_entry(done[1].clone(), "vs", &mut last);
        assert_eq!(
            e.line,
            "2026-11-25T07:50:54Z [error] job.failed\nTraceback (most recent call last):\n  File \"x.py\", line 1\nValueError: bad"
        );
        assert_eq!(e.label("level"), Some("error"));
        assert_eq!(a.flush(), Some(("INFO: next".to_string(), 10)));
        assert_eq!(a.flush(), None);
        // A JSON line is never joined; its level is its own, not the traceback's.
        assert_eq!(a.push(r#"{"event":"a","level":"info"}"#), None);
        assert_eq!(a.push("Traceback (most recent call last):"), None);
        let (text, first_len) = a.flush().unwrap();
        let e = to_entry((text, first_len), "vs", &mut last);
        assert_eq!(e.label("level"), Some("info"));
        assert!(e.line.ends_with("\nTraceback (most recent call last):"));
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
