//! The timeline view's state and actions: selection, folded turns, expanded messages, error
//! jumps and the raw-line popup. Keys come from the key table (`Screen::Timeline`); drawing
//! is in `timeline_render`.

use std::cell::Cell;
use std::collections::HashSet;

use crossterm::event::KeyEvent;

use super::super::keys::{Action, KeyMap, Screen};
use super::ViewAction;
use super::rows::{RowKind, build_rows, expandable, is_error, loose_key};
use crate::agent::model::AgentRun;

/// The list's width before the first frame tells the real one.
const DEFAULT_LIST_WIDTH: usize = 100;

/// The timeline of one run.
#[derive(Debug)]
pub struct TimelineView {
    pub(super) run: AgentRun,
    pub(super) rows: Vec<RowKind>,
    pub(super) folded: HashSet<usize>,
    pub(super) expanded: HashSet<(usize, usize)>,
    pub(super) selected: usize,
    /// First row on screen; adjusted while drawing to keep the selection visible.
    pub(super) offset: Cell<usize>,
    /// Rows the list showed in the last frame (for paging).
    pub(super) viewport: Cell<usize>,
    /// The list's width in the last frame (expanded text wraps to it).
    pub(super) list_width: Cell<usize>,
    /// First line of the raw-line popup on screen.
    pub(super) raw_scroll: Cell<usize>,
    /// The raw log line of the selected entry is shown over the timeline.
    pub(super) show_raw: bool,
    /// A note shown under the header (`2 runs share this id …`).
    pub(super) note: Option<String>,
}

impl TimelineView {
    pub fn new(run: AgentRun) -> Self {
        let folded = HashSet::new();
        let expanded = HashSet::new();
        let rows = build_rows(&run, &folded, &expanded, DEFAULT_LIST_WIDTH);
        Self {
            run,
            rows,
            folded,
            expanded,
            selected: 0,
            offset: Cell::new(0),
            viewport: Cell::new(10),
            list_width: Cell::new(DEFAULT_LIST_WIDTH),
            raw_scroll: Cell::new(0),
            show_raw: false,
            note: None,
        }
    }

    /// Adds a line of context under the header.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn run(&self) -> &AgentRun {
        &self.run
    }

    /// Index of the selected row.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The raw log line behind the selected row, if it has one.
    pub fn selected_raw(&self) -> Option<&str> {
        match self.rows.get(self.selected)? {
            RowKind::Turn(t) => self.run.turns[*t].raw.as_deref(),
            RowKind::Step(t, s) | RowKind::Text(t, s, _) | RowKind::Args(t, s) => {
                Some(self.run.turns[*t].steps[*s].raw()).filter(|r| !r.is_empty())
            }
            RowKind::LooseError(e) | RowKind::LooseText(e, _) => {
                Some(self.run.errors[*e].raw.as_str())
            }
        }
    }

    fn rebuild(&mut self) {
        let anchor = self.rows.get(self.selected).cloned();
        self.rows = build_rows(
            &self.run,
            &self.folded,
            &self.expanded,
            self.list_width.get(),
        );
        // Keep the selection on the same entry (or its turn when it was folded away).
        let pos = anchor.and_then(|a| {
            self.rows.iter().position(|r| *r == a).or_else(|| {
                let turn = match a {
                    RowKind::Step(t, _)
                    | RowKind::Text(t, _, _)
                    | RowKind::Args(t, _)
                    | RowKind::Turn(t) => t,
                    RowKind::LooseError(_) | RowKind::LooseText(..) => return None,
                };
                self.rows.iter().position(|r| *r == RowKind::Turn(turn))
            })
        });
        self.selected = pos.unwrap_or(0).min(self.rows.len().saturating_sub(1));
    }

    /// Folds or unfolds a turn, or expands or collapses a message or traceback.
    fn toggle(&mut self) {
        match self.rows.get(self.selected).cloned() {
            Some(RowKind::Turn(t)) => {
                if !self.folded.remove(&t) {
                    self.folded.insert(t);
                }
            }
            Some(RowKind::Step(t, s))
            | Some(RowKind::Text(t, s, _))
            | Some(RowKind::Args(t, s)) => {
                if !expandable(&self.run.turns[t].steps[s], self.list_width.get()) {
                    return;
                }
                if !self.expanded.remove(&(t, s)) {
                    self.expanded.insert((t, s));
                }
                self.selected = self
                    .rows
                    .iter()
                    .position(|r| *r == RowKind::Step(t, s))
                    .unwrap_or(self.selected);
            }
            Some(RowKind::LooseError(e)) | Some(RowKind::LooseText(e, _)) => {
                if self.run.errors[e].traceback.is_none() {
                    return;
                }
                if !self.expanded.remove(&loose_key(e)) {
                    self.expanded.insert(loose_key(e));
                }
                self.selected = self
                    .rows
                    .iter()
                    .position(|r| *r == RowKind::LooseError(e))
                    .unwrap_or(self.selected);
            }
            _ => return,
        }
        self.rebuild();
    }

    /// Moves to the next (`forward`) or previous error, unfolding turns so every error is found.
    fn jump_error(&mut self, forward: bool) {
        if !self.folded.is_empty() {
            self.folded.clear();
            self.rebuild();
        }
        let n = self.rows.len();
        let found = (1..n)
            .map(|k| {
                if forward {
                    (self.selected + k) % n
                } else {
                    (self.selected + n - k) % n
                }
            })
            .find(|&i| is_error(&self.run, &self.rows[i]));
        if let Some(i) = found {
            self.selected = i;
        }
    }

    fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
    }

    /// A key with the default key table (see `handle` for the user's).
    pub fn handle_key(&mut self, key: KeyEvent) -> ViewAction {
        self.handle(KeyMap::defaults(), key)
    }

    /// A key, looked up in the timeline's key table.
    pub fn handle(&mut self, keys: &KeyMap, key: KeyEvent) -> ViewAction {
        match keys.action_in(Screen::Timeline, &key) {
            Some(a) => self.perform(a),
            // the raw-line popup takes every key
            None if self.show_raw => ViewAction::None,
            None => ViewAction::Unhandled,
        }
    }

    /// Applies an action of the timeline's key table; others are `Unhandled`.
    pub fn perform(&mut self, action: Action) -> ViewAction {
        if self.show_raw {
            // the popup scrolls with the movement keys; drawing clamps it to its lines
            let s = self.raw_scroll.get();
            let page = self.viewport.get().max(1) / 2;
            match action {
                Action::Back | Action::RawLine | Action::Fold | Action::Cancel => {
                    self.show_raw = false;
                }
                Action::Down => self.raw_scroll.set(s + 1),
                Action::Up => self.raw_scroll.set(s.saturating_sub(1)),
                Action::PageDown | Action::HalfPageDown => self.raw_scroll.set(s + page),
                Action::PageUp | Action::HalfPageUp => self.raw_scroll.set(s.saturating_sub(page)),
                Action::Top => self.raw_scroll.set(0),
                Action::Bottom => self.raw_scroll.set(usize::MAX / 2),
                _ => {}
            }
            return ViewAction::None;
        }
        let page = self.viewport.get().max(1) as isize;
        match action {
            Action::Back | Action::Cancel => return ViewAction::Close,
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::PageDown => self.move_by(page),
            Action::PageUp => self.move_by(-page),
            Action::HalfPageDown => self.move_by(page / 2),
            Action::HalfPageUp => self.move_by(-page / 2),
            Action::Top => self.selected = 0,
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::Fold => self.toggle(),
            Action::FoldAll => {
                // Fold all turns, or unfold all when every turn is folded.
                if self.folded.len() == self.run.turns.len() {
                    self.folded.clear();
                } else {
                    self.folded = (0..self.run.turns.len()).collect();
                }
                self.rebuild();
            }
            Action::NextError => self.jump_error(true),
            Action::PrevError => self.jump_error(false),
            Action::RawLine => {
                self.show_raw = self.selected_raw().is_some();
                self.raw_scroll.set(0);
            }
            _ => return ViewAction::Unhandled,
        }
        ViewAction::None
    }
}
