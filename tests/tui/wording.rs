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
