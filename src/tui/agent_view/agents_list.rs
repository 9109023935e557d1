//! The agents view: the runs of a range (as `vs-logs agents`) and per-type totals; Enter asks
//! for a run's timeline.

use std::cell::Cell;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::super::keys::{Action, KeyMap, Screen};
use super::ViewAction;
use super::runs_order::{RunsOrder, SortKey};
use super::style;
use crate::agent::model::{AgentRun, RunStatus};
use crate::agent::render::fmt::clip;
use crate::agent::render::runs_table::{
    RunRow, Table, Tone, runs_table, totals_table, type_totals,
};

/// A list of runs.
#[derive(Debug)]
pub struct AgentsView {
    /// Every run of the range; `rows` is what the order and filters keep of it.
    all: Vec<RunRow>,
    rows: Vec<RunRow>,
    order: RunsOrder,
    /// The runs table's text, as `vs-logs agents --utc` prints it.
    table: Table,
    totals: Table,
    selected: usize,
    offset: Cell<usize>,
    viewport: Cell<usize>,
    /// Shown in the title: what the list covers (`last 24h`, a query…).
    title: String,
}

impl AgentsView {
    /// A view of `rows` (any order), shown newest first like the logs.
    pub fn new(all: Vec<RunRow>, title: impl Into<String>) -> Self {
        let order = RunsOrder::default();
        let rows = order.apply(&all);
        let totals = totals_table(&type_totals(&rows));
        Self {
            table: runs_table(&rows, true),
            all,
            rows,
            order,
            totals,
            selected: 0,
            offset: Cell::new(0),
            viewport: Cell::new(10),
            title: title.into(),
        }
    }

    /// A view of complete runs.
    pub fn from_runs(runs: &[AgentRun], title: impl Into<String>) -> Self {
        Self::new(runs.iter().map(RunRow::of).collect(), title)
    }

    pub fn rows(&self) -> &[RunRow] {
        &self.rows
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The order and filters in force.
    pub fn order(&self) -> &RunsOrder {
        &self.order
    }

    /// Re-applies the order and filters, keeping the selected run selected when it stays.
    fn reorder(&mut self) {
        let keep = self
            .rows
            .get(self.selected)
            .map(|r| (r.agent_id.clone(), r.start_ns));
        self.rows = self.order.apply(&self.all);
        self.table = runs_table(&self.rows, true);
        self.totals = totals_table(&type_totals(&self.rows));
        self.selected = keep
            .and_then(|(id, s)| {
                self.rows
                    .iter()
                    .position(|r| r.agent_id == id && r.start_ns == s)
            })
            .unwrap_or(0);
    }

    /// A key with the default key table (see `handle` for the user's).
    pub fn handle_key(&mut self, key: KeyEvent) -> ViewAction {
        self.handle(KeyMap::defaults(), key)
    }

    /// A key, looked up in the runs list's key table.
    pub fn handle(&mut self, keys: &KeyMap, key: KeyEvent) -> ViewAction {
        match keys.action_in(Screen::Runs, &key) {
            Some(a) => self.perform(a),
            None => ViewAction::Unhandled,
        }
    }

    /// Applies an action of the runs list's key table; others are `Unhandled`.
    pub fn perform(&mut self, action: Action) -> ViewAction {
        let last = self.rows.len().saturating_sub(1);
        let page = self.viewport.get().max(1);
        match action {
            Action::Back | Action::Cancel => return ViewAction::Close,
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::PageDown => self.selected = (self.selected + page).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(page),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = last,
            Action::SortStart => self.sort(SortKey::Start),
            Action::SortDuration => self.sort(SortKey::Duration),
            Action::SortCost => self.sort(SortKey::Cost),
            Action::SortTokens => self.sort(SortKey::Tokens),
            Action::SortStatus => self.sort(SortKey::Status),
            Action::FilterStatus => {
                self.order.cycle_status();
                self.reorder();
            }
            Action::FilterType => {
                self.order.cycle_type(&self.all);
                self.reorder();
            }
            Action::NextError => self.next_failed(true),
            Action::PrevError => self.next_failed(false),
            Action::OpenRun => {
                if let Some(r) = self.rows.get(self.selected) {
                    return ViewAction::OpenRun {
                        agent_id: r.agent_id.clone(),
                        start_ns: r.start_ns,
                    };
                }
            }
            _ => return ViewAction::Unhandled,
        }
        ViewAction::None
    }

    fn sort(&mut self, key: SortKey) {
        self.order.sort_by(key);
        self.reorder();
    }

    /// Selects the next (or previous) failed run, wrapping around.
    fn next_failed(&mut self, forward: bool) {
        let n = self.rows.len();
        if let Some(i) = (1..n)
            .map(|k| {
                if forward {
                    (self.selected + k) % n
                } else {
                    (self.selected + n - k) % n
                }
            })
            .find(|&i| self.rows[i].status == RunStatus::Failed)
        {
            self.selected = i;
        }
    }

    /// A row of a core table, the TUI's colours on its status and failure cells.
    fn styled(row: &[(String, Tone)]) -> Line<'static> {
        let mut spans = Vec::with_capacity(row.len() * 2);
        for (i, (cell, tone)) in row.iter().enumerate() {
            let style = match tone {
                Tone::Plain => None,
                Tone::Status(s) => Some(style::status(*s)),
                Tone::Failed => Some(style::error()),
            };
            let sep = if i == 0 { "" } else { " " };
            match style {
                None => spans.push(Span::raw(format!("{sep}{cell}"))),
                Some(st) => {
                    spans.push(Span::raw(sep));
                    spans.push(Span::styled(cell.clone(), st));
                }
            }
        }
        Line::from(spans)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let foot = self.totals.rows.len() as u16 + 2;
        let [list, totals, keys] = Layout::vertical([
            Constraint::Min(3),
            Constraint::Length(foot),
            Constraint::Length(1),
        ])
        .areas(area);
        let count = if self.rows.len() == self.all.len() {
            self.rows.len().to_string()
        } else {
            format!("{} of {}", self.rows.len(), self.all.len())
        };
        let block = Block::default().borders(Borders::BOTTOM).title(format!(
            " Agent runs · {} · {count} · {} ",
            clip(&self.title, 40),
            self.order.describe()
        ));
        let inner = block.inner(list);
        frame.render_widget(block, list);
        let head = self.table.header();
        let height = (inner.height as usize).saturating_sub(1);
        self.viewport.set(height);
        let mut off = self.offset.get();
        if self.selected < off {
            off = self.selected;
        } else if self.selected >= off + height.max(1) {
            off = self.selected + 1 - height.max(1);
        }
        self.offset.set(off);
        let mut lines = vec![Line::styled(head, style::title())];
        if self.rows.is_empty() {
            let text = if self.all.is_empty() {
                "No agent runs in this range."
            } else {
                "No run passes the filters (f: status, t: type)."
            };
            lines.push(Line::styled(text, style::dim()));
        }
        for (i, r) in self.table.rows.iter().enumerate().skip(off).take(height) {
            let mut line = Self::styled(r);
            if i == self.selected {
                line = line.patch_style(style::selected());
            }
            lines.push(line);
        }
        frame.render_widget(Paragraph::new(lines), inner);

        let mut tl = vec![Line::styled(self.totals.header(), style::title())];
        tl.extend(self.totals.rows.iter().map(|r| Self::styled(r)));
        frame.render_widget(Paragraph::new(tl), totals);
        frame.render_widget(
            Paragraph::new(Line::styled(
                " enter open · A/D/C/T/S sort start/duration/cost/tokens/status · f status · t type · e failed · ? keys",
                style::dim(),
            )),
            keys,
        );
    }
}
