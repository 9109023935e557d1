//! Where each panel goes, as a pure function of the screen size and the state, so `update`
//! (page size, mouse clicks) and `render` agree.

use ratatui::layout::Rect;

use super::app::{App, Mode};

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

pub const VOLUME_HEIGHT: u16 = 6;
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
        && area.height >= 18;
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
    if app.logs.details.is_some() {
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
