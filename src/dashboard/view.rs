//! What a front end draws: the dashboard's panels with their current data. The front end
//! plans the queries ([`plan_queries`]), runs them (in parallel, against Loki or the embedded
//! engine), and stores each panel's outcome with [`PanelState::from_metric`] / `Logs` / `Error`.

use std::collections::BTreeMap;

use chrono::FixedOffset;

use crate::model::{LogEntry, MetricResult, Point};

use super::grafana::Skipped;
use super::layout::CellRect;
use super::model::{Dashboard, Panel};
use super::stats::{assign_colors, series_name};
use super::step::step_for_width;
use super::vars::{TimeCtx, interpolate};

/// Number of series colours the palette has (the TUI maps slots to colours).
pub const PALETTE_LEN: usize = 8;

/// One query to run for one panel target, variables already substituted.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelQuery {
    pub panel: usize,
    pub target: usize,
    pub expr: String,
    /// Run as an instant query at `end_ns` (else a range query with `step_ns`).
    pub instant: bool,
    /// A log query (logs panel): run with a small limit, newest first.
    pub logs: bool,
    pub start_ns: i64,
    pub end_ns: i64,
    pub step_ns: i64,
}

/// The queries of a dashboard over `[start_ns, end_ns]`, each panel's step chosen from its
/// width in `cells` (from [`super::layout_cells`]; recompute on resize).
pub fn plan_queries(
    d: &Dashboard,
    vars: &BTreeMap<String, String>,
    start_ns: i64,
    end_ns: i64,
    cells: &[CellRect],
) -> Vec<PanelQuery> {
    let mut out = Vec::new();
    for (pi, p) in d.panels.iter().enumerate() {
        // Plot width: the panel minus its borders and the y-axis gutter.
        let cols = cells.get(pi).map_or(80, |c| c.w.saturating_sub(10).max(4));
        let step_ns = step_for_width(start_ns, end_ns, cols);
        let t = TimeCtx {
            start_ns,
            end_ns,
            step_ns,
        };
        for (ti, target) in p.targets.iter().enumerate() {
            out.push(PanelQuery {
                panel: pi,
                target: ti,
                expr: interpolate(&target.expr, vars, &t),
                instant: target.instant,
                logs: p.kind.is_logs(),
                start_ns,
                end_ns,
                step_ns,
            });
        }
    }
    out
}

/// A named, coloured series ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSeries {
    pub name: String,
    pub points: Vec<Point>,
    /// Palette slot, `0..PALETTE_LEN`.
    pub color: usize,
}

/// A panel's data as far as it is known.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum PanelState {
    #[default]
    Loading,
    /// The query failed: shown in place, in red, while other panels render.
    Error(String),
    Metric(Vec<NamedSeries>),
    Logs(Vec<LogEntry>),
}

impl PanelState {
    /// Names (via each target's legend) and colours the series of a panel's results, given as
    /// `(target index, result)`. Instant vectors become one-point series; a scalar is a
    /// series named by the target's refId.
    pub fn from_metric(panel: &Panel, results: &[(usize, MetricResult)]) -> PanelState {
        let mut series: Vec<(String, Vec<Point>)> = Vec::new();
        for (ti, r) in results {
            let target = panel.targets.get(*ti);
            let legend = target.and_then(|t| t.legend.as_deref());
            let fallback = target
                .map(|t| {
                    if t.ref_id.is_empty() {
                        panel.title.as_str()
                    } else {
                        t.ref_id.as_str()
                    }
                })
                .unwrap_or(panel.title.as_str());
            match r {
                MetricResult::Matrix(ss) => {
                    for s in ss {
                        series.push((series_name(&s.metric, legend, fallback), s.points.clone()));
                    }
                }
                MetricResult::Vector(samples) => {
                    for s in samples {
                        series.push((series_name(&s.metric, legend, fallback), vec![s.point]));
                    }
                }
                MetricResult::Scalar(p) => series.push((fallback.to_string(), vec![*p])),
            }
        }
        let names: Vec<String> = series.iter().map(|(n, _)| n.clone()).collect();
        let colors = assign_colors(&names, PALETTE_LEN);
        PanelState::Metric(
            series
                .into_iter()
                .zip(colors)
                .map(|((name, points), color)| NamedSeries {
                    name,
                    points,
                    color,
                })
                .collect(),
        )
    }
}

/// One panel and its state.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelView {
    pub panel: Panel,
    pub state: PanelState,
}

/// Everything `render_dashboard` needs; owned by the front end's state.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardView {
    pub title: String,
    pub start_ns: i64,
    pub end_ns: i64,
    /// The user's time zone for axis labels.
    pub zone: FixedOffset,
    pub panels: Vec<PanelView>,
    /// Grafana panels that could not be imported, listed under the title.
    pub skipped: Vec<Skipped>,
    /// The selected panel (Enter opens its query in the explorer).
    pub focus: Option<usize>,
    /// Shared crosshair: the time whose values charts show.
    pub cursor_ns: Option<i64>,
}

impl DashboardView {
    /// All panels loading.
    pub fn new(d: &Dashboard, start_ns: i64, end_ns: i64, zone: FixedOffset) -> Self {
        DashboardView {
            title: d.title.clone(),
            start_ns,
            end_ns,
            zone,
            panels: d
                .panels
                .iter()
                .map(|p| PanelView {
                    panel: p.clone(),
                    state: PanelState::Loading,
                })
                .collect(),
            skipped: Vec::new(),
            focus: None,
            cursor_ns: None,
        }
    }
}

impl PanelQuery {
    /// The request for a backend (Loki or the embedded engine); `log_limit` caps a logs
    /// panel's lines (newest first).
    pub fn to_query_range(&self, log_limit: usize) -> crate::model::QueryRange {
        crate::model::QueryRange {
            query: self.expr.clone(),
            start_ns: self.start_ns,
            end_ns: self.end_ns,
            limit: if self.logs { log_limit } else { 0 },
            direction: crate::model::Direction::Backward,
            step_ms: (!self.logs && !self.instant).then_some((self.step_ns / 1_000_000).max(1)),
            instant: self.instant,
        }
    }
}
