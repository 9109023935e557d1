//! Counts on screen are worded for the number they hold: `1 key`, `1 step`, never `1 keys`.

use crate::screens::{Q, S, draw, text};
use vs_logs::tui::testkit::{NOW, app, key, lines, load};
use vs_logs::tui::update;

#[test]
fn help_searched_down_to_one_key_says_1_key() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(5, NOW, S));
    update(&mut a, key('?'));
    update(&mut a, key('/'));
    for c in "export".chars() {
        update(&mut a, key(c));
    }
    let s = text(draw(&a).backend().buffer());
    assert!(s.contains(" 1 key "), "{s}");
    assert!(!s.contains("1 keys"), "{s}");
}

#[test]
fn dashboard_help_for_ctrl_c_says_what_it_does() {
    use vs_logs::tui::keys::{KeyMap, Screen};
    let rows = KeyMap::defaults().help_rows(Screen::Dashboard);
    let (_, text) = rows
        .iter()
        .find(|(k, _)| k.contains("ctrl-c"))
        .expect("ctrl-c is listed");
    // ctrl-c on the dashboard quits at once (update::dashboard::perform): the help says so and
    // promises no cancelling.
    assert!(text.starts_with("quit"), "{text}");
    assert!(!text.contains("cancel"), "{text}");
}
