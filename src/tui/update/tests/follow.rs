//! Follow mode.

use super::*;

fn start_follow(a: &mut App, capacity: usize) -> u64 {
    a.logs.buffer_lines = capacity;
    a.editor.query = Q.into();
    let cmds = update(a, key('F'));
    match cmds.iter().find(|c| matches!(c, Command::StartTail { .. })) {
        Some(Command::StartTail { generation, opts }) => {
            assert_eq!(opts.query, Q);
            *generation
        }
        _ => panic!("no StartTail in {cmds:?}"),
    }
}

#[test]
fn follow_sticks_to_newest_then_counts_waiting_lines_and_bounds_the_buffer() {
    let mut a = app(120, 40);
    let g = start_follow(&mut a, 100);
    update(
        &mut a,
        Msg::TailBatch {
            generation: g,
            events: vec![TailEvent::Entries(lines(60, NOW, S))],
        },
    );
    assert_eq!(a.logs.len(), 60);
    assert_eq!(a.logs.selected, 0);
    assert!(
        selected_line(&a).contains(
            &chrono::DateTime::from_timestamp_nanos(NOW)
                .format("%H:%M:%S")
                .to_string()
        )
    );
    // scroll away from the newest
    update(&mut a, key('j'));
    update(&mut a, key('j'));
    let watched = selected_line(&a);
    update(
        &mut a,
        Msg::TailBatch {
            generation: g,
            events: vec![TailEvent::Entries(lines(60, NOW + 100 * S, S))],
        },
    );
    assert_eq!(a.logs.len(), 100);
    let f = a.follow.as_ref().unwrap();
    assert_eq!(f.waiting, 60);
    assert_eq!(f.dropped, 20);
    assert_eq!(selected_line(&a), watched);
    // going back to the newest clears the counter
    update(&mut a, key('g'));
    assert_eq!(a.follow.as_ref().unwrap().waiting, 0);
    // a stale tail (an earlier follow) is ignored
    update(
        &mut a,
        Msg::TailBatch {
            generation: g - 1,
            events: vec![TailEvent::Entries(lines(5, NOW + 500 * S, S))],
        },
    );
    assert_eq!(a.logs.len(), 100);
}

#[test]
fn follow_pause_resume_and_clear() {
    let mut a = app(120, 40);
    let g = start_follow(&mut a, 1000);
    update(&mut a, key('p'));
    update(
        &mut a,
        Msg::TailBatch {
            generation: g,
            events: vec![TailEvent::Entries(lines(10, NOW, S))],
        },
    );
    assert_eq!(a.logs.len(), 0);
    assert_eq!(a.follow.as_ref().unwrap().waiting, 10);
    update(&mut a, key('p'));
    assert_eq!(a.logs.len(), 10);
    assert_eq!(a.follow.as_ref().unwrap().waiting, 0);
    update(&mut a, key('C'));
    assert_eq!(a.logs.len(), 0);
    let cmds = update(&mut a, key('F'));
    assert_eq!(cmds, vec![Command::StopTail]);
    assert!(a.follow.is_none());
}

#[test]
fn follow_burst_of_a_thousand_lines_is_one_message() {
    let mut a = app(120, 40);
    let g = start_follow(&mut a, 100_000);
    let cmds = update(
        &mut a,
        Msg::TailBatch {
            generation: g,
            events: vec![TailEvent::Entries(lines(1000, NOW, 1_000_000))],
        },
    );
    assert!(cmds.is_empty());
    assert_eq!(a.logs.len(), 1000);
    assert_eq!(a.logs.selected, 0);
}

#[test]
fn a_failed_tail_leaves_follow_mode_and_reloads_the_results() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(5, NOW, S));
    let g = start_follow(&mut a, 100);
    assert!(a.logs.is_empty());
    let cmds = update(
        &mut a,
        Msg::TailBatch {
            generation: g,
            events: vec![TailEvent::Failed("no websocket".into(), 3)],
        },
    );
    assert!(a.follow.is_none());
    assert_eq!(cmds[0], Command::StopTail);
    assert_eq!(run_cmd(&cmds).unwrap().2.query, Q);
    assert_eq!(
        a.status.error.as_deref(),
        Some("follow stopped: no websocket")
    );
}
