//! `vs-logs tail` and `-f`: the tail engine's events printed, entries to stdout in the output
//! format, notices to stderr.

use std::io::Write;
use std::path::Path;

use crate::cli::OutputPrefs;
use crate::cli::error::CliError;
use crate::output::EntryWriter;
use crate::session::{RangeDefault, Session};
use crate::tail::{FollowOptions, TailEvent, TailSettings};
use crate::timespec::{RangeQuery, format_rfc3339};

/// History lines shown before following when `--limit` is not given.
pub const DEFAULT_TAIL_LIMIT: usize = 100;

/// What to follow, as the command line said it.
#[derive(Debug, Clone)]
pub struct TailRequest<'a> {
    pub query: String,
    pub range: &'a RangeQuery,
    /// History lines (`--limit`).
    pub limit: Option<usize>,
    /// Where history starts when no range flag is given.
    pub default_since: &'a str,
    /// Loki's `delay_for`, seconds.
    pub delay_for: u32,
    /// The one `--file` given, which a local follow reads as it grows.
    pub file: Option<&'a Path>,
}

/// `tail` and `-f`: history from the range's start, then new lines until interrupted.
pub async fn follow(
    session: &Session,
    prefs: &OutputPrefs,
    req: &TailRequest<'_>,
) -> anyhow::Result<()> {
    if req.delay_for > 5 {
        return Err(CliError::usage(format!(
            "--delay-for {}: Loki allows 0 to 5 seconds",
            req.delay_for
        ))
        .into());
    }
    let range = session
        .range(req.range, RangeDefault::LastOrWholeInput(req.default_since))
        .map_err(CliError::from)?;
    let opts = FollowOptions {
        query: req.query.clone(),
        start_ns: range.start_ns,
        limit: req.limit.unwrap_or(DEFAULT_TAIL_LIMIT),
        delay_for_s: req.delay_for,
    };
    let local_file = match (session.backend.is_local(), req.file) {
        (false, _) => None,
        (true, Some(path)) if crate::source::is_named_pipe(path) => {
            return Err(CliError::usage(format!(
                "{} is a named pipe: it was read to its end and cannot be followed; use `query \
                 --file` to read it once, or follow a regular file",
                crate::sanitize::inline(&path.display().to_string())
            ))
            .into());
        }
        (true, Some(path)) => Some(path.to_path_buf()),
        (true, None) => {
            return Err(CliError::usage(
                "following a local source needs exactly one --file (stdin and the demo do not grow)",
            )
            .into());
        }
    };
    crate::tail::validate(&opts).map_err(|m| anyhow::anyhow!(m))?;
    let _signals = ExitOnSignal::install()?;
    let rx = match local_file {
        Some(path) => {
            crate::tail::spawn_file(path, session.app.clone(), opts, TailSettings::default())
        }
        None => crate::tail::spawn(session.backend.clone(), opts),
    };
    print_events(
        prefs,
        req.range.utc,
        rx,
        std::io::stdout(),
        std::io::stderr(),
    )
    .await
}

/// SIGINT/SIGTERM end a follow at once in every state, even while a write to a slow stdout
/// blocks: the listeners are installed once, on their own task, which exits the process
/// (130 for SIGINT, 143 for SIGTERM, as a shell reports them). Dropped, it stops listening.
struct ExitOnSignal(tokio::task::JoinHandle<()>);

impl ExitOnSignal {
    fn install() -> std::io::Result<Self> {
        #[cfg(unix)]
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        #[cfg(unix)]
        let mut int = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
        Ok(Self(tokio::spawn(async move {
            #[cfg(unix)]
            let code = tokio::select! {
                _ = int.recv() => 130,
                _ = term.recv() => 143,
            };
            #[cfg(not(unix))]
            let code = match tokio::signal::ctrl_c().await {
                Ok(()) => 130,
                Err(_) => return,
            };
            std::process::exit(code)
        })))
    }
}

impl Drop for ExitOnSignal {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Prints events until the channel closes, a signal (see [`ExitOnSignal`]), or a failure (returned as the error).
/// Entries go to `out` in the chosen format; notices go to `err`.
pub async fn print_events<W: Write, E: Write>(
    prefs: &OutputPrefs,
    utc: bool,
    mut rx: tokio::sync::mpsc::Receiver<TailEvent>,
    out: W,
    mut err: E,
) -> anyhow::Result<()> {
    // Later lines can come from any stream: no header, each line shows its labels (11.7).
    let mut w = EntryWriter::new(out, prefs.format, prefs.color)
        .with_utc(utc)
        .with_header(crate::output::TextHeader::Off)
        .with_terminal(
            std::io::IsTerminal::is_terminal(&std::io::stdout()),
            prefs.raw_bytes,
        );
    let mut failure = None;
    loop {
        let ev = tokio::select! {
            ev = rx.recv() => ev,
        };
        let Some(ev) = ev else { break };
        let note = match ev {
            TailEvent::Entries(v) => {
                match w.write_entries(&v) {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
                    r => r?,
                }
                None
            }
            TailEvent::Reconnected { backfilled } => (!prefs.quiet).then(|| {
                format!(
                    "reconnected; {} backfilled",
                    crate::output::plural(backfilled, "line", "lines")
                )
            }),
            TailEvent::Dropped {
                count,
                from_ns,
                to_ns,
            } => Some(format!(
                "Loki dropped {} between {} and {} (the tail could not keep up)",
                crate::output::plural(count, "entry", "entries"),
                format_rfc3339(from_ns, true),
                format_rfc3339(to_ns, true)
            )),
            TailEvent::Notice(m) => (!prefs.quiet).then_some(m),
            TailEvent::Failed(m, code) => {
                failure = Some((m, code));
                break;
            }
        };
        if let Some(n) = note {
            writeln!(
                err,
                "vs-logs: {}",
                crate::sanitize::inline(&crate::secret::redact(&n))
            )?;
        }
    }
    match w.finish() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    match failure {
        // The failure's own exit code (4 auth, 5 refused query, 6 not Loki, 3 unreachable).
        Some((m, code)) => Err(CliError {
            code,
            message: crate::sanitize::inline(&m).into_owned(),
            hint: None,
        }
        .into()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogEntry;

    fn prefs(quiet: bool) -> OutputPrefs {
        OutputPrefs {
            format: crate::output::OutputFormat::Raw,
            color: false,
            raw_bytes: false,
            quiet,
            terminal: false,
        }
    }

    async fn printed(
        quiet: bool,
        events: Vec<TailEvent>,
    ) -> (String, String, Option<anyhow::Error>) {
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        for e in events {
            tx.send(e).await.unwrap();
        }
        drop(tx);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let r = print_events(&prefs(quiet), false, rx, &mut out, &mut err).await;
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
            r.err(),
        )
    }

    fn entry(line: &str) -> LogEntry {
        LogEntry::new(1, std::sync::Arc::new(crate::model::Labels::new()), line)
    }

    #[tokio::test]
    async fn entries_go_to_stdout_notices_to_stderr_failure_is_the_error() {
        let (out, err, fail) = printed(
            false,
            vec![
                TailEvent::Entries(vec![entry("a"), entry("b")]),
                TailEvent::Notice("connection lost\u{1b}]0;pwned\u{7}".into()),
                TailEvent::Reconnected { backfilled: 3 },
                TailEvent::Dropped {
                    count: 2,
                    from_ns: 1_795_594_000_000_000_000,
                    to_ns: 1_795_594_001_000_000_000,
                },
                TailEvent::Entries(vec![entry("c")]),
                TailEvent::Failed("gave up".into(), 3),
                TailEvent::Entries(vec![entry("never")]),
            ],
        )
        .await;
        assert_eq!(out, "a\nb\nc\n");
        assert!(err.contains("reconnected; 3 lines backfilled"), "{err}");
        assert!(
            err.contains("dropped 2 entries between 2026-11-25T08:06:40"),
            "{err}"
        );
        assert!(!err.contains('\u{1b}'), "notices are sanitised: {err:?}");
        assert_eq!(
            fail.as_ref().map(|e| e.to_string()).as_deref(),
            Some("gave up")
        );
        let code = fail.and_then(|e| e.downcast_ref::<CliError>().map(|c| c.code));
        assert_eq!(code, Some(3), "the failure's exit code is kept");
    }

    #[tokio::test]
    async fn tail_text_has_no_header_each_line_shows_its_stream() {
        let labelled = |c: &str, line: &str| {
            let mut l = crate::model::Labels::new();
            l.insert("app".into(), "vulnsentinel".into());
            l.insert("container".into(), c.into());
            LogEntry::new(1, std::sync::Arc::new(l), line)
        };
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        tx.send(TailEvent::Entries(vec![labelled("api", "first")]))
            .await
            .unwrap();
        tx.send(TailEvent::Entries(vec![labelled("worker", "second")]))
            .await
            .unwrap();
        drop(tx);
        let p = OutputPrefs {
            format: crate::output::OutputFormat::Text,
            color: false,
            quiet: false,
            raw_bytes: false,
            terminal: false,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        print_events(&p, true, rx, &mut out, &mut err)
            .await
            .unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        // No `# container=api` header that the worker line would then sit under.
        assert_eq!(lines.len(), 2, "{out}");
        assert!(!out.contains("# "), "{out}");
        assert!(lines[0].contains("container=api"), "{out}");
        assert!(lines[1].contains("container=worker"), "{out}");
    }

    #[tokio::test]
    async fn quiet_keeps_dropped_counts_but_not_notices() {
        let (_, err, fail) = printed(
            true,
            vec![
                TailEvent::Notice("reconnecting".into()),
                TailEvent::Reconnected { backfilled: 0 },
                TailEvent::Dropped {
                    count: 1,
                    from_ns: 0,
                    to_ns: 0,
                },
            ],
        )
        .await;
        assert!(!err.contains("reconnect"), "{err}");
        // one entry, in the singular (issue 11.25)
        assert!(err.contains("dropped 1 entry between"), "{err}");
        assert!(fail.is_none(), "{fail:?}");
    }
}
