//! Follow mode: new lines from a live tail, sticking to the newest unless the user scrolled
//! away, with pause/resume/clear and a bounded buffer.

use crate::model::LogEntry;
use crate::tail::{FollowOptions, TailEvent};

use super::super::app::{App, Follow, Results};
use super::super::msg::Command;
use super::logs;

pub fn toggle(app: &mut App) -> Vec<Command> {
    if app.follow.take().is_some() {
        app.status.note = Some("follow stopped".into());
        return vec![Command::StopTail];
    }
    if app.logs.results.metric.is_some() || !app.editor.query.trim_start().starts_with('{') {
        app.status.error =
            Some("follow needs a log query ({…} and its pipeline), not a metric query".into());
        return Vec::new();
    }
    let mut cmds = Vec::new();
    if app.status.running.take().is_some() {
        cmds.push(Command::CancelQuery);
    }
    app.status.generation += 1;
    app.follow = Some(Follow {
        generation: app.status.generation,
        capacity: app.logs.buffer_lines.max(1),
        ..Follow::default()
    });
    app.logs.results = Results {
        loaded: true,
        older_done: true,
        newer_done: true,
        ..Results::default()
    };
    app.logs.reset_position();
    let (start_ns, _) = app.editor.range.resolve(app.now_ns);
    cmds.push(Command::StartTail {
        generation: app.status.generation,
        opts: FollowOptions {
            query: app.editor.query.clone(),
            start_ns,
            limit: app.logs.page_size,
            delay_for_s: 0,
        },
    });
    cmds
}

pub fn pause(app: &mut App) -> Vec<Command> {
    let Some(f) = &mut app.follow else {
        app.status.note = Some("not following (F starts)".into());
        return Vec::new();
    };
    f.paused = !f.paused;
    if !f.paused {
        let pending = std::mem::take(&mut f.pending);
        f.waiting = 0;
        add_lines(app, pending);
    }
    Vec::new()
}

pub fn clear(app: &mut App) -> Vec<Command> {
    let Some(f) = &mut app.follow else {
        return Vec::new();
    };
    f.pending.clear();
    f.waiting = 0;
    app.logs.results.store = Default::default();
    app.logs.reset_position();
    app.status.note = Some("cleared".into());
    Vec::new()
}

pub fn batch(app: &mut App, generation: u64, events: Vec<TailEvent>) -> Vec<Command> {
    if app
        .follow
        .as_ref()
        .is_none_or(|f| f.generation != generation)
    {
        return Vec::new();
    }
    let mut lines = Vec::new();
    for ev in events {
        let Some(f) = &mut app.follow else {
            break;
        };
        match ev {
            TailEvent::Entries(v) => lines.extend(v),
            TailEvent::Reconnected { backfilled } => {
                f.notice = Some(format!(
                    "reconnected; {} backfilled",
                    super::plural(backfilled, "line", "lines")
                ));
            }
            TailEvent::Dropped { count, .. } => {
                f.notice = Some(format!(
                    "Loki dropped {} (too many to stream)",
                    super::plural(count, "line", "lines")
                ));
            }
            TailEvent::Notice(s) => f.notice = Some(s),
            TailEvent::Failed(s, _) => {
                app.status.error = Some(format!("follow stopped: {s}"));
                f.failed = Some(s);
            }
        }
    }
    let Some(f) = &mut app.follow else {
        return Vec::new();
    };
    if let Some(why) = f.failed.clone() {
        // the tail is over: leave follow mode and bring the query's results back
        app.follow = None;
        let q = app.editor.query.clone();
        let mut cmds = super::run_query(app, q);
        cmds.insert(0, Command::StopTail);
        app.status.error = Some(format!("follow stopped: {why}"));
        return cmds;
    }
    if f.paused {
        f.pending.extend(lines);
        let over = f.pending.len().saturating_sub(f.capacity);
        if over > 0 {
            f.pending.drain(..over);
            f.dropped += over as u64;
        }
        f.waiting = f.pending.len();
    } else {
        add_lines(app, lines);
    }
    Vec::new()
}

/// Appends new lines (oldest first), keeps the view on the newest or counts what waits, and
/// drops the oldest beyond the buffer size.
fn add_lines(app: &mut App, lines: Vec<LogEntry>) {
    let n = lines.len();
    if n == 0 {
        return;
    }
    let stick = app.logs.is_empty() || app.logs.selected == app.logs.newest_display();
    app.logs.results.store.append_entries(lines);
    if stick {
        app.logs.selected = app.logs.newest_display();
        let page = super::super::layout::page_rows(app);
        app.logs.scroll = if app.logs.newest_first {
            0
        } else {
            app.logs.len().saturating_sub(page)
        };
    } else {
        if app.logs.newest_first {
            app.logs.selected += n;
            app.logs.scroll += n;
        }
        if let Some(f) = &mut app.follow {
            f.waiting += n;
        }
    }
    let cap = app.follow.as_ref().map_or(usize::MAX, |f| f.capacity);
    let over = app.logs.len().saturating_sub(cap);
    if over > 0 {
        app.logs.results.store.drop_oldest(over);
        if let Some(f) = &mut app.follow {
            f.dropped += over as u64;
        }
        logs::shifted_front(app, -(over as isize));
    }
    logs::clamp(app);
}
