//! The Fields view: every label, metadata key and parsed field of the loaded results with
//! its cardinality, top values with a share bar, and min/p50/p95/max with a histogram for
//! numeric fields. Enter (or `+`) filters for the selected value, `-` filters it out.

use std::cell::Cell;
use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::backend::Backend;
use crate::backend::drill::sample_fields;
use crate::drill::{FieldRow, Origin};
use crate::output::drill::{share_bar, sparkline};
use crate::sanitize::inline;

use super::super::keys::Action;
use super::super::render::{DIM, SELECTED};
use super::super::store::Chunk;

/// The statistics of the loaded lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Sampled {
    pub entries: u64,
    /// Where the rows came from: the loaded lines, or Loki's `detected_fields` with them.
    pub origin: Origin,
    pub fields: Vec<FieldRow>,
}

/// Field statistics of the loaded lines (`LineStore::snapshot`), off the UI thread.
pub fn sample_chunks(chunks: &[(Arc<Chunk>, usize)]) -> Sampled {
    let entries: Vec<_> = chunks
        .iter()
        .flat_map(|(c, skip)| (*skip..c.len()).map(|i| c.entry(i)))
        .collect();
    let (entries, fields) = sample_fields(&entries);
    Sampled {
        entries,
        origin: Origin::Local {
            lines: entries,
            limited: false,
        },
        fields,
    }
}

/// The Fields view's statistics: the loaded lines sampled here, merged with Loki's
/// `detected_fields` when it answers (a failure there keeps the local rows).
pub async fn fetch(
    b: &Backend,
    query: String,
    chunks: Vec<(Arc<Chunk>, usize)>,
    start_ns: i64,
    end_ns: i64,
) -> Result<Box<Sampled>, String> {
    let mut s = tokio::task::spawn_blocking(move || sample_chunks(&chunks))
        .await
        .map_err(|e| e.to_string())?;
    let mut rows = s.fields.clone();
    if let Ok(origin) = crate::backend::drill::with_detected_fields(
        b, &query, start_ns, end_ns, &mut rows, s.entries, false,
    )
    .await
    {
        s.fields = rows;
        s.origin = origin;
    }
    Ok(Box::new(s))
}

/// A row of the list: a field's heading or one of its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Field(usize),
    Value(usize, usize),
}

/// What an action asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldAction {
    None,
    Close,
    /// Filter for (`include`) or out the value of a field from `source` (`label`,
    /// `metadata`, `parsed`).
    Filter {
        name: String,
        source: &'static str,
        value: String,
        include: bool,
    },
    /// The cursor is on a heading, not a value.
    NoValue,
    Unhandled,
}

#[derive(Debug)]
pub struct FieldsView {
    pub query: String,
    pub generation: u64,
    pub sampled: Option<Sampled>,
    pub error: Option<String>,
    pub cursor: usize,
    items: Vec<Item>,
    offset: Cell<usize>,
    viewport: Cell<usize>,
}

impl FieldsView {
    pub fn new(query: impl Into<String>, generation: u64) -> Self {
        Self {
            query: query.into(),
            generation,
            sampled: None,
            error: None,
            cursor: 0,
            items: Vec::new(),
            offset: Cell::new(0),
            viewport: Cell::new(10),
        }
    }

    /// Shows `s`, the cursor on the first value.
    pub fn set(&mut self, s: Sampled) {
        self.items.clear();
        for (i, f) in s.fields.iter().enumerate() {
            self.items.push(Item::Field(i));
            self.items
                .extend((0..f.top.len()).map(|j| Item::Value(i, j)));
        }
        self.cursor = self
            .items
            .iter()
            .position(|i| matches!(i, Item::Value(..)))
            .unwrap_or(0);
        self.sampled = Some(s);
    }

    /// The selected (field, value), when the cursor is on a value.
    pub fn selected(&self) -> Option<(&FieldRow, &str)> {
        let s = self.sampled.as_ref()?;
        match self.items.get(self.cursor)? {
            Item::Value(f, v) => {
                let field = s.fields.get(*f)?;
                Some((field, field.top.get(*v)?.0.as_str()))
            }
            Item::Field(_) => None,
        }
    }

    pub fn perform(&mut self, action: Action) -> FieldAction {
        let last = self.items.len().saturating_sub(1);
        let page = self.viewport.get().max(1);
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(page),
            Action::PageDown => self.cursor = (self.cursor + page).min(last),
            Action::Top => self.cursor = 0,
            Action::Bottom => self.cursor = last,
            Action::Back | Action::Cancel | Action::Quit => return FieldAction::Close,
            Action::FilterFor | Action::FilterOut => {
                return match self.selected() {
                    Some((f, v)) => FieldAction::Filter {
                        name: f.name.clone(),
                        source: f.source,
                        value: v.to_string(),
                        include: action == Action::FilterFor,
                    },
                    None => FieldAction::NoValue,
                };
            }
            _ => return FieldAction::Unhandled,
        }
        FieldAction::None
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let title = match &self.sampled {
            Some(s) => format!(
                " Fields · {} · {} · {} ",
                inline(&self.query),
                crate::output::drill::over_lines(s.fields.len(), "field", "fields", s.entries),
                super::source(&s.origin)
            ),
            None => format!(" Fields · {} ", inline(&self.query)),
        };
        let inner = super::view_frame(
            frame,
            area,
            title,
            "enter/+ filter for · - filter out · q back",
        );
        let Some(s) = &self.sampled else {
            super::pending(
                frame,
                inner,
                self.error.as_deref(),
                "could not compute fields",
                "computing field statistics…",
            );
            return;
        };
        let height = (inner.height as usize).max(1);
        self.viewport.set(height);
        let mut off = self.offset.get();
        if self.cursor < off {
            off = self.cursor;
        } else if self.cursor >= off + height {
            off = self.cursor + 1 - height;
        }
        self.offset.set(off);
        let lines: Vec<Line> = self
            .items
            .iter()
            .enumerate()
            .skip(off)
            .take(height)
            .map(|(i, item)| {
                let line = match *item {
                    Item::Field(f) => heading(&s.fields[f], s.entries),
                    Item::Value(f, v) => value(&s.fields[f].top[v]),
                };
                if i == self.cursor {
                    line.patch_style(SELECTED)
                } else {
                    line
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.3}")
    }
}

fn heading(f: &FieldRow, entries: u64) -> Line<'static> {
    let mut spans = vec![
        Span::styled(
            inline(&f.name).into_owned(),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            format!(
                " ({}) {} · in {} of {entries}",
                f.source,
                crate::output::plural_grouped(f.cardinality, "value", "values"),
                f.present
            ),
            DIM,
        ),
    ];
    if let Some(n) = &f.numeric {
        spans.push(Span::raw(format!(
            "  min {} p50 {} p95 {} max {} ",
            num(n.min),
            num(n.p50),
            num(n.p95),
            num(n.max)
        )));
        spans.push(Span::styled(
            sparkline(&n.histogram),
            Style::new().fg(Color::Cyan),
        ));
    }
    Line::from(spans)
}

fn value(v: &(String, u64, f64)) -> Line<'static> {
    Line::from(vec![
        Span::raw("    "),
        Span::styled(share_bar(v.2, 16), Style::new().fg(Color::Green)),
        Span::raw(format!(" {:>5.1}% {:>6}  ", v.2 * 100.0, v.1)),
        Span::raw(inline(&v.0).into_owned()),
    ])
}
