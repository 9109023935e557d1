//! The runs list's order and filters, k9s-style: one key per column sorts by it (again:
//! reverses), and filters cycle through the statuses and agent types present.

use std::cmp::Ordering;

use crate::agent::model::RunStatus;
use crate::agent::render::runs_table::RunRow;

/// The column the runs are sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Start,
    Duration,
    Cost,
    Tokens,
    Status,
}

impl SortKey {
    pub fn name(self) -> &'static str {
        match self {
            SortKey::Start => "start",
            SortKey::Duration => "duration",
            SortKey::Cost => "cost",
            SortKey::Tokens => "tokens",
            SortKey::Status => "status",
        }
    }

    /// Ascending order of two rows by this column (unknown values first).
    fn cmp(self, a: &RunRow, b: &RunRow) -> Ordering {
        let f = |x: Option<f64>, y: Option<f64>| match (x, y) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (x, y) => x.is_some().cmp(&y.is_some()),
        };
        match self {
            SortKey::Start => a.start_ns.cmp(&b.start_ns),
            SortKey::Duration => f(a.duration_ms, b.duration_ms),
            SortKey::Cost => f(a.cost_usd, b.cost_usd),
            SortKey::Tokens => {
                (a.input_tokens + a.output_tokens).cmp(&(b.input_tokens + b.output_tokens))
            }
            // failed < running < incomplete < done: the worst first when descending is off
            SortKey::Status => severity(a.status).cmp(&severity(b.status)),
        }
    }
}

fn severity(s: RunStatus) -> u8 {
    match s {
        RunStatus::Failed => 0,
        RunStatus::Running => 1,
        RunStatus::Incomplete => 2,
        RunStatus::Done => 3,
    }
}

/// How the list is ordered and which runs it keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct RunsOrder {
    pub key: SortKey,
    /// Largest (newest, longest, dearest) first.
    pub descending: bool,
    pub status: Option<RunStatus>,
    pub agent_type: Option<String>,
}

impl Default for RunsOrder {
    /// Newest first, as the logs are.
    fn default() -> Self {
        Self {
            key: SortKey::Start,
            descending: true,
            status: None,
            agent_type: None,
        }
    }
}

impl RunsOrder {
    /// Sorts by `key`; the same key again reverses. Status sorts the worst first, the other
    /// columns the largest first.
    pub fn sort_by(&mut self, key: SortKey) {
        if self.key == key {
            self.descending = !self.descending;
        } else {
            self.key = key;
            self.descending = key != SortKey::Status;
        }
    }

    /// The next status filter: all → failed → running → incomplete → done → all.
    pub fn cycle_status(&mut self) {
        use RunStatus::*;
        self.status = match self.status {
            None => Some(Failed),
            Some(Failed) => Some(Running),
            Some(Running) => Some(Incomplete),
            Some(Incomplete) => Some(Done),
            Some(Done) => None,
        };
    }

    /// The next agent type of `all` (sorted, distinct), then all types again.
    pub fn cycle_type(&mut self, all: &[RunRow]) {
        let mut types: Vec<String> = all
            .iter()
            .map(|r| r.agent_type.clone().unwrap_or_else(|| "?".into()))
            .collect();
        types.sort();
        types.dedup();
        self.agent_type = match &self.agent_type {
            None => types.first().cloned(),
            Some(t) => types
                .iter()
                .position(|x| x == t)
                .and_then(|i| types.get(i + 1).cloned()),
        };
    }

    /// The rows of `all` that pass the filters, in order (ties keep newest first).
    pub fn apply(&self, all: &[RunRow]) -> Vec<RunRow> {
        let mut rows: Vec<RunRow> = all
            .iter()
            .filter(|r| self.status.is_none_or(|s| r.status == s))
            .filter(|r| {
                self.agent_type
                    .as_deref()
                    .is_none_or(|t| r.agent_type.as_deref().unwrap_or("?") == t)
            })
            .cloned()
            .collect();
        rows.sort_by(|a, b| {
            let o = self.key.cmp(a, b);
            let o = if self.descending { o.reverse() } else { o };
            o.then_with(|| b.start_ns.cmp(&a.start_ns))
        });
        rows
    }

    /// What the title says about the order and the filters.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "by {} {}",
            self.key.name(),
            if self.descending { "↓" } else { "↑" }
        );
        if let Some(st) = self.status {
            s.push_str(&format!(" · status {}", st.as_str()));
        }
        if let Some(t) = &self.agent_type {
            s.push_str(&format!(" · type {}", crate::sanitize::inline(t)));
        }
        s
    }
}
