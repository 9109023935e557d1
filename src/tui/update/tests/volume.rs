//! Zooming on the volume histogram: choose a span, Enter narrows the range, `Z` goes back.

use super::super::super::app::RangeSpec;
use super::super::super::keys::Screen;
use super::super::super::volume::Span;
use super::*;
use crate::model::MetricResult;

const H: i64 = 3600 * S;
/// The histogram's step over the default hour: 120 buckets of 30 s.
const STEP: i64 = 30 * S;

/// Lines loaded over the last hour and the (empty) volume answer in: 120 buckets.
fn with_histogram() -> App {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(30, NOW, 60 * S));
    let g = a.status.generation;
    update(
        &mut a,
        Msg::VolumeFinished {
            generation: g,
            result: Ok(MetricResult::Matrix(Vec::new())),
        },
    );
    assert_eq!(
        a.volume.histogram.as_ref().map(|v| v.counts.len()),
        Some(120)
    );
    a
}

fn range_of(cmds: &[Command]) -> (i64, i64) {
    let (_, _, req, _) = run_cmd(cmds).expect("the query runs again");
    (req.start_ns, req.end_ns)
}

#[test]
fn a_chosen_span_moves_and_resizes_by_keys() {
    let mut a = with_histogram();
    update(&mut a, key('z'));
    assert_eq!(a.volume.select, Some(Span { lo: 52, hi: 66 }));
    assert_eq!(a.key_screen(), Screen::Span);
    // h/l move by two buckets (a sixtieth of 120), H/L move the end
    update(&mut a, key('l'));
    assert_eq!(a.volume.select, Some(Span { lo: 54, hi: 68 }));
    update(&mut a, code(KeyCode::Left));
    update(&mut a, key('h'));
    assert_eq!(a.volume.select, Some(Span { lo: 50, hi: 64 }));
    update(&mut a, key('L'));
    assert_eq!(a.volume.select, Some(Span { lo: 50, hi: 66 }));
    update(&mut a, key('H'));
    update(&mut a, key('H'));
    assert_eq!(a.volume.select, Some(Span { lo: 50, hi: 62 }));
    // `h` hides a field on the logs screen: while choosing, it moved the span instead
    assert!(a.logs.hidden_fields.is_empty());
    // `?` shows the span's own keys (from its key table)
    update(&mut a, key('?'));
    assert_eq!(a.mode, Mode::Help);
    let rows = a.help.rows(&a.keys, a.key_screen());
    assert!(rows.contains(&("H".to_string(), "narrow the span (its end earlier)")));
    update(&mut a, code(KeyCode::Esc));
    assert_eq!(a.mode, Mode::Normal);
    // Esc leaves without running anything
    let cmds = update(&mut a, code(KeyCode::Esc));
    assert!(cmds.is_empty());
    assert_eq!(a.volume.select, None);
    assert_eq!(a.key_screen(), Screen::Logs);
}

#[test]
fn enter_narrows_the_range_and_zoom_out_restores_it() {
    let mut a = with_histogram();
    let start = NOW - H;
    update(&mut a, key('z'));
    update(&mut a, key('l'));
    let cmds = update(&mut a, code(KeyCode::Enter));
    // buckets 54..=68: from 54 steps in to the end of bucket 68
    assert_eq!(range_of(&cmds), (start + 54 * STEP, start + 69 * STEP));
    assert_eq!(a.volume.select, None);
    assert_eq!(a.volume.zooms.len(), 1);
    match &a.editor.range {
        RangeSpec::Absolute { label, .. } => assert!(label.contains(" – "), "{label}"),
        other => panic!("{other:?}"),
    }
    // a zoom inside the zoom: the stack keeps both ranges
    load(&mut a, Q, lines(5, start + 60 * STEP, S));
    let g = a.status.generation;
    update(
        &mut a,
        Msg::VolumeFinished {
            generation: g,
            result: Ok(MetricResult::Matrix(Vec::new())),
        },
    );
    update(&mut a, key('z'));
    let inner = update(&mut a, code(KeyCode::Enter));
    let (s2, e2) = range_of(&inner);
    assert!(
        s2 > start + 54 * STEP && e2 < start + 69 * STEP,
        "{s2} {e2}"
    );
    assert_eq!(a.volume.zooms.len(), 2);
    // Z: back to the first zoom's range, then to the last hour
    let out = update(&mut a, key('Z'));
    assert_eq!(range_of(&out), (start + 54 * STEP, start + 69 * STEP));
    let out = update(&mut a, key('Z'));
    assert_eq!(range_of(&out), (start, NOW));
    assert_eq!(a.editor.range, RangeSpec::last("1h", H));
    // nothing left to zoom out of: said, not run
    let none = update(&mut a, key('Z'));
    assert!(run_cmd(&none).is_none());
    assert!(
        a.status
            .note
            .as_deref()
            .unwrap_or("")
            .contains("not zoomed")
    );
}

#[test]
fn no_span_without_a_histogram_or_room_for_it() {
    let mut a = app(120, 40);
    load(&mut a, Q, lines(3, NOW, S));
    update(&mut a, key('z'));
    assert_eq!(a.volume.select, None);
    assert!(a.status.note.as_deref().unwrap_or("").contains("no volume"));
    let mut small = with_histogram();
    small.size.height = 20;
    update(&mut small, key('z'));
    assert_eq!(small.volume.select, None);
    assert!(
        small
            .status
            .note
            .as_deref()
            .unwrap_or("")
            .contains("taller")
    );
}
