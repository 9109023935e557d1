//! Issue 11.23: `labels NAME` for a parsed field (not a stream label) says so and offers the
//! field's values instead of printing nothing.

use crate::support::bin::{run, vs_logs};

#[test]
fn labels_of_a_parsed_field_says_so_and_offers_values() {
    let o = run(vs_logs().args(["labels", "agent_type", "--demo"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "");
    assert!(o.stderr.contains("parsed field"), "{}", o.stderr);
    assert!(o.stderr.contains("event_classifier"), "{}", o.stderr);
}

#[test]
fn labels_of_an_unknown_name_hints_at_the_label_list() {
    let o = run(vs_logs().args(["labels", "no_such_thing", "--demo"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("no stream label"), "{}", o.stderr);
}
