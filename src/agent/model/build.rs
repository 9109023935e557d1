//! From log entries to runs: dedupe, order, group by agent id, split retries at `agent.start`,
//! then replay each run's lines through a `RunBuilder`.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use super::event::{Ev, Kind};
use super::pricing::PriceTable;
use super::run_builder::RunBuilder;
use super::types::*;
use crate::model::LogEntry;

/// From this many entries on, lines are read in parallel (below, the threads cost more than
/// they save).
const PARALLEL_FROM: usize = 2048;

/// What the pure builder cannot know by itself.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// "Now", ns: an unfinished run silent for longer than `stale_after_ns` is `incomplete`,
    /// else `running`. `None`: the newest line of the input stands for now.
    pub now_ns: Option<i64>,
    pub stale_after_ns: i64,
    pub prices: PriceTable,
}

impl Default for BuildOptions {
    fn default() -> Self {
        Self {
            now_ns: None,
            stale_after_ns: 15 * 60 * 1_000_000_000,
            prices: PriceTable::bundled(),
        }
    }
}

/// Rebuilds every agent run found in `entries`, ordered by first line, with default options.
pub fn build_runs(entries: &[LogEntry]) -> Vec<AgentRun> {
    build_runs_with(entries, &BuildOptions::default())
}

/// Rebuilds every agent run found in `entries` (any order, duplicates and noise allowed).
pub fn build_runs_with(entries: &[LogEntry], opts: &BuildOptions) -> Vec<AgentRun> {
    // Reading the lines is most of the work and each line is independent: a large input is
    // read on every core (rayon keeps the input order).
    let mut evs: Vec<Ev<'_>> = if entries.len() >= PARALLEL_FROM {
        entries
            .par_iter()
            .with_min_len(PARALLEL_FROM / 2)
            .filter_map(|e| Ev::parse(e.ts, &e.line))
            .collect()
    } else {
        entries
            .iter()
            .filter_map(|e| Ev::parse(e.ts, &e.line))
            .collect()
    };
    // Stable: lines with equal timestamps keep the order the backend gave them.
    evs.sort_by_key(|e| e.ts);
    let now = opts
        .now_ns
        .or_else(|| evs.last().map(|e| e.ts))
        .unwrap_or(0);

    let mut order: Vec<Cow<'_, str>> = Vec::new();
    let mut groups: HashMap<Cow<'_, str>, Vec<Ev<'_>>> = HashMap::new();
    for ev in evs {
        match groups.get_mut(&ev.agent_id) {
            Some(g) => g.push(ev),
            None => {
                order.push(ev.agent_id.clone());
                groups.insert(ev.agent_id.clone(), vec![ev]);
            }
        }
    }

    let mut runs = Vec::new();
    for id in order {
        let Some(group) = groups.remove(&id) else {
            continue;
        };
        let mut builder = RunBuilder::new(&id);
        for ev in group {
            if ev.kind == Kind::Start && builder.has_lines() && !builder.is_duplicate(&ev) {
                let done = std::mem::replace(&mut builder, RunBuilder::new(&id));
                runs.push(done.finish(now, opts));
            }
            builder.push(ev);
        }
        if builder.has_lines() {
            runs.push(builder.finish(now, opts));
        }
    }
    runs.sort_by(|a, b| {
        (a.header.first_ns, &a.header.agent_id).cmp(&(b.header.first_ns, &b.header.agent_id))
    });
    runs
}
