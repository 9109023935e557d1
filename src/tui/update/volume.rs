//! The volume histogram: the server's counts, or the loaded lines counted when it cannot;
//! and zooming: choose a span of it (`z`, then h/l, H/L), Enter runs the query over that
//! span, `Z` returns to the range before (a stack, so zooms nest).

use crossterm::event::KeyEvent;

use crate::model::MetricResult;

use super::super::app::{App, Mode, RangeSpec, View};
use super::super::keys::{Action, Screen};
use super::super::layout::layout;
use super::super::msg::Command;
use super::super::volume::{Span, Volume, span_label, step_for};
use super::run_query;

/// Buckets of the volume histogram.
pub const VOLUME_BUCKETS: i64 = 120;

pub fn local_volume(app: &mut App) {
    if let Some(req) = &app.logs.results.req {
        let step = step_for(req.start_ns, req.end_ns, VOLUME_BUCKETS);
        app.volume.histogram = Some(Volume::from_store(
            &app.logs.results.store,
            req.start_ns,
            req.end_ns,
            step,
        ));
    }
}

/// Whether the volume query of the current generation is still running.
pub fn volume_loading(app: &App) -> bool {
    app.volume.pending == Some(app.status.generation)
}

pub fn volume_finished(
    app: &mut App,
    generation: u64,
    result: Result<MetricResult, String>,
) -> Vec<Command> {
    if generation != app.status.generation {
        return Vec::new();
    }
    app.volume.pending = None;
    match result {
        Ok(m) => {
            if let Some(req) = &app.logs.results.req {
                let step = step_for(req.start_ns, req.end_ns, VOLUME_BUCKETS);
                app.volume.histogram =
                    Some(Volume::from_metric(&m, req.start_ns, req.end_ns, step));
            }
        }
        Err(e) => {
            app.volume.error = Some(e);
            if app.status.running.is_none() && app.logs.results.loaded {
                local_volume(app);
            }
        }
    }
    Vec::new()
}

/// `z`: starts choosing a span of the histogram (in the middle of it).
pub fn select(app: &mut App) -> Vec<Command> {
    let n = match (&app.nav.view, &app.volume.histogram) {
        (View::Logs, Some(v)) if !v.counts.is_empty() => v.counts.len(),
        _ => {
            app.status.note = Some("no volume histogram to zoom into".into());
            return Vec::new();
        }
    };
    app.volume.show = true;
    let area = ratatui::layout::Rect::new(0, 0, app.size.width, app.size.height);
    if layout(area, app).volume.is_none() {
        app.status.note = Some("the histogram needs a taller terminal (30 rows)".into());
        return Vec::new();
    }
    app.volume.select = Some(Span::initial(n));
    Vec::new()
}

/// Keys while a span is being chosen: `None` when none is.
pub fn span_key(app: &mut App, k: KeyEvent) -> Option<Vec<Command>> {
    let s = app.volume.select?;
    let n = app.volume.histogram.as_ref().map_or(0, |v| v.counts.len());
    if n == 0 || !matches!(app.nav.view, View::Logs) {
        app.volume.select = None;
        return None;
    }
    let stride = Span::stride(n);
    let set = |app: &mut App, s: Span| {
        app.volume.select = Some(s);
        Vec::new()
    };
    Some(match app.keys.action_in(Screen::Span, &k) {
        Some(Action::CursorLeft) => set(app, s.shifted(-stride, n)),
        Some(Action::CursorRight) => set(app, s.shifted(stride, n)),
        Some(Action::SpanShrink) => set(app, s.resized(-stride, n)),
        Some(Action::SpanGrow) => set(app, s.resized(stride, n)),
        Some(Action::ZoomIn) => zoom_in(app, s),
        Some(Action::ZoomOut) => zoom_out(app),
        Some(Action::Back | Action::Cancel) => {
            app.volume.select = None;
            Vec::new()
        }
        Some(Action::Quit) => super::quit(app),
        Some(Action::Help) => {
            app.mode = Mode::Help;
            Vec::new()
        }
        _ => Vec::new(),
    })
}

/// Runs the query over the chosen span, keeping the range it replaces for `Z`.
fn zoom_in(app: &mut App, s: Span) -> Vec<Command> {
    app.volume.select = None;
    let Some(v) = &app.volume.histogram else {
        return Vec::new();
    };
    let (start_ns, end_ns) = v.span_range(s);
    if end_ns <= start_ns {
        return Vec::new();
    }
    let label = span_label(start_ns, end_ns, app.logs.chart.zone);
    let before = std::mem::replace(
        &mut app.editor.range,
        RangeSpec::Absolute {
            start_ns,
            end_ns,
            label,
        },
    );
    app.volume.zooms.push(before);
    let q = app.editor.query.clone();
    run_query(app, q)
}

/// `Z`: back to the range before the last zoom.
pub fn zoom_out(app: &mut App) -> Vec<Command> {
    app.volume.select = None;
    match app.volume.zooms.pop() {
        Some(r) => {
            app.editor.range = r;
            let q = app.editor.query.clone();
            run_query(app, q)
        }
        None => {
            app.status.note = Some("not zoomed in (z chooses a span to zoom into)".into());
            Vec::new()
        }
    }
}
