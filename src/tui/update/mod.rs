//! `update(&mut App, Msg) -> Vec<Command>`: every state change, with no I/O and no terminal,
//! so it is tested directly. Split like `App`'s parts: `query` (runs, pages), `editor` and
//! `complete` (the editor), `prompt`, `scenes`, `logs` (moving, search, marks, mouse) and
//! `details` (the logs screen), `volume`, `follow`, `agent` (the agent screens). This module
//! dispatches messages and the logs screen's key-table actions, and handles status and `back`.

mod agent;
mod complete;
mod context;
pub mod dashboard;
mod details;
mod drill;
mod editor;
mod follow;
mod help;
mod logs;
mod metric;
mod prompt;
mod query;
mod scenes;
mod volume;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub use logs::plural;
pub use prompt::EXPORT_PAGE;
pub use query::{page_entries, parse_since, run_query};
pub use scenes::choose_scene;
pub use volume::volume_loading;

use super::app::{App, Mode, Prompt, PromptKind};
use super::input::TextInput;
use super::keys::Action;
use super::layout::page_rows;
use super::msg::{Command, Msg};

/// Applies one message; returns the work the loop must start.
pub fn update(app: &mut App, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Key(k) if k.kind == KeyEventKind::Release => Vec::new(),
        Msg::Key(k) => key(app, k),
        Msg::Mouse(m) => logs::mouse(app, m),
        Msg::Paste(s) => editor::paste(app, &s),
        Msg::Resize(w, h) => {
            app.size.width = w;
            app.size.height = h;
            logs::clamp(app);
            dashboard::resized(app)
        }
        Msg::QueryFinished {
            generation,
            page,
            result,
        } => query::finished(app, generation, page, result),
        Msg::QueryProgress {
            generation,
            entries,
        } => {
            if generation == app.status.generation {
                app.logs.results.progress = entries;
            }
            Vec::new()
        }
        Msg::VolumeFinished { generation, result } => {
            volume::volume_finished(app, generation, result)
        }
        Msg::LabelsFinished(r) => {
            match r {
                Ok(v) => app.editor.label_names = Some(v),
                Err(e) => {
                    app.status.note = Some(format!("could not list labels: {e}"));
                    complete::abandon(app);
                }
            }
            complete::refresh_completion(app);
            Vec::new()
        }
        Msg::LabelValuesFinished { name, result } => {
            match result {
                Ok(v) => {
                    app.editor.label_values.insert(name, v);
                }
                Err(e) => {
                    app.status.note = Some(format!("could not list values of {name}: {e}"));
                    complete::abandon(app);
                }
            }
            complete::refresh_completion(app);
            Vec::new()
        }
        Msg::ContextFinished { generation, result } => context::finished(app, generation, result),
        Msg::TailBatch { generation, events } => follow::batch(app, generation, events),
        Msg::ExportProgress(n) => {
            if app.status.exporting.is_some() {
                app.status.exporting = Some(n);
            }
            Vec::new()
        }
        Msg::ExportFinished(r) => {
            app.status.exporting = None;
            match r {
                Ok(note) => app.status.note = Some(note),
                Err(e) => app.status.error = Some(e),
            }
            Vec::new()
        }
        Msg::AgentFinished {
            generation,
            agent_id,
            start_ns,
            result,
        } => agent::finished(app, generation, agent_id, start_ns, result),
        Msg::PatternsFinished { generation, result } => drill::finished(app, generation, result),
        Msg::FieldsFinished { generation, result } => {
            drill::fields_finished(app, generation, result)
        }
        Msg::PanelFinished {
            generation,
            index,
            result,
        } => dashboard::finished(app, generation, index, result),
        Msg::DashboardRefresh { generation } => dashboard::refresh(app, generation),
        Msg::Tick => {
            if app.status.busy() {
                app.status.spinner = app.status.spinner.wrapping_add(1);
            }
            Vec::new()
        }
    }
}

fn key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    let ctrl_c = k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl_c && app.mode != Mode::Normal && app.status.running.is_some() {
        // Ctrl-C cancels a running query first, whatever has the keys
        return cancel(app);
    }
    // A message answers the action before it: the next key clears it (an error included).
    app.status.note = None;
    app.status.error = None;
    match app.mode {
        Mode::Normal => {
            if let Some(c) = volume::span_key(app, k) {
                return c;
            }
            if let Some(c) = drill::key(app, k) {
                return c;
            }
            if let Some(c) = context::key(app, k) {
                return c;
            }
            if let Some(c) = dashboard::key(app, k) {
                return c;
            }
            if let Some(c) = agent::key(app, k) {
                return c;
            }
            match app.keys.action(&k) {
                Some(a) => perform(app, a),
                None => Vec::new(),
            }
        }
        Mode::Help => {
            if ctrl_c {
                return perform(app, Action::Cancel);
            }
            help::key(app, k)
        }
        Mode::EditQuery => editor::editor_key(app, k),
        Mode::Search => logs::search_key(app, k),
        Mode::Prompt(_) => prompt::prompt_key(app, k),
        Mode::Scenes => scenes::scenes_key(app, k),
        Mode::Mark { set } => logs::mark_key(app, set, k),
    }
}

pub(super) fn quit(app: &mut App) -> Vec<Command> {
    app.quit = true;
    let mut c = Vec::new();
    if app.status.running.is_some() {
        c.push(Command::CancelQuery);
    }
    if app.follow.is_some() {
        c.push(Command::StopTail);
    }
    c.push(Command::Quit);
    c
}

/// Cancels the running query; the loaded results stay.
fn cancel(app: &mut App) -> Vec<Command> {
    app.status.running = None;
    // results that still arrive for this generation are stale now
    app.status.generation += 1;
    app.status.note = Some("query cancelled".into());
    vec![Command::CancelQuery]
}

fn set_range(app: &mut App, label: &str, ns: i64) -> Vec<Command> {
    app.editor.range = app.last_range(label, ns);
    let q = app.editor.input.text.clone();
    run_query(app, q)
}

fn prompt(app: &mut App, kind: PromptKind, label: &str, text: &str) {
    app.mode = Mode::Prompt(Prompt {
        kind,
        label: label.to_string(),
        input: TextInput::new(text),
    });
}

/// Asks for a custom range (the explorer's and the dashboard's `t`; `prompt::parse_range`).
pub(super) fn range_prompt(app: &mut App) {
    prompt(
        app,
        PromptKind::Range,
        "range (e.g. 90m, or now-3h .. now-1h)",
        "",
    );
}

/// Runs one action of the key table (also used by tests and the mouse).
pub fn perform(app: &mut App, action: Action) -> Vec<Command> {
    const MIN: i64 = 60_000_000_000;
    let page = page_rows(app) as isize;
    if let Some(c) = metric::perform(app, action) {
        return c;
    }
    match action {
        Action::Quit => quit(app),
        Action::Cancel if app.status.running.is_some() => cancel(app),
        Action::Cancel => quit(app),
        Action::Up if app.logs.details.is_some() => details::move_cursor(app, -1),
        Action::Down if app.logs.details.is_some() => details::move_cursor(app, 1),
        Action::Up => logs::move_by(app, -1),
        Action::Down => logs::move_by(app, 1),
        Action::PageUp => logs::move_by(app, -page),
        Action::PageDown => logs::move_by(app, page),
        Action::Top => logs::move_by(app, isize::MIN / 2),
        Action::Bottom => logs::move_by(app, isize::MAX / 2),
        Action::EditQuery => {
            app.mode = Mode::EditQuery;
            app.editor.input.cursor = app.editor.input.text.len();
            Vec::new()
        }
        Action::Search => {
            app.mode = Mode::Search;
            app.logs.search = TextInput::default();
            Vec::new()
        }
        Action::NextMatch => logs::find(app, true, false),
        Action::PrevMatch => logs::find(app, false, false),
        Action::NextError => logs::next_error(app, true),
        Action::PrevError => logs::next_error(app, false),
        Action::SetMark => {
            app.mode = Mode::Mark { set: true };
            Vec::new()
        }
        Action::JumpMark => {
            app.mode = Mode::Mark { set: false };
            Vec::new()
        }
        Action::Details => details::toggle(app),
        Action::FocusScenes => {
            app.mode = Mode::Scenes;
            Vec::new()
        }
        Action::ToggleWrap => {
            app.logs.wrap = !app.logs.wrap;
            Vec::new()
        }
        Action::TogglePretty => {
            app.logs.pretty = !app.logs.pretty;
            Vec::new()
        }
        Action::ToggleOrder => logs::flip_order(app),
        Action::ToggleVolume => {
            app.volume.show = !app.volume.show;
            Vec::new()
        }
        Action::ShowAllFields => {
            app.logs.hidden_fields.clear();
            Vec::new()
        }
        Action::HideField
        | Action::FilterFor
        | Action::FilterOut
        | Action::CopyValue
        | Action::ShowContext => details::field_action(app, action),
        Action::CopyLine => details::copy_line(app),
        Action::PivotAgent => details::pivot(app),
        Action::Agents => agent::fetch(app, "", None),
        Action::Patterns => drill::open(app),
        Action::ContextView => context::open(app),
        // the context view's own actions (`context::perform`)
        Action::ContextMore | Action::ContextLess | Action::WidenSelector | Action::KeepFilters => {
            Vec::new()
        }
        Action::Fields => drill::open_fields(app),
        Action::Dashboard => dashboard::open(app),
        Action::Back => back(app),
        Action::Follow => follow::toggle(app),
        Action::Pause => follow::pause(app),
        Action::Clear => follow::clear(app),
        Action::Export => {
            let label = prompt::export_label(app, &PromptKind::Export);
            prompt(app, PromptKind::Export, &label, "vs-logs-export.jsonl");
            Vec::new()
        }
        Action::Refresh => {
            let q = app.editor.input.text.clone();
            run_query(app, q)
        }
        Action::CustomRange => {
            range_prompt(app);
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
        // the agent screens' own actions (`agent::perform`)
        Action::Fold
        | Action::FoldAll
        | Action::RawLine
        | Action::HalfPageUp
        | Action::HalfPageDown
        | Action::OpenRun
        | Action::SortStart
        | Action::SortDuration
        | Action::SortCost
        | Action::SortTokens
        | Action::SortStatus
        | Action::FilterStatus
        | Action::FilterType => Vec::new(),
        // the dashboard's own actions (`dashboard::perform`)
        Action::OpenPanel => Vec::new(),
        // a metric result's own (`metric::perform`); nothing on log lines
        Action::CursorLeft | Action::CursorRight | Action::ToggleTable | Action::ToggleSeries => {
            Vec::new()
        }
        Action::ZoomSelect => volume::select(app),
        Action::ZoomOut => volume::zoom_out(app),
        // the span selection's own actions (`volume::span_key`)
        Action::ZoomIn | Action::SpanGrow | Action::SpanShrink => Vec::new(),
    }
}

/// Esc/backspace: close the details, clear the search, go back to the previous query, or
/// back to the dashboard a panel was explored from.
fn back(app: &mut App) -> Vec<Command> {
    if app.logs.details.is_some() {
        app.logs.details = None;
        return Vec::new();
    }
    if app.logs.search_active.is_some() {
        app.logs.search_active = None;
        return Vec::new();
    }
    match app.nav.back.pop() {
        Some((q, r)) => {
            app.editor.range = r;
            app.editor.input.set(q.clone());
            let c = run_query(app, q);
            // run_query pushed nothing onto `back`; the popped entry is consumed
            c
        }
        None if app.nav.from_dashboard => dashboard::open(app),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests;
