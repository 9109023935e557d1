//! The logs screen: details and field filters, search, errors, marks, resizing.

use super::*;

fn open_details_on(a: &mut App, key_name: &str) {
    update(a, code(KeyCode::Enter));
    let fields = crate::tui::fields::fields_of(&a.logs.selected_row().unwrap());
    let i = fields.iter().position(|f| f.key == key_name).unwrap();
    for _ in 0..i {
        update(a, key('j'));
    }
}

#[test]
fn filter_for_a_json_field_adds_a_label_filter() {
    let mut a = app(120, 40);
    load(&mut a, r#"{app="vulnsentinel"}"#, lines(3, NOW, S));
    // newest first: lines(3) index 2 → the request.end line
    open_details_on(&mut a, "method");
    let cmds = update(&mut a, key('+'));
    let (_, _, req, _) = run_cmd(&cmds).unwrap();
    assert_eq!(req.query, r#"{app="vulnsentinel"} | json | method="POST""#);
    assert_eq!(a.editor.input.text, req.query);
    assert!(a.logs.details.is_none());
    // back returns to the previous query
    let cmds = update(&mut a, code(KeyCode::Backspace));
    assert_eq!(run_cmd(&cmds).unwrap().2.query, r#"{app="vulnsentinel"}"#);
}

#[test]
fn filter_out_a_stream_label_goes_into_the_selector() {
    let mut a = app(120, 40);
    load(&mut a, r#"{app="vulnsentinel"} | json"#, lines(3, NOW, S));
    open_details_on(&mut a, "module");
    let cmds = update(&mut a, key('-'));
    let (_, _, req, _) = run_cmd(&cmds).unwrap();
    assert_eq!(req.query, r#"{app="vulnsentinel", module!="api"} | json"#);
}

#[test]
fn nested_field_uses_the_flattened_name() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(2, NOW, S));
    // newest first: the tool.call line is selected
    open_details_on(&mut a, "args_repo");
    let cmds = update(&mut a, key('+'));
    assert_eq!(
        run_cmd(&cmds).unwrap().2.query,
        r#"{app="vulnsentinel"} | json | args_repo="a/b""#
    );
}

#[test]
fn errors_search_and_marks_navigate() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(20, NOW, S));
    // newest first: display 0 = index 19
    update(&mut a, key('e'));
    assert!(selected_line(&a).contains("agent.failed"));
    let first_err = a.logs.selected;
    update(&mut a, key('e'));
    assert!(a.logs.selected > first_err);
    update(&mut a, key('E'));
    assert_eq!(a.logs.selected, first_err);
    update(&mut a, key('m'));
    update(&mut a, key('x'));
    update(&mut a, key('g'));
    assert_eq!(a.logs.selected, 0);
    update(&mut a, key('\''));
    update(&mut a, key('x'));
    assert_eq!(a.logs.selected, first_err);
    update(&mut a, key('/'));
    for c in "rate limit".chars() {
        update(&mut a, key(c));
    }
    update(&mut a, code(KeyCode::Enter));
    assert!(selected_line(&a).contains("rate limit"));
    let m = a.logs.selected;
    update(&mut a, key('n'));
    assert!(a.logs.selected > m && selected_line(&a).contains("rate limit"));
    update(&mut a, key('N'));
    assert_eq!(a.logs.selected, m);
}

#[test]
fn resize_keeps_the_selection_visible() {
    let mut a = app(120, 60);
    load(&mut a, Q, lines(200, NOW, S));
    for _ in 0..50 {
        update(&mut a, key('j'));
    }
    update(&mut a, Msg::Resize(80, 20));
    let page = crate::tui::layout::page_rows(&a);
    assert!(a.logs.selected >= a.logs.scroll && a.logs.selected < a.logs.scroll + page);
}
