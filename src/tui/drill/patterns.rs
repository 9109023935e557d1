//! The Patterns view: the current results grouped into templates, each with its count, share
//! and a volume sparkline, new ones marked; Enter lists a pattern's lines; `+`/`-` include or
//! exclude it (the rewriting is `update::drill`'s).

use std::cell::Cell;
use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::backend::Backend;
use crate::backend::drill::mine_entries;
use crate::drill::PatternsReport;
use crate::logql::pipeline::pattern::Pattern;
use crate::model::LogEntry;
use crate::output::drill::{resample, sparkline};
use crate::sanitize::inline;
use crate::timespec::{TimeStyle, format_time};

use super::super::keys::Action;
use super::super::render::{DIM, SELECTED};
use super::super::store::Chunk;

/// Lines kept per pattern for "show its lines".
pub const LINES_PER_PATTERN: usize = 200;

/// What mining the loaded results gives the view.
#[derive(Debug, Clone, PartialEq)]
pub struct Mined {
    pub report: PatternsReport,
    /// Per pattern row: its first lines (ts, raw text), oldest first.
    pub lines: Vec<Vec<(i64, String)>>,
}

/// Mines the loaded lines (`chunks`, as `LineStore::snapshot` gives them); `previous` are the
/// lines of the range of the same length before, to mark new patterns.
pub fn mine_chunks(
    query: &str,
    chunks: &[(Arc<Chunk>, usize)],
    previous: Option<&[LogEntry]>,
    start_ns: i64,
    end_ns: i64,
) -> Mined {
    let mut entries = Vec::new();
    for (c, skip) in chunks {
        for i in *skip..c.len() {
            entries.push(LogEntry::new(
                c.ts(i),
                Arc::new(crate::model::Labels::new()),
                c.line(i),
            ));
        }
    }
    let (report, ids) = mine_entries(query, &entries, previous, start_ns, end_ns, false);
    let mut lines: Vec<Vec<(i64, String)>> = vec![Vec::new(); report.patterns.len()];
    let row_of: std::collections::HashMap<usize, usize> = report
        .patterns
        .iter()
        .enumerate()
        .filter_map(|(row, p)| p.local_id.map(|id| (id, row)))
        .collect();
    for (e, id) in entries.iter().zip(ids) {
        if let Some(row) = id.and_then(|id| row_of.get(&id)) {
            let l = &mut lines[*row];
            if l.len() < LINES_PER_PATTERN {
                l.push((e.ts, e.line.clone()));
            }
        }
    }
    Mined { report, lines }
}

/// Loki's patterns (`backend::drill::loki_patterns`) with the loaded lines each one matches
/// (Loki's `|>` semantics, first pattern in the report's order wins), for "show its lines".
pub fn from_loki(report: PatternsReport, chunks: &[(Arc<Chunk>, usize)]) -> Mined {
    let filters: Vec<Option<Pattern>> = report
        .patterns
        .iter()
        .map(|p| Pattern::parse_filter(&p.pattern).ok())
        .collect();
    let mut lines: Vec<Vec<(i64, String)>> = vec![Vec::new(); report.patterns.len()];
    for (c, skip) in chunks {
        for i in *skip..c.len() {
            let line = c.line(i);
            let hit = filters
                .iter()
                .position(|f| f.as_ref().is_some_and(|f| f.matches(line)));
            if let Some(l) = hit.map(|row| &mut lines[row])
                && l.len() < LINES_PER_PATTERN
            {
                l.push((c.ts(i), line.to_string()));
            }
        }
    }
    Mined { report, lines }
}

/// The Patterns view's patterns: Loki's own (`/patterns`) when it answers, with the loaded
/// lines matched to them; otherwise mined here from the loaded lines and the range of the
/// same length before (fetched, bounded) to mark new patterns.
pub async fn fetch(
    b: &Backend,
    query: String,
    chunks: Vec<(Arc<Chunk>, usize)>,
    start_ns: i64,
    end_ns: i64,
) -> Result<Box<Mined>, String> {
    if let Ok(Some(report)) =
        crate::backend::drill::loki_patterns(b, &query, start_ns, end_ns).await
    {
        return tokio::task::spawn_blocking(move || Box::new(from_loki(report, &chunks)))
            .await
            .map_err(|e| e.to_string());
    }
    let len = end_ns - start_ns;
    let previous = if start_ns > 0 && len > 0 {
        crate::backend::drill::fetch_lines(
            b,
            &query,
            start_ns - len,
            start_ns,
            crate::backend::drill::DEFAULT_SAMPLE,
        )
        .await
        .ok()
        .map(|(e, _)| e)
    } else {
        None
    };
    tokio::task::spawn_blocking(move || {
        Box::new(mine_chunks(
            &query,
            &chunks,
            previous.as_deref(),
            start_ns,
            end_ns,
        ))
    })
    .await
    .map_err(|e| e.to_string())
}

/// What an action in the view asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum PatternAction {
    None,
    Close,
    /// Rewrite the query with this pattern filter (`include`: `|>`, else `!>`).
    Filter {
        pattern: String,
        include: bool,
    },
    /// The pattern has no exact filter.
    NoFilter,
    Unhandled,
}

/// The view's state.
#[derive(Debug)]
pub struct PatternsView {
    /// The query the patterns are of.
    pub query: String,
    /// Tags the mining task; a result for another generation is stale.
    pub generation: u64,
    pub mined: Option<Mined>,
    pub error: Option<String>,
    pub cursor: usize,
    /// Showing the selected pattern's lines.
    pub open: bool,
    offset: Cell<usize>,
    viewport: Cell<usize>,
}

impl PatternsView {
    pub fn new(query: impl Into<String>, generation: u64) -> Self {
        Self {
            query: query.into(),
            generation,
            mined: None,
            error: None,
            cursor: 0,
            open: false,
            offset: Cell::new(0),
            viewport: Cell::new(10),
        }
    }

    fn rows(&self) -> usize {
        self.mined.as_ref().map_or(0, |m| m.report.patterns.len())
    }

    /// The selected pattern's Loki filter text (`<_>` for variables), when it is exact.
    pub fn selected_pattern(&self) -> Option<&str> {
        let p = self.mined.as_ref()?.report.patterns.get(self.cursor)?;
        p.include.as_ref()?;
        Some(p.pattern.as_str())
    }

    pub fn perform(&mut self, action: Action) -> PatternAction {
        let last = self.rows().saturating_sub(1);
        let page = self.viewport.get().max(1);
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(page),
            Action::PageDown => self.cursor = (self.cursor + page).min(last),
            Action::Top => self.cursor = 0,
            Action::Bottom => self.cursor = last,
            Action::Details => self.open = !self.open && self.rows() > 0,
            Action::Back | Action::Cancel | Action::Quit => {
                if self.open {
                    self.open = false;
                } else {
                    return PatternAction::Close;
                }
            }
            Action::FilterFor | Action::FilterOut => {
                let include = action == Action::FilterFor;
                return match self.selected_pattern() {
                    Some(p) => PatternAction::Filter {
                        pattern: p.to_string(),
                        include,
                    },
                    None => PatternAction::NoFilter,
                };
            }
            _ => return PatternAction::Unhandled,
        }
        PatternAction::None
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let title = match &self.mined {
            Some(m) => format!(
                " Patterns · {} · {} · {} ",
                inline(&self.query),
                crate::output::drill::over_lines(
                    m.report.patterns.len(),
                    "pattern",
                    "patterns",
                    m.report.total
                ),
                super::source(&m.report.origin)
            ),
            None => format!(" Patterns · {} ", inline(&self.query)),
        };
        let inner = super::view_frame(
            frame,
            area,
            title,
            "enter lines · + include · - exclude · q back · * new",
        );
        let Some(m) = &self.mined else {
            super::pending(
                frame,
                inner,
                self.error.as_deref(),
                "could not mine patterns",
                "mining patterns…",
            );
            return;
        };
        let (top, bottom) = if self.open {
            let [t, b] = Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(inner);
            (t, Some(b))
        } else {
            (inner, None)
        };
        self.list(frame, top, m);
        if let Some(b) = bottom {
            self.lines(frame, b, m);
        }
    }

    fn list(&self, frame: &mut Frame, area: Rect, m: &Mined) {
        let height = (area.height as usize).saturating_sub(1).max(1);
        self.viewport.set(height);
        let mut off = self.offset.get();
        if self.cursor < off {
            off = self.cursor;
        } else if self.cursor >= off + height {
            off = self.cursor + 1 - height;
        }
        self.offset.set(off);
        let head = format!("  {:>7} {:>6}  {:<20}  PATTERN", "COUNT", "SHARE", "VOLUME");
        let mut lines = vec![Line::styled(
            head,
            Style::new().add_modifier(Modifier::BOLD),
        )];
        if m.report.patterns.is_empty() {
            lines.push(Line::styled(
                "No lines to group: run a log query first.",
                DIM,
            ));
        }
        for (i, p) in m.report.patterns.iter().enumerate().skip(off).take(height) {
            let spark = sparkline(&resample(&p.volume, 20));
            let mut line = Line::from(vec![
                Span::styled(
                    if p.new { "* " } else { "  " },
                    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
                ),
                Span::raw(format!("{:>7} {:>5.1}%  ", p.count, p.share * 100.0)),
                Span::styled(format!("{spark:<20}"), Style::new().fg(Color::Cyan)),
                Span::raw("  "),
                Span::raw(inline(&p.pattern).into_owned()),
            ]);
            if i == self.cursor {
                line = line.patch_style(SELECTED);
            }
            lines.push(line);
        }
        frame.render_widget(Paragraph::new(lines), area);
    }

    fn lines(&self, frame: &mut Frame, area: Rect, m: &Mined) {
        let block = Block::default().borders(Borders::TOP).title(" lines ");
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let rows = m.lines.get(self.cursor).map(Vec::as_slice).unwrap_or(&[]);
        let lines: Vec<Line> = rows
            .iter()
            .rev()
            .take(inner.height as usize)
            .map(|(ts, l)| {
                Line::from(vec![
                    Span::styled(format_time(*ts, true, TimeStyle::DayMillis), DIM),
                    Span::raw(" "),
                    Span::raw(inline(l).into_owned()),
                ])
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
