//! The dashboard screen inside the explorer: open it (`D` from the logs, or at start), run its
//! panels as one generation of parallel queries, take their answers, re-plan on resize, range
//! change and auto-refresh, and open a panel's query in the explorer.

use crossterm::event::KeyEvent;

use super::super::app::{App, Mode, View};
use super::super::dash::{DashState, DashboardStart, zone};
use super::super::keys::{Action, Screen};
use super::super::msg::Command;
use super::run_query;
use crate::dashboard::{overview, resolve_vars};
use crate::logql::quote;
use crate::model::QueryOutput;

/// Opens `start` on the dashboard screen and starts its queries.
pub fn open_with(app: &mut App, start: DashboardStart) -> Vec<Command> {
    app.nav.view = View::Dashboard(Box::new(DashState::new(start)));
    fetch(app)
}

/// The dashboard key on the logs screen: back to the dashboard left, or the built-in
/// overview.
pub fn open(app: &mut App) -> Vec<Command> {
    app.nav.from_dashboard = false;
    if let Some(d) = app.nav.dashboard.take() {
        app.nav.view = View::Dashboard(d);
        return fetch(app);
    }
    let d = match overview() {
        Ok(d) => d,
        Err(e) => {
            app.status.error = Some(e.to_string());
            return Vec::new();
        }
    };
    let vars = match resolve_vars(&d.variables, &[]) {
        Ok(v) => v,
        Err(e) => {
            app.status.error = Some(e.to_string());
            return Vec::new();
        }
    };
    open_with(
        app,
        DashboardStart {
            dashboard: d,
            skipped: Vec::new(),
            vars,
            refresh_ms: None,
            zone: zone(false),
        },
    )
}

fn state(app: &mut App) -> Option<&mut DashState> {
    match &mut app.nav.view {
        View::Dashboard(d) => Some(d),
        _ => None,
    }
}

/// Plans and starts a new generation of panel queries over the editor's range.
pub fn fetch(app: &mut App) -> Vec<Command> {
    let (start_ns, end_ns) = app.editor.range.resolve(app.now_ns);
    let (w, h) = (app.size.width, app.size.height);
    let Some(d) = state(app) else {
        return Vec::new();
    };
    let (generation, queries) = d.replan(start_ns, end_ns, w, h);
    let mut cmds = vec![Command::FetchPanels {
        generation,
        queries,
    }];
    if let Some(after_ms) = d.refresh_ms {
        cmds.push(Command::ScheduleRefresh {
            generation,
            after_ms,
        });
    }
    cmds
}

/// One panel query answered.
pub fn finished(
    app: &mut App,
    generation: u64,
    index: usize,
    result: Result<QueryOutput, String>,
) -> Vec<Command> {
    let d = match (&mut app.nav.view, &mut app.nav.dashboard) {
        (View::Dashboard(d), _) | (_, Some(d)) => d,
        _ => return Vec::new(),
    };
    d.finished(generation, index, result);
    Vec::new()
}

/// The auto-refresh timer fired: run again if it belongs to the generation on screen.
pub fn refresh(app: &mut App, generation: u64) -> Vec<Command> {
    match state(app) {
        Some(d) if d.generation == generation => fetch(app),
        _ => Vec::new(),
    }
}

/// The terminal changed size: panel widths (so steps) changed.
pub fn resized(app: &mut App) -> Vec<Command> {
    if state(app).is_some() {
        fetch(app)
    } else {
        Vec::new()
    }
}

/// A key while the dashboard is open; `None` when another screen has the keys.
pub fn key(app: &mut App, k: KeyEvent) -> Option<Vec<Command>> {
    if app.nav.screen() != Screen::Dashboard {
        return None;
    }
    Some(match app.keys.action_in(Screen::Dashboard, &k) {
        Some(a) => perform(app, a),
        None => Vec::new(),
    })
}

fn set_range(app: &mut App, label: &str, ns: i64) -> Vec<Command> {
    app.editor.range = app.last_range(label, ns);
    fetch(app)
}

/// Leaves the dashboard for the explorer, keeping it for the dashboard key.
fn leave(app: &mut App) {
    if let View::Dashboard(d) = std::mem::take(&mut app.nav.view) {
        app.nav.dashboard = Some(d);
    }
}

/// Runs one action of the dashboard's key table.
pub fn perform(app: &mut App, action: Action) -> Vec<Command> {
    const MIN: i64 = 60_000_000_000;
    match action {
        Action::Quit | Action::Cancel => super::quit(app),
        Action::Back => {
            leave(app);
            app.nav.from_dashboard = false;
            if app.editor.query.is_empty() {
                let q = format!("{{app={}}}", quote(&app.app_label));
                app.editor.input.set(q.clone());
                return run_query(app, q);
            }
            Vec::new()
        }
        Action::Down => {
            if let Some(d) = state(app) {
                d.move_focus(1);
            }
            Vec::new()
        }
        Action::Up => {
            if let Some(d) = state(app) {
                d.move_focus(-1);
            }
            Vec::new()
        }
        Action::CursorLeft | Action::CursorRight => {
            if let Some(d) = state(app) {
                d.move_cursor(if action == Action::CursorLeft { -1 } else { 1 });
            }
            Vec::new()
        }
        Action::OpenPanel => {
            let Some((q, title)) = state(app).and_then(|d| d.explore()) else {
                return Vec::new();
            };
            leave(app);
            app.nav.from_dashboard = true;
            app.editor.input.set(q.clone());
            let cmds = run_query(app, q);
            app.status.note = Some(format!("{title}: esc returns to the dashboard"));
            cmds
        }
        Action::Refresh => fetch(app),
        Action::CustomRange => {
            super::range_prompt(app);
            Vec::new()
        }
        Action::Range5m => set_range(app, "5m", 5 * MIN),
        Action::Range15m => set_range(app, "15m", 15 * MIN),
        Action::Range1h => set_range(app, "1h", 60 * MIN),
        Action::Range6h => set_range(app, "6h", 360 * MIN),
        Action::Range12h => set_range(app, "12h", 720 * MIN),
        Action::Range24h => set_range(app, "24h", 1440 * MIN),
        Action::Range7d => set_range(app, "7d", 7 * 1440 * MIN),
        Action::Help => {
            app.mode = Mode::Help;
            Vec::new()
        }
        _ => Vec::new(),
    }
}
