//! The editor: scenes, history, completion.

use super::*;

#[test]
fn scene_with_a_parameter_asks_for_it() {
    let mut a = app(120, 40);
    update(&mut a, key('s'));
    assert_eq!(a.mode, Mode::Scenes);
    update(&mut a, key('j'));
    update(&mut a, code(KeyCode::Enter));
    let Mode::Prompt(p) = &a.mode else {
        panic!("expected a prompt, got {:?}", a.mode)
    };
    assert!(p.label.starts_with("agent_id"));
    for c in "ag-456".chars() {
        update(&mut a, key(c));
    }
    update(&mut a, code(KeyCode::Enter));
    assert_eq!(a.mode, Mode::Normal);
    // the scene renders through `crate::scenes`: either it ran, or its error is shown
    assert!(
        a.status.running.is_some()
            || a.status
                .error
                .as_deref()
                .is_some_and(|e| e.starts_with("scene replay"))
    );
}

#[test]
fn history_browsing_in_the_editor() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(1, NOW, S));
    load(&mut a, r#"{app="b"}"#, lines(1, NOW, S));
    update(&mut a, key('i'));
    update(&mut a, code(KeyCode::Up));
    assert_eq!(a.editor.input.text, r#"{app="b"}"#);
    update(&mut a, code(KeyCode::Up));
    assert_eq!(a.editor.input.text, Q);
    update(&mut a, code(KeyCode::Esc));
    assert_eq!(a.mode, Mode::Normal);
}

#[test]
fn completion_of_label_names_and_values() {
    let mut a = app(120, 40);
    update(&mut a, key('i'));
    a.editor.input.set("{mo");
    let cmds = update(&mut a, code(KeyCode::Tab));
    assert!(matches!(cmds[0], Command::FetchLabels { .. }));
    update(
        &mut a,
        Msg::LabelsFinished(Ok(vec!["app".into(), "module".into(), "level".into()])),
    );
    assert_eq!(a.editor.input.text, "{module");
    for c in "=\"a".chars() {
        update(&mut a, key(c));
    }
    assert_eq!(a.editor.input.text, "{module=\"a");
    let cmds = update(&mut a, code(KeyCode::Tab));
    assert!(matches!(&cmds[0], Command::FetchLabelValues { name, .. } if name == "module"));
    update(
        &mut a,
        Msg::LabelValuesFinished {
            name: "module".into(),
            result: Ok(vec!["agent".into(), "api".into(), "db".into()]),
        },
    );
    assert_eq!(a.editor.input.text, "{module=\"agent");
    update(&mut a, code(KeyCode::Tab));
    assert_eq!(a.editor.input.text, "{module=\"api");
}
