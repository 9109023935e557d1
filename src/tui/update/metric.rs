//! Keys on a metric result: the time cursor (`[`/`]`), chart or table of steps (`T`), a
//! series chosen in the legend (j/k) and hidden or shown (space); in the table, j/k and the
//! page keys scroll the steps.

use super::super::app::App;
use super::super::chart::{clamp_scroll, step_rows_shown, step_times};
use super::super::keys::Action;
use super::super::layout::layout;
use super::super::metric::named_series;
use super::super::msg::Command;

/// The action on the metric result shown: `None` when none is, or the action is not its own.
pub fn perform(app: &mut App, action: Action) -> Option<Vec<Command>> {
    let m = app.logs.results.metric.as_ref()?;
    let series = named_series(m);
    let chart = &mut app.logs.chart;
    match action {
        Action::CursorLeft | Action::CursorRight => {
            let (s, e) = match &app.logs.results.req {
                Some(r) => (r.start_ns, r.end_ns),
                None => app.editor.range.resolve(app.now_ns),
            };
            let by = if action == Action::CursorLeft { -1 } else { 1 };
            chart.move_cursor(by, s, e);
        }
        Action::ToggleTable => chart.table = !chart.table,
        Action::ToggleSeries if !chart.table => chart.toggle_selected(&series),
        Action::Up | Action::Down if !chart.table => {
            let last = series.len().saturating_sub(1);
            chart.selected = match action {
                Action::Up => chart.selected.min(last).saturating_sub(1),
                _ => (chart.selected + 1).min(last),
            };
        }
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => {
            let shown: Vec<_> = series.into_iter().filter(|s| !chart.is_hidden(s)).collect();
            let rows = step_times(&shown).len();
            let area = ratatui::layout::Rect::new(0, 0, app.size.width, app.size.height);
            let height = layout(area, app).results.height;
            let page = step_rows_shown(height) as isize;
            let by = match action {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -page,
                Action::PageDown => page,
                Action::Top => isize::MIN / 2,
                _ => isize::MAX / 2,
            };
            let chart = &mut app.logs.chart;
            let wanted = chart.scroll.saturating_add_signed(by);
            chart.scroll = clamp_scroll(wanted, rows, height);
        }
        _ => return None,
    }
    Some(Vec::new())
}
