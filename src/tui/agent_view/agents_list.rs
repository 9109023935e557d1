//! The agents view: the runs of a range (as `vs-logs agents`) and per-type totals; Enter asks
//! for a run's timeline.

use std::cell::Cell;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::ViewAction;
use super::style;
use crate::agent::model::{AgentRun, RunStatus};
use crate::agent::render::fmt::{clip, millis, pad, rpad, thousands, usd};
use crate::agent::render::runs_table::{RunRow, TypeTotals, type_totals};
use crate::sanitize::inline;

/// A list of runs.
#[derive(Debug)]
pub struct AgentsView {
    rows: Vec<RunRow>,
    totals: Vec<TypeTotals>,
    selected: usize,
    offset: Cell<usize>,
    viewport: Cell<usize>,
    /// Shown in the title: what the list covers (`last 24h`, a query…).
    title: String,
}

impl AgentsView {
    /// A view of `rows` (oldest first, as `agent::find::summarize` returns them).
    pub fn new(rows: Vec<RunRow>, title: impl Into<String>) -> Self {
        let totals = type_totals(&rows);
        Self {
            rows,
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

    pub fn handle_key(&mut self, key: KeyEvent) -> ViewAction {
        let last = self.rows.len().saturating_sub(1);
        let page = self.viewport.get().max(1);
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => return ViewAction::Close,
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                return ViewAction::Close;
            }
            KeyCode::Down | KeyCode::Char('j') => self.selected = (self.selected + 1).min(last),
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::PageDown => self.selected = (self.selected + page).min(last),
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(page),
            KeyCode::Home | KeyCode::Char('g') => self.selected = 0,
            KeyCode::End | KeyCode::Char('G') => self.selected = last,
            KeyCode::Char('e') => {
                // Next failed run.
                let n = self.rows.len();
                if let Some(i) = (1..n)
                    .map(|k| (self.selected + k) % n)
                    .find(|&i| self.rows[i].status == RunStatus::Failed)
                {
                    self.selected = i;
                }
            }
            KeyCode::Enter => {
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

    fn row_line(r: &RunRow) -> Line<'static> {
        let s = |v: &Option<String>| inline(v.as_deref().unwrap_or("?")).into_owned();
        let start = chrono::DateTime::from_timestamp_nanos(r.start_ns)
            .format("%m-%d %H:%M:%S")
            .to_string();
        let cost = match r.cost_usd {
            Some(c) if r.cost_estimated => format!("≈{}", usd(c)),
            Some(c) => usd(c),
            None => "-".into(),
        };
        Line::from(vec![
            Span::raw(format!(
                "{} {} {} {} ",
                pad(&start, 14),
                pad(&s(&r.agent_type), 18),
                pad(&inline(&r.agent_id), 12),
                pad(&s(&r.target_id), 12)
            )),
            Span::styled(pad(r.status.as_str(), 10), style::status(r.status)),
            Span::raw(format!(
                " {} {} {} {}",
                rpad(&r.turns.to_string(), 5),
                rpad(&thousands(r.input_tokens + r.output_tokens), 8),
                rpad(&cost, 9),
                rpad(&r.duration_ms.map_or("-".into(), millis), 9)
            )),
        ])
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let foot = self.totals.len() as u16 + 2;
        let [list, totals, keys] = Layout::vertical([
            Constraint::Min(3),
            Constraint::Length(foot),
            Constraint::Length(1),
        ])
        .areas(area);
        let block = Block::default().borders(Borders::BOTTOM).title(format!(
            " Agent runs · {} · {} ",
            clip(&self.title, 50),
            self.rows.len()
        ));
        let inner = block.inner(list);
        frame.render_widget(block, list);
        let head = format!(
            "{} {} {} {} {} {} {} {} {}",
            pad("START (UTC)", 14),
            pad("TYPE", 18),
            pad("ID", 12),
            pad("TARGET", 12),
            pad("STATUS", 10),
            rpad("TURNS", 5),
            rpad("TOKENS", 8),
            rpad("COST", 9),
            rpad("DURATION", 9)
        );
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
            lines.push(Line::styled("No agent runs in this range.", style::dim()));
        }
        for (i, r) in self.rows.iter().enumerate().skip(off).take(height) {
            let mut line = Self::row_line(r);
            if i == self.selected {
                line = line.patch_style(style::selected());
            }
            lines.push(line);
        }
        frame.render_widget(Paragraph::new(lines), inner);

        let mut tl = vec![Line::styled(
            format!(
                "{} {} {} {} {} {} {}",
                pad("TYPE", 20),
                rpad("RUNS", 6),
                rpad("FAILED", 6),
                rpad("FAIL%", 6),
                rpad("COST", 10),
                rpad("P50", 9),
                rpad("P95", 9)
            ),
            style::title(),
        )];
        for t in &self.totals {
            let failed_style = if t.failed > 0 {
                style::error()
            } else {
                Default::default()
            };
            let cost = format!(
                "{}{}",
                if t.cost_estimated { "≈" } else { "" },
                usd(t.cost_usd)
            );
            tl.push(Line::from(vec![
                Span::raw(format!(
                    "{} {} ",
                    pad(&inline(&t.agent_type), 20),
                    rpad(&t.runs.to_string(), 6)
                )),
                Span::styled(rpad(&t.failed.to_string(), 6), failed_style),
                Span::raw(format!(
                    " {} {} {} {}",
                    rpad(&format!("{:.1}%", 100.0 * t.failure_rate), 6),
                    rpad(&cost, 10),
                    rpad(&t.p50_ms.map_or("-".into(), millis), 9),
                    rpad(&t.p95_ms.map_or("-".into(), millis), 9)
                )),
            ]));
        }
        frame.render_widget(Paragraph::new(tl), totals);
        frame.render_widget(
            Paragraph::new(Line::styled(
                " j/k move · enter open timeline · e next failed run · q back",
                style::dim(),
            )),
            keys,
        );
    }
}
