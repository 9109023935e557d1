//! Live tail over Loki's websocket (reconnecting, gap-filling, never repeating) and following
//! local files.
//!
//! Used by the CLI (`vs-logs tail`) and the TUI (follow mode), which both consume `TailEvent`s.

mod backoff;
mod connect;
pub mod dedupe;
pub mod file;
pub mod frame;
mod local;
mod proxy;
mod request;
mod session;
mod tls;

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use crate::backend::Backend;
use crate::cli::Context;
use crate::model::LogEntry;
use crate::output::EntryWriter;

/// What to follow.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowOptions {
    /// A log query (metric queries are refused).
    pub query: String,
    /// History: entries from here on are shown first, ns.
    pub start_ns: i64,
    /// At most this many history entries (Loki's tail `limit`).
    pub limit: usize,
    /// Loki's `delay_for`, seconds (0..=5).
    pub delay_for_s: u32,
}

/// What a running tail reports, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum TailEvent {
    /// New entries, oldest first, never one already sent.
    Entries(Vec<LogEntry>),
    /// Reconnected after a disconnect; `backfilled` entries were fetched to fill the gap.
    Reconnected { backfilled: usize },
    /// Loki dropped entries (`dropped_entries`): how many, and their time span, ns.
    Dropped {
        count: usize,
        from_ns: i64,
        to_ns: i64,
    },
    /// A notice for the user (disconnect, retrying).
    Notice(String),
    /// The tail gave up; the message says why.
    Failed(String),
}

/// Tuning of the reconnect machinery; the defaults suit a real Loki, tests shorten them.
#[derive(Debug, Clone, PartialEq)]
pub struct TailSettings {
    /// A socket with no frame and no ping for this long is dead (Loki pings every second).
    pub silence_timeout: Duration,
    /// Consecutive failed attempts before giving up.
    pub max_failures: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Keys of delivered entries are kept this far behind the newest (late arrivals).
    pub dedupe_window: Duration,
    /// After a reconnect, replayed history is expected within this time.
    pub settle: Duration,
    /// Ask Loki to keep stream labels, structured metadata and parsed labels apart.
    pub categorize_labels: bool,
    /// How often a followed file is checked.
    pub file_poll: Duration,
}

impl Default for TailSettings {
    fn default() -> Self {
        Self {
            silence_timeout: Duration::from_secs(10),
            max_failures: 8,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            dedupe_window: Duration::from_secs(2),
            settle: Duration::from_secs(15),
            categorize_labels: true,
            file_poll: Duration::from_millis(250),
        }
    }
}

/// Checks what can be checked before connecting: `delay_for` range, metric queries.
fn validate(opts: &FollowOptions) -> Result<(), String> {
    if opts.delay_for_s > 5 {
        return Err(format!(
            "--delay-for {} is too long: Loki allows 0 to 5 seconds",
            opts.delay_for_s
        ));
    }
    if let Ok(crate::logql::QueryKind::Metric) = crate::logql::kind_of(&opts.query) {
        return Err(
            "only log queries can be tailed; run metric queries with `vs-logs query`".into(),
        );
    }
    Ok(())
}

/// Starts following in a background task; events arrive on the returned channel, which
/// closes when the tail ends. Dropping the receiver stops the task.
pub fn spawn(backend: Backend, opts: FollowOptions) -> tokio::sync::mpsc::Receiver<TailEvent> {
    spawn_with(backend, opts, TailSettings::default())
}

/// `spawn` with explicit tuning.
pub fn spawn_with(
    backend: Backend,
    opts: FollowOptions,
    settings: TailSettings,
) -> tokio::sync::mpsc::Receiver<TailEvent> {
    let (tx, rx) = tokio::sync::mpsc::channel(64);
    match backend {
        Backend::Loki(client) => {
            tokio::spawn(session::run_loki(client, opts, settings, tx));
        }
        Backend::Local(src) => match local::followable(&src) {
            Ok((path, app)) => {
                tokio::task::spawn_blocking(move || local::run_file(path, app, opts, settings, tx));
            }
            Err(m) => {
                tokio::spawn(async move {
                    let _ = tx.send(TailEvent::Failed(m)).await;
                });
            }
        },
    }
    rx
}

/// Follows a local file (`--file F -f`) like `tail -F`, applying the query to each new line;
/// `app` is the value of the `app` label lines get.
pub fn spawn_file(
    path: PathBuf,
    app: String,
    opts: FollowOptions,
    settings: TailSettings,
) -> tokio::sync::mpsc::Receiver<TailEvent> {
    let (tx, rx) = tokio::sync::mpsc::channel(64);
    tokio::task::spawn_blocking(move || local::run_file(path, app, opts, settings, tx));
    rx
}

/// Prints events until the channel closes, Ctrl-C, or a failure (returned as the error).
/// Entries go to `out` in the context's format; notices go to `err`.
pub async fn print_events<W: Write, E: Write>(
    ctx: &Context,
    mut rx: tokio::sync::mpsc::Receiver<TailEvent>,
    out: W,
    mut err: E,
) -> anyhow::Result<()> {
    let mut w = EntryWriter::new(out, ctx.output, ctx.color).with_terminal(
        std::io::IsTerminal::is_terminal(&std::io::stdout()),
        ctx.raw_bytes,
    );
    let mut failure = None;
    loop {
        let ev = tokio::select! {
            ev = rx.recv() => ev,
            _ = tokio::signal::ctrl_c() => None,
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
            TailEvent::Reconnected { backfilled } => {
                (!ctx.quiet).then(|| format!("reconnected; {backfilled} lines backfilled"))
            }
            TailEvent::Dropped {
                count,
                from_ns,
                to_ns,
            } => Some(format!(
                "Loki dropped {count} entries between {} and {} (the tail could not keep up)",
                session::rfc3339(from_ns),
                session::rfc3339(to_ns)
            )),
            TailEvent::Notice(m) => (!ctx.quiet).then_some(m),
            TailEvent::Failed(m) => {
                failure = Some(m);
                break;
            }
        };
        if let Some(n) = note {
            writeln!(err, "vs-logs: {}", crate::sanitize::inline(&n))?;
        }
    }
    match w.finish() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    match failure {
        Some(m) => anyhow::bail!("{}", crate::sanitize::inline(&m)),
        None => Ok(()),
    }
}

/// `vs-logs tail` / `-f`: prints history then new entries in the context's output format until
/// interrupted or the tail fails.
pub async fn follow(ctx: &Context, opts: FollowOptions) -> anyhow::Result<()> {
    validate(&opts).map_err(|m| anyhow::anyhow!(m))?;
    let rx = spawn(ctx.backend.clone(), opts);
    print_events(ctx, rx, std::io::stdout(), std::io::stderr()).await
}

/// `vs-logs query --file F -f`: like `follow`, on a growing local file.
pub async fn follow_file(ctx: &Context, path: PathBuf, opts: FollowOptions) -> anyhow::Result<()> {
    validate(&opts).map_err(|m| anyhow::anyhow!(m))?;
    let rx = spawn_file(path, ctx.app.clone(), opts, TailSettings::default());
    print_events(ctx, rx, std::io::stdout(), std::io::stderr()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(delay: u32) -> FollowOptions {
        FollowOptions {
            query: r#"{app="x"}"#.into(),
            start_ns: 0,
            limit: 10,
            delay_for_s: delay,
        }
    }

    fn ctx(quiet: bool) -> Context {
        Context {
            backend: Backend::Loki(
                crate::loki::LokiClient::new(crate::loki::LokiConfig::default()).unwrap(),
            ),
            app: "vulnsentinel".into(),
            output: crate::output::OutputFormat::Raw,
            color: false,
            quiet,
            raw_bytes: false,
            config: crate::config::ConfigFile::default(),
            config_dir: None,
            scenes: Vec::new(),
            now_ns: 0,
        }
    }

    async fn printed(quiet: bool, events: Vec<TailEvent>) -> (String, String, Option<String>) {
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        for e in events {
            tx.send(e).await.unwrap();
        }
        drop(tx);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let r = print_events(&ctx(quiet), rx, &mut out, &mut err).await;
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
            r.err().map(|e| e.to_string()),
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
                TailEvent::Failed("gave up".into()),
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
        assert_eq!(fail.as_deref(), Some("gave up"));
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
        assert!(err.contains("dropped 1 entries"), "{err}");
        assert_eq!(fail, None);
    }

    #[test]
    fn delay_for_over_five_is_refused_before_connecting() {
        assert!(validate(&opts(5)).is_ok());
        let e = validate(&opts(6)).unwrap_err();
        assert!(e.contains("0 to 5"), "{e}");
    }
}
