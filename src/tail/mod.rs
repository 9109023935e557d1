//! Live tail over Loki's websocket (reconnecting, gap-filling, never repeating) and following
//! local files.
//!
//! CONTRACT (used by `cli` and `tui`): `FollowOptions`, `TailEvent`, `spawn` and `follow` keep
//! these signatures.

use crate::backend::Backend;
use crate::cli::Context;
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
    /// The tail gave up; the message says why.
    Failed(String),
}

/// Starts following in a background task; events arrive on the returned channel, which
/// closes when the tail ends. Dropping the receiver stops the task.
pub fn spawn(backend: Backend, opts: FollowOptions) -> tokio::sync::mpsc::Receiver<TailEvent> {
    let (tx, rx) = tokio::sync::mpsc::channel(64);
    drop((backend, opts, tx));
    rx
}

/// `vs-logs tail` / `-f`: prints history then new entries in the context's output format until
/// interrupted or the tail fails.
pub async fn follow(ctx: &Context, opts: FollowOptions) -> anyhow::Result<()> {
    let _ = (ctx, opts);
    anyhow::bail!("tail is not built yet")
}
