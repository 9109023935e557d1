//! Moving through the results: keys, pages at either end, search, errors, marks, mouse.

use crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::super::app::{App, Mode};
use super::super::input::Edit;
use super::super::layout::{layout, page_rows};
use super::super::msg::{Command, PageKind};
use super::super::store::Level;
use super::{details, query};

/// Keeps the selection and scroll inside the data and the selection on screen.
pub fn clamp(app: &mut App) {
    let len = app.logs.len();
    if len == 0 {
        app.logs.selected = 0;
        app.logs.scroll = 0;
        return;
    }
    app.logs.selected = app.logs.selected.min(len - 1);
    let page = page_rows(app);
    if app.logs.selected < app.logs.scroll {
        app.logs.scroll = app.logs.selected;
    }
    if app.logs.selected >= app.logs.scroll + page {
        app.logs.scroll = app.logs.selected + 1 - page;
    }
    // no empty space below the last row when the data could fill the screen
    app.logs.scroll = app.logs.scroll.min(len.saturating_sub(page));
    let at_newest = app.logs.selected == app.logs.newest_display();
    if let Some(f) = &mut app.follow
        && at_newest
    {
        f.waiting = f.pending.len();
    }
}

fn select(app: &mut App, display: usize) {
    let before = app.logs.selected;
    app.logs.selected = display;
    clamp(app);
    if app.logs.selected != before
        && let Some(d) = &mut app.logs.details
    {
        d.cursor = 0;
        d.context = None;
    }
}

/// Moves the selection; reaching either end asks for the next page there.
pub fn move_by(app: &mut App, delta: isize) -> Vec<Command> {
    if app.logs.is_empty() {
        return Vec::new();
    }
    let last = app.logs.len() - 1;
    let target = (app.logs.selected as isize)
        .saturating_add(delta)
        .clamp(0, last as isize) as usize;
    select(app, target);
    if delta > 0 && app.logs.selected == last {
        let page = if app.logs.newest_first {
            PageKind::Older
        } else {
            PageKind::Newer
        };
        return query::request_page(app, page);
    }
    if delta < 0 && app.logs.selected == 0 {
        let page = if app.logs.newest_first {
            PageKind::Newer
        } else {
            PageKind::Older
        };
        return query::request_page(app, page);
    }
    Vec::new()
}

/// `n` lines were added before the oldest (`n > 0`) or removed from it (`n < 0`).
pub fn shifted_front(app: &mut App, n: isize) {
    let shift = |v: usize| (v as isize + n).max(0) as usize;
    app.logs.marks.retain(|_, s| (*s as isize + n) >= 0);
    for s in app.logs.marks.values_mut() {
        *s = shift(*s);
    }
    if !app.logs.newest_first {
        app.logs.selected = shift(app.logs.selected);
        app.logs.scroll = shift(app.logs.scroll);
    }
    clamp(app);
}

/// `n` lines were added after the newest.
pub fn appended(app: &mut App, n: usize) {
    if app.logs.newest_first {
        app.logs.selected += n;
        app.logs.scroll += n;
    }
    clamp(app);
}

/// Newest first ↔ oldest first. When lines of the range are not loaded, the query runs again
/// from the other end (the oldest line of "last 24h" is a day old, not the oldest of the
/// loaded page); when everything is loaded (or following), the loaded lines turn around,
/// keeping the selected line.
pub fn flip_order(app: &mut App) -> Vec<Command> {
    let res = &app.logs.results;
    let partial = res.loaded && res.metric.is_none() && !(res.older_done && res.newer_done);
    if partial && app.follow.is_none() && !app.editor.query.is_empty() {
        app.logs.newest_first = !app.logs.newest_first;
        let q = app.editor.query.clone();
        let cmds = query::run_query(app, q);
        app.status.note = Some(
            if app.logs.newest_first {
                "newest first: loading from the end of the range"
            } else {
                "oldest first: loading from the start of the range"
            }
            .into(),
        );
        return cmds;
    }
    reverse_loaded(app);
    Vec::new()
}

/// Turns the loaded lines around, keeping the selected line.
pub fn reverse_loaded(app: &mut App) {
    let s = app.logs.store_index(app.logs.selected);
    app.logs.newest_first = !app.logs.newest_first;
    app.logs.selected = app.logs.display_index(s);
    app.logs.scroll = app.logs.selected.saturating_sub(page_rows(app) / 2);
    clamp(app);
}

/// Next/previous line matching the search (`inclusive` starts at the selection).
pub fn find(app: &mut App, forward: bool, inclusive: bool) -> Vec<Command> {
    let Some(pat) = app.logs.search_active.clone() else {
        app.status.note = Some("no search: press / first".into());
        return Vec::new();
    };
    let re = match regex::RegexBuilder::new(&regex::escape(&pat))
        .case_insensitive(!pat.chars().any(char::is_uppercase))
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            app.status.error = Some(e.to_string());
            return Vec::new();
        }
    };
    let test = |row: &super::super::store::Row<'_>| re.is_match(row.line());
    let shown = crate::sanitize::inline(&pat).into_owned();
    let total = count_matches(app, app.logs.len(), &test);
    if total == 0 {
        app.status.note = Some(format!(
            "no match for {shown:?} in the {} loaded",
            plural(app.logs.len(), "line", "lines")
        ));
        return Vec::new();
    }
    match scan(app, forward, inclusive, &test) {
        Some(d) => {
            select(app, d);
            let nth = count_matches(app, d + 1, &test);
            app.status.note = Some(format!("match {nth}/{total} for {shown:?}"));
        }
        None => {
            let (dir, key) = if forward {
                ("below", "N")
            } else {
                ("above", "n")
            };
            app.status.note = Some(format!(
                "no more matches for {shown:?} {dir} ({total} in the loaded lines; {key} goes back)"
            ));
        }
    }
    Vec::new()
}

/// How many of the first `upto` rows (in display order) pass `test`.
fn count_matches(
    app: &App,
    upto: usize,
    test: &impl Fn(&super::super::store::Row<'_>) -> bool,
) -> usize {
    (0..upto.min(app.logs.len()))
        .filter(|&d| {
            app.logs
                .results
                .store
                .get(app.logs.store_index(d))
                .is_some_and(|row| test(&row))
        })
        .count()
}

pub use crate::output::plural;

pub fn search_key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    match app.logs.search.handle(&k) {
        Edit::Submit => {
            app.mode = Mode::Normal;
            let t = app.logs.search.text.clone();
            if t.is_empty() {
                app.logs.search_active = None;
                return Vec::new();
            }
            app.logs.search_active = Some(t);
            find(app, true, true)
        }
        Edit::Cancel => {
            app.mode = Mode::Normal;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

pub fn next_error(app: &mut App, forward: bool) -> Vec<Command> {
    match scan(app, forward, false, &|row| row.level() == Level::Error) {
        Some(d) => select(app, d),
        None => app.status.note = Some("no more errors in the loaded lines".into()),
    }
    Vec::new()
}

/// First display index from the selection (in display order) whose row passes `test`.
fn scan(
    app: &App,
    forward: bool,
    inclusive: bool,
    test: &impl Fn(&super::super::store::Row<'_>) -> bool,
) -> Option<usize> {
    let len = app.logs.len();
    if len == 0 {
        return None;
    }
    let start = app.logs.selected as isize
        + if inclusive {
            0
        } else if forward {
            1
        } else {
            -1
        };
    let step = if forward { 1 } else { -1 };
    let mut d = start;
    while d >= 0 && (d as usize) < len {
        if let Some(row) = app.logs.results.store.get(app.logs.store_index(d as usize))
            && test(&row)
        {
            return Some(d as usize);
        }
        d += step;
    }
    None
}

pub fn mark_key(app: &mut App, set: bool, k: KeyEvent) -> Vec<Command> {
    app.mode = Mode::Normal;
    let KeyCode::Char(c) = k.code else {
        return Vec::new();
    };
    if app.logs.is_empty() {
        return Vec::new();
    }
    if set {
        app.logs
            .marks
            .insert(c, app.logs.store_index(app.logs.selected));
        app.status.note = Some(format!("mark {c} set"));
    } else {
        match app.logs.marks.get(&c).copied() {
            Some(s) if s < app.logs.len() => {
                let d = app.logs.display_index(s);
                select(app, d);
            }
            _ => app.status.note = Some(format!("no mark {c}")),
        }
    }
    Vec::new()
}

pub fn mouse(app: &mut App, m: MouseEvent) -> Vec<Command> {
    let areas = layout(Rect::new(0, 0, app.size.width, app.size.height), app);
    let pos = Position::new(m.column, m.row);
    match m.kind {
        MouseEventKind::ScrollDown => move_by(app, 3),
        MouseEventKind::ScrollUp => move_by(app, -3),
        MouseEventKind::Down(MouseButton::Left) => {
            if let Some(side) = areas.sidebar
                && side.contains(pos)
            {
                let i = usize::from(m.row.saturating_sub(side.y + 1));
                if i < app.scenes.list.len() {
                    app.scenes.cursor = i;
                }
                return Vec::new();
            }
            if let Some(d) = areas.details
                && d.contains(pos)
            {
                let i = usize::from(m.row.saturating_sub(d.y + 1));
                return details::click(app, i);
            }
            let r = areas.results;
            if r.contains(pos) && m.row > r.y && !app.logs.is_empty() {
                let d = app.logs.scroll + usize::from(m.row - r.y - 1);
                if d < app.logs.len() {
                    select(app, d);
                }
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}
