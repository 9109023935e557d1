//! The log context view, like Grafana's: the N lines before and after one line in its
//! stream, drawn with the results table's columns, the line itself highlighted and centred.
//! `+`/`-` change N, `h`/`l` + `w` drop or restore a label of the stream selector (widening
//! it), `f` keeps the query's pipeline. Each change asks for the two bounded queries again
//! (`drill::ContextQueries`, fetched by the loop); `update::context` tags and applies them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::drill::{ContextQueries, Selector, select_context};
use crate::model::LogEntry;
use crate::sanitize::inline;

use super::super::app::LogsView;
use super::super::keys::Action;
use super::super::render::table::{columns, header, message_style};
use super::super::render::{DIM, SELECTED};
use super::super::row::RowView;
use super::super::store::{Chunk, Row};

/// How far either way the two context queries look (Loki splits longer ranges anyway).
pub const SPAN_NS: i64 = 3_600_000_000_000;

/// The steps of N (lines either side) that `+`/`-` move through.
pub const STEPS: [usize; 7] = [5, 10, 25, 50, 100, 250, 500];

/// N when the view opens.
pub const DEFAULT_LINES: usize = 10;

/// The line a context is of, as the loaded results hold it.
#[derive(Debug, Clone, PartialEq)]
pub struct Anchor {
    pub entry: LogEntry,
    /// Identical lines (time, stream, text) loaded before it: which of them it is.
    pub occurrence: usize,
    /// Lines of its stream loaded at its timestamp before it (room in the after-query).
    pub same_ts: usize,
}

impl Anchor {
    /// The selected line of the results.
    pub fn of_selected(logs: &LogsView) -> Option<Anchor> {
        if logs.is_empty() {
            return None;
        }
        let i = logs.store_index(logs.selected);
        let row = logs.results.store.get(i)?;
        let (mut occurrence, mut same_ts) = (0, 0);
        for j in (0..i).rev() {
            let Some(r) = logs.results.store.get(j) else {
                break;
            };
            if r.ts() != row.ts() {
                break;
            }
            if r.labels() == row.labels() {
                same_ts += 1;
                occurrence += usize::from(r.line() == row.line());
            }
        }
        Some(Anchor {
            entry: row.entry(),
            occurrence,
            same_ts,
        })
    }

    /// The two queries for `n` lines either side.
    pub fn queries(&self, selector: &Selector, pipeline: &str, n: usize) -> ContextQueries {
        ContextQueries::new(selector, pipeline, self.entry.ts, n, SPAN_NS, self.same_ts)
    }

    /// Cuts `n` lines either side out of the two answers: (before, after), oldest first, and
    /// whether the line itself was among them.
    pub fn window(
        &self,
        before: Vec<LogEntry>,
        after: Vec<LogEntry>,
        n: usize,
    ) -> (Vec<LogEntry>, bool, Vec<LogEntry>) {
        let mut all = before;
        all.extend(after);
        let w = select_context(&all, self.entry.ts, &self.entry.line, self.occurrence, n);
        let own = |v: Vec<&LogEntry>| v.into_iter().cloned().collect::<Vec<_>>();
        (own(w.before), w.anchor.is_some(), own(w.after))
    }
}

/// What an action in the view asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum ContextAction {
    None,
    Close,
    /// N, the selector or the pipeline changed: fetch again.
    Fetch,
    /// Nothing to widen (one label left) or to narrow.
    Note(&'static str),
    Unhandled,
}

/// The view's state.
#[derive(Debug)]
pub struct ContextView {
    pub anchor: Anchor,
    pub selector: Selector,
    /// The label `w` drops or restores (index in the stream's labels).
    pub label: usize,
    /// The query's pipeline (`| json | status="500"`), applied while `keep_filters`.
    pub pipeline: String,
    pub keep_filters: bool,
    /// Lines either side.
    pub n: usize,
    /// Tags the fetch in flight; an answer for another generation is stale.
    pub generation: u64,
    /// The window, oldest first (`None` until the first answer).
    pub lines: Option<Chunk>,
    /// Index of the line itself in `lines`.
    pub at: usize,
    /// The line itself was not in the answers (it was put back at its time).
    pub missing: bool,
    pub loading: bool,
    pub error: Option<String>,
    /// Rows scrolled away from the line being centred.
    pub offset: isize,
    viewport: std::cell::Cell<usize>,
}

impl ContextView {
    pub fn new(anchor: Anchor, query: &str, generation: u64) -> Self {
        let selector = Selector::of_stream(&anchor.entry.labels);
        Self {
            anchor,
            selector,
            label: 0,
            pipeline: crate::logql::rewrite::pipeline_of(query).to_string(),
            keep_filters: false,
            n: DEFAULT_LINES,
            generation,
            lines: None,
            at: 0,
            missing: false,
            loading: true,
            error: None,
            offset: 0,
            viewport: std::cell::Cell::new(10),
        }
    }

    /// The two queries for the current N, selector and pipeline.
    pub fn queries(&self) -> ContextQueries {
        let pipeline = if self.keep_filters {
            self.pipeline.as_str()
        } else {
            ""
        };
        self.anchor.queries(&self.selector, pipeline, self.n)
    }

    /// Takes the answers of the two queries (the generation was checked by the caller).
    pub fn set(&mut self, result: Result<(Vec<LogEntry>, Vec<LogEntry>), String>) {
        self.loading = false;
        match result {
            Ok((before, after)) => {
                let (before, found, after) = self.anchor.window(before, after, self.n);
                self.at = before.len();
                self.missing = !found;
                let mut all = before;
                all.push(self.anchor.entry.clone());
                all.extend(after);
                self.lines = Some(Chunk::build(all));
                self.error = None;
                self.offset = 0;
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn step(&mut self, up: bool) -> ContextAction {
        let i = STEPS
            .iter()
            .position(|s| *s >= self.n)
            .unwrap_or(STEPS.len() - 1);
        let next = if up {
            STEPS.get(i + 1).copied()
        } else {
            i.checked_sub(1).map(|j| STEPS[j])
        };
        match next {
            Some(n) => {
                self.n = n;
                ContextAction::Fetch
            }
            None if up => ContextAction::Note("already the most lines the context shows"),
            None => ContextAction::Note("already the fewest lines the context shows"),
        }
    }

    pub fn perform(&mut self, action: Action) -> ContextAction {
        let page = self.viewport.get().max(1) as isize;
        let labels = self.anchor.entry.labels.len();
        match action {
            Action::Back | Action::Cancel | Action::Quit => return ContextAction::Close,
            Action::Up => self.offset -= 1,
            Action::Down => self.offset += 1,
            Action::PageUp => self.offset -= page,
            Action::PageDown => self.offset += page,
            Action::Top => self.offset = 0,
            Action::ContextMore => return self.step(true),
            Action::ContextLess => return self.step(false),
            Action::CursorLeft => self.label = self.label.saturating_sub(1),
            Action::CursorRight => self.label = (self.label + 1).min(labels.saturating_sub(1)),
            Action::WidenSelector => {
                let Some(name) = self.anchor.entry.labels.keys().nth(self.label).cloned() else {
                    return ContextAction::Note("this line's stream has no labels");
                };
                let changed = if self.selector.is_dropped(&name) {
                    self.selector.restore_label(&name)
                } else {
                    self.selector.drop_label(&name)
                };
                return if changed {
                    ContextAction::Fetch
                } else {
                    ContextAction::Note("the selector needs at least one label")
                };
            }
            Action::KeepFilters => {
                if self.pipeline.is_empty() {
                    return ContextAction::Note("the query has no parsers or filters to keep");
                }
                self.keep_filters = !self.keep_filters;
                return ContextAction::Fetch;
            }
            _ => return ContextAction::Unhandled,
        }
        self.clamp_offset();
        ContextAction::None
    }

    /// Keeps scrolling within the lines (the render clamps too; this keeps keys responsive
    /// after scrolling past an end).
    fn clamp_offset(&mut self) {
        let (Some(c), h) = (&self.lines, self.viewport.get() as isize) else {
            return;
        };
        let (len, at) = (c.len() as isize, self.at as isize);
        let centred = at - h / 2;
        let lo = -centred;
        let hi = (len - h).max(0) - centred;
        self.offset = self.offset.clamp(lo.min(hi), hi.max(lo));
    }

    /// The selector line: every label, the chosen one underlined, dropped ones struck out.
    fn selector_line(&self) -> Line<'static> {
        let mut spans = vec![Span::styled("stream ", DIM)];
        for (i, (k, v, dropped)) in self.selector.labels().enumerate() {
            let mut style = if dropped {
                DIM.add_modifier(Modifier::CROSSED_OUT)
            } else {
                Style::new()
            };
            if i == self.label {
                style = style.add_modifier(Modifier::UNDERLINED | Modifier::BOLD);
            }
            if i > 0 {
                spans.push(Span::raw(" "));
            }
            spans.push(Span::styled(
                format!("{}={}", inline(k), crate::logql::quote(&inline(v))),
                style,
            ));
        }
        let filters = if self.pipeline.is_empty() {
            "  (no pipeline)".to_string()
        } else if self.keep_filters {
            format!("  pipeline kept: {}", inline(&self.pipeline))
        } else {
            "  pipeline dropped (f keeps it)".to_string()
        };
        spans.push(Span::styled(filters, DIM));
        Line::from(spans)
    }

    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        hidden: &std::collections::BTreeSet<String>,
    ) {
        let state = match (&self.error, self.loading) {
            (_, true) => " · loading…".to_string(),
            (Some(e), false) if self.lines.is_some() => {
                format!(" · could not fetch: {}", inline(e))
            }
            _ if self.missing => " · the line itself was not in the answer".to_string(),
            _ => String::new(),
        };
        let title = format!(" Context · {} lines before/after{state} ", self.n);
        let inner = super::view_frame(
            frame,
            area,
            title,
            "+/- more/fewer · h/l label · w widen · f pipeline · j/k scroll · q back",
        );
        if inner.height < 3 {
            return;
        }
        frame.render_widget(
            Paragraph::new(self.selector_line()),
            Rect::new(inner.x, inner.y, inner.width, 1),
        );
        header(frame, Rect::new(inner.x, inner.y + 1, inner.width, 1));
        let body = Rect::new(inner.x, inner.y + 2, inner.width, inner.height - 2);
        let Some(chunk) = &self.lines else {
            super::pending(
                frame,
                body,
                self.error.as_deref(),
                "could not fetch the context",
                "fetching the lines around…",
            );
            return;
        };
        let height = usize::from(body.height);
        self.viewport.set(height);
        let last_top = chunk.len().saturating_sub(height) as isize;
        let centred = self.at as isize - (height as isize) / 2;
        let top = (centred + self.offset).clamp(0, last_top.max(0)) as usize;
        let mut lines = Vec::new();
        for i in top..(top + height).min(chunk.len()) {
            let v = RowView::derive(&Row { chunk, local: i });
            let own = i == self.at;
            let base = if own {
                SELECTED.add_modifier(Modifier::BOLD)
            } else {
                Style::new()
            };
            let mut spans = columns(&v, own);
            spans.push(Span::styled(v.message(hidden), message_style(&v, base)));
            lines.push(Line::from(spans).style(base));
        }
        frame.render_widget(Paragraph::new(lines), body);
    }
}
