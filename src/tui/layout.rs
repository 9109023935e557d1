//! Where each panel goes, as a pure function of the screen size and the state, so `update`
//! (page size, mouse clicks) and `render` agree.

use ratatui::layout::Rect;

use super::app::{App, Mode, View};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub title: Rect,
    pub editor: Rect,
    /// Parse error or completion candidates under the editor.
    pub editor_note: Option<Rect>,
    pub volume: Option<Rect>,
    pub sidebar: Option<Rect>,
    /// Header row plus rows.
    pub results: Rect,
    pub details: Option<Rect>,
    pub status: Rect,
}

/// Title, four rows of bars, the marker row and the time axis.
pub const VOLUME_HEIGHT: u16 = 7;
/// Below this many rows the histogram collapses: the lines (or the run) matter more.
pub const VOLUME_MIN_ROWS: u16 = 30;
pub const SIDEBAR_WIDTH: u16 = 34;

pub fn layout(area: Rect, app: &App) -> Areas {
    let mut a = Areas::default();
    let mut y = area.y;
    let mut h = area.height;
    let take = |n: u16, y: &mut u16, h: &mut u16| {
        let n = n.min(*h);
        let r = Rect::new(area.x, *y, area.width, n);
        *y += n;
        *h -= n;
        r
    };
    a.title = take(1, &mut y, &mut h);
    a.editor = take(1, &mut y, &mut h);
    if app.editor.query_error.is_some() || app.editor.completion.is_some() {
        a.editor_note = Some(take(1, &mut y, &mut h));
    }
    let want_volume = app.volume.show
        && (app.volume.histogram.is_some() || app.volume.error.is_some())
        && area.height >= VOLUME_MIN_ROWS;
    if want_volume {
        a.volume = Some(take(VOLUME_HEIGHT, &mut y, &mut h));
    }
    let status_h = 1.min(h);
    let mut main = take(h - status_h, &mut y, &mut h);
    a.status = take(status_h, &mut y, &mut h);
    if app.mode == Mode::Scenes && main.width > SIDEBAR_WIDTH + 20 {
        a.sidebar = Some(Rect::new(main.x, main.y, SIDEBAR_WIDTH, main.height));
        main.x += SIDEBAR_WIDTH;
        main.width -= SIDEBAR_WIDTH;
    }
    // the details pane belongs to the results; a view over them (context) hides it
    if app.logs.details.is_some() && matches!(app.nav.view, View::Logs) {
        if main.width >= 120 {
            let w = main.width / 2;
            a.details = Some(Rect::new(main.x + main.width - w, main.y, w, main.height));
            main.width -= w;
        } else {
            let dh = main.height / 2;
            a.details = Some(Rect::new(main.x, main.y + main.height - dh, main.width, dh));
            main.height -= dh;
        }
    }
    a.results = main;
    a
}

/// Rows of lines visible in the results (header excluded).
pub fn page_rows(app: &App) -> usize {
    let a = layout(Rect::new(0, 0, app.size.width, app.size.height), app);
    usize::from(a.results.height.saturating_sub(1)).max(1)
}

/// Where the help overlay goes: its box, whether it uses two columns, and how many key rows
/// each column shows (the rest scrolls).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelpBox {
    pub area: Rect,
    pub two_columns: bool,
    pub list_height: usize,
}

/// The help overlay for `rows` key rows on `area`; `filter_line` when the search line shows.
/// Two columns only on a wide screen where they fit without scrolling; otherwise one column
/// that scrolls, so a terminal from 80x24 up reaches every key.
pub fn help_box(area: Rect, rows: usize, filter_line: bool) -> HelpBox {
    let extra = 2 + u16::from(filter_line);
    let rows16 = u16::try_from(rows).unwrap_or(u16::MAX);
    let two_columns = rows16.saturating_add(extra) > area.height
        && area.width >= 150
        && rows16.div_ceil(2).saturating_add(extra) <= area.height;
    let per_col = if two_columns {
        rows16.div_ceil(2)
    } else {
        rows16
    };
    let w = area.width.min(if two_columns { 172 } else { 86 });
    let h = area
        .height
        .min(per_col.saturating_add(extra).max(extra + 1));
    HelpBox {
        area: Rect::new(
            area.x + (area.width - w) / 2,
            area.y + (area.height - h) / 2,
            w,
            h,
        ),
        two_columns,
        list_height: usize::from(h.saturating_sub(extra)),
    }
}

/// The help overlay of the app as it stands (the same box `render` draws).
pub fn app_help_box(app: &App) -> (HelpBox, usize) {
    let rows = app.help.rows(&app.keys, app.key_screen()).len();
    let area = Rect::new(0, 0, app.size.width, app.size.height);
    (help_box(area, rows, app.help.filter_shown()), rows)
}
