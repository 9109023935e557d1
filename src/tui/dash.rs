//! The dashboard screen's state: the dashboard definition, its variables, the planned panel
//! queries of the current generation and what came back. Pure transitions; `update::dashboard`
//! wires them to keys and messages, the loop runs the planned queries in parallel.

use std::collections::BTreeMap;

use chrono::FixedOffset;

use crate::dashboard::{
    Dashboard, DashboardView, GridPos, PanelQuery, PanelState, Skipped, layout_cells, plan_queries,
};
use crate::logql::logs_behind;
use crate::model::{MetricResult, QueryOutput, QueryRange};

/// Lines a logs panel asks for (newest first).
pub const LOG_PANEL_LIMIT: usize = 50;

/// Rows the dashboard screen keeps for itself: the title bar, the dashboard header, the status
/// line.
pub const CHROME_ROWS: u16 = 3;

/// What opens a dashboard: the definition and how to run it.
#[derive(Debug, Clone)]
pub struct DashboardStart {
    pub dashboard: Dashboard,
    /// Grafana panels that could not be imported (listed on screen).
    pub skipped: Vec<Skipped>,
    /// Variable values, defaults already applied (`resolve_vars`).
    pub vars: BTreeMap<String, String>,
    /// Auto-refresh period, ms (off when `None`).
    pub refresh_ms: Option<u64>,
    pub zone: FixedOffset,
}

/// The open dashboard.
#[derive(Debug, Clone)]
pub struct DashState {
    pub dashboard: Dashboard,
    pub vars: BTreeMap<String, String>,
    pub refresh_ms: Option<u64>,
    pub view: DashboardView,
    /// Tags the panel queries in flight; answers of an older generation are dropped.
    pub generation: u64,
    /// The queries of this generation (a `PanelFinished` names one by index).
    pub plan: Vec<PanelQuery>,
    /// What came back for each query of `plan`.
    pub outputs: Vec<Option<Result<QueryOutput, String>>>,
}

impl DashState {
    pub fn new(s: DashboardStart) -> DashState {
        let mut view = DashboardView::new(&s.dashboard, 0, 0, s.zone);
        view.skipped = s.skipped;
        if !view.panels.is_empty() {
            view.focus = Some(0);
        }
        DashState {
            dashboard: s.dashboard,
            vars: s.vars,
            refresh_ms: s.refresh_ms,
            view,
            generation: 0,
            plan: Vec::new(),
            outputs: Vec::new(),
        }
    }

    /// Plans a new generation of queries over `[start_ns, end_ns]` for a screen of
    /// `width`×`height` (steps follow each panel's width); returns the generation and the
    /// requests, in plan order. Panels keep their last data until the new answers arrive.
    pub fn replan(
        &mut self,
        start_ns: i64,
        end_ns: i64,
        width: u16,
        height: u16,
    ) -> (u64, Vec<QueryRange>) {
        self.generation += 1;
        if self.view.start_ns != start_ns || self.view.end_ns != end_ns {
            self.view.cursor_ns = None;
        }
        self.view.start_ns = start_ns;
        self.view.end_ns = end_ns;
        let grid: Vec<GridPos> = self.dashboard.panels.iter().map(|p| p.grid).collect();
        let cells = layout_cells(&grid, width, height.saturating_sub(CHROME_ROWS));
        self.plan = plan_queries(&self.dashboard, &self.vars, start_ns, end_ns, &cells);
        self.outputs = vec![None; self.plan.len()];
        let reqs = self
            .plan
            .iter()
            .map(|q| q.to_query_range(LOG_PANEL_LIMIT))
            .collect();
        (self.generation, reqs)
    }

    /// One query's answer. Stale generations are dropped; a panel's state changes once every
    /// target of it has answered (an error in any target shows in place).
    pub fn finished(&mut self, generation: u64, index: usize, r: Result<QueryOutput, String>) {
        if generation != self.generation {
            return;
        }
        let Some(slot) = self.outputs.get_mut(index) else {
            return;
        };
        *slot = Some(r);
        let Some(panel) = self.plan.get(index).map(|q| q.panel) else {
            return;
        };
        let mine: Vec<(usize, &Option<Result<QueryOutput, String>>)> = self
            .plan
            .iter()
            .zip(&self.outputs)
            .filter(|(q, _)| q.panel == panel)
            .map(|(q, o)| (q.target, o))
            .collect();
        if mine.iter().any(|(_, o)| o.is_none()) {
            return;
        }
        let Some(pv) = self.view.panels.get_mut(panel) else {
            return;
        };
        let mut metrics: Vec<(usize, MetricResult)> = Vec::new();
        let mut lines = Vec::new();
        let mut logs = false;
        for (target, o) in mine {
            match o {
                Some(Err(e)) => {
                    pv.state = PanelState::Error(e.clone());
                    return;
                }
                Some(Ok(QueryOutput::Metric(m))) => metrics.push((target, m.clone())),
                Some(Ok(QueryOutput::Streams(v))) => {
                    logs = true;
                    lines.extend(v.iter().cloned());
                }
                None => {}
            }
        }
        pv.state = if logs && metrics.is_empty() {
            lines.sort_by_key(|e| std::cmp::Reverse(e.ts));
            PanelState::Logs(lines)
        } else {
            PanelState::from_metric(&pv.panel, &metrics)
        };
    }

    /// Panels whose queries all answered (for the status line).
    pub fn done(&self) -> (usize, usize) {
        let total = self.view.panels.len();
        let loading = self
            .view
            .panels
            .iter()
            .filter(|p| matches!(p.state, PanelState::Loading))
            .count();
        (total - loading, total)
    }

    /// Moves the focus by `by` panels (wrapping).
    pub fn move_focus(&mut self, by: isize) {
        let n = self.view.panels.len() as isize;
        if n == 0 {
            return;
        }
        let cur = self.view.focus.unwrap_or(0) as isize;
        self.view.focus = Some((cur + by).rem_euclid(n) as usize);
    }

    /// Moves the shared time cursor by `by` sixtieths of the range (appears at the end first).
    pub fn move_cursor(&mut self, by: i64) {
        let (s, e) = (self.view.start_ns, self.view.end_ns);
        if e <= s {
            return;
        }
        let step = ((e - s) / 60).max(1);
        let next = match self.view.cursor_ns {
            None if by < 0 => e - step,
            None => s + step,
            Some(c) => c + by * step,
        };
        self.view.cursor_ns = Some(next.clamp(s, e));
    }

    /// The focused panel's first query (variables substituted).
    pub fn focused_query(&self) -> Option<&PanelQuery> {
        let f = self.view.focus?;
        self.plan.iter().find(|q| q.panel == f)
    }

    /// What Enter opens in the explorer, with the panel's title: a logs panel's query as it is,
    /// the logs behind a metric panel (Grafana's "logs sample", [`logs_behind`]), or a metric
    /// query that reads no logs (`vector(1)`) as it is.
    pub fn explore(&self) -> Option<(String, String)> {
        let q = self.focused_query()?;
        let title = self
            .view
            .panels
            .get(q.panel)
            .map(|p| p.panel.title.clone())
            .unwrap_or_default();
        let query = logs_behind(&q.expr).unwrap_or_else(|| q.expr.clone());
        Some((query, title))
    }
}

/// The user's zone (or UTC).
pub fn zone(utc: bool) -> FixedOffset {
    use chrono::Offset;
    if utc {
        chrono::Utc.fix()
    } else {
        *chrono::Local::now().offset()
    }
}
