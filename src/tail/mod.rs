//! The tail engine: live tail over Loki's websocket (reconnecting, gap-filling, never
//! repeating) and following local files, reported as `TailEvent`s on a channel. Printing the
//! events is the front ends' job (`cli::commands::tail`, the TUI's follow mode).

mod backoff;
mod connect;
pub mod dedupe;
pub mod file;
pub mod frame;
mod local;
mod session;

use std::path::PathBuf;
use std::time::Duration;

use crate::backend::Backend;
use crate::model::LogEntry;

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
    /// The tail gave up; the message says why, and the exit code the CLI ends with (those of
    /// `LokiError::exit_code`: 2 usage, 3 unreachable/TLS, 4 auth, 5 query refused, 6 Loki
    /// failed or not Loki).
    Failed(String, u8),
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
pub fn validate(opts: &FollowOptions) -> Result<(), String> {
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
                    let _ = tx.send(TailEvent::Failed(m, 2)).await;
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

    #[test]
    fn delay_for_over_five_is_refused_before_connecting() {
        assert!(validate(&opts(5)).is_ok());
        let e = validate(&opts(6)).unwrap_err();
        assert!(e.contains("0 to 5"), "{e}");
    }
}
