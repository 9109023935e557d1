use super::*;

fn fixture_frames(name: &str) -> Vec<String> {
    let path = format!(
        "{}/tests/fixtures/loki-wire/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "frame")
        .map(|e| e["data"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn history_frame_has_entries_oldest_first_with_shared_labels() {
    let frames = fixture_frames("60-tail-history-limit5.json");
    let f = decode_frame(&frames[0]).unwrap();
    assert_eq!(f.entries.len(), 5);
    assert!(f.entries.windows(2).all(|w| w[0].ts <= w[1].ts));
    assert_eq!(f.entries[0].ts, 1_795_593_053_164_764_250);
    assert!(f.entries[0].line.contains("evt-52509"));
    assert_eq!(f.entries[0].label("module"), Some("api"));
    // Identical label sets in consecutive stream objects share one allocation.
    assert!(Arc::ptr_eq(&f.entries[0].labels, &f.entries[1].labels));
    assert_eq!(f.dropped, None);
}

#[test]
fn categorize_labels_fill_metadata_and_parsed() {
    let frames = fixture_frames("62-tail-json-categorize-labels.json");
    let f = decode_frame(&frames[0]).unwrap();
    let e = &f.entries[0];
    assert_eq!(e.labels.get("trace_id"), None);
    assert_eq!(
        e.metadata.get("trace_id").map(String::as_str),
        Some("0af7651916cd43dd8448eb211c80319c")
    );
    assert_eq!(
        e.parsed.get("event").map(String::as_str),
        Some("llm.response")
    );
    assert_eq!(e.label("level_extracted"), Some("info"));
}

#[test]
fn plain_frame_merges_everything_into_stream_labels() {
    let frames = fixture_frames("62b-tail-json-plain.json");
    let f = decode_frame(&frames[0]).unwrap();
    let e = &f.entries[0];
    assert_eq!(e.labels.get("trace_id").map(String::as_str), Some("1111"));
    assert!(e.metadata.is_empty() && e.parsed.is_empty());
}

#[test]
fn burst_frames_hold_at_most_100_entries_and_total_152() {
    let frames = fixture_frames("64-tail-limit2-history-then-burst150.json");
    let counts: Vec<usize> = frames
        .iter()
        .map(|t| decode_frame(t).unwrap().entries.len())
        .collect();
    assert_eq!(counts, vec![2, 100, 50]);
}

#[test]
fn live_lines_keep_escape_bytes_for_the_writer_to_sanitise() {
    let all: Vec<LogEntry> = fixture_frames("61-tail-live-pushes.json")
        .iter()
        .flat_map(|t| decode_frame(t).unwrap().entries)
        .collect();
    assert_eq!(all.len(), 8);
    assert!(all.iter().any(|e| e.line.contains('\u{1b}')));
}

#[test]
fn dropped_entries_give_count_and_span() {
    let text = r#"{"streams":[],"dropped_entries":[
        {"timestamp":"1795594028413653846","labels":"{app=\"x\"}"},
        {"timestamp":"1795594020000000000","labels":"{app=\"y\"}"},
        {"timestamp":"2026-11-25T08:07:30Z","labels":"{app=\"y\"}"}]}"#;
    let f = decode_frame(text).unwrap();
    assert_eq!(
        f.dropped,
        Some(DroppedSpan {
            count: 3,
            from_ns: 1_795_594_020_000_000_000,
            to_ns: 1_795_594_050_000_000_000,
        })
    );
}

/// Moved from `loki::wire`'s tests with the duplicate frame decoder they tested: labels given as
/// an object, as older Loki versions wrote them, and the entry beside the dropped one.
#[test]
fn tail_frame() {
    let f = decode_frame(r#"{"streams":[{"stream":{"a":"b"},"values":[["5","l"]]}],"dropped_entries":[{"timestamp":"3","labels":{"a":"b"}}]}"#).unwrap();
    assert_eq!(f.entries.len(), 1);
    assert_eq!(f.dropped.map(|d| (d.count, d.from_ns)), Some((1, 3)));
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    assert!(decode_frame("not json").is_err());
    assert!(decode_frame(r#"{"streams":[{"stream":{},"values":[["x","l"]]}]}"#).is_err());
    assert!(decode_frame(r#"{"streams":[{"stream":{},"values":[["1"]]}]}"#).is_err());
}

#[test]
fn a_decoder_shares_label_sets_across_streams_and_frames() {
    let frame = |lines: &[(&str, &str)]| {
        let streams: Vec<String> = lines
            .iter()
            .map(|(s, l)| format!(r#"{{"stream":{{"app":"x","s":"{s}"}},"values":[["1","{l}"]]}}"#))
            .collect();
        format!(r#"{{"streams":[{}]}}"#, streams.join(","))
    };
    let mut dec = FrameDecoder::new();
    let one = dec
        .decode(&frame(&[("a", "1"), ("b", "2"), ("a", "3")]))
        .unwrap();
    let two = dec.decode(&frame(&[("b", "4"), ("a", "5")])).unwrap();
    let e: Vec<&LogEntry> = one.entries.iter().chain(two.entries.iter()).collect();
    let lines: Vec<&str> = e.iter().map(|e| e.line.as_str()).collect();
    assert_eq!(lines, ["1", "2", "3", "4", "5"]);
    assert_eq!(e[1].label("s"), Some("b"));
    assert!(Arc::ptr_eq(&e[0].labels, &e[2].labels));
    assert!(Arc::ptr_eq(&e[0].labels, &e[4].labels));
    assert!(Arc::ptr_eq(&e[1].labels, &e[3].labels));
    assert!(!Arc::ptr_eq(&e[0].labels, &e[1].labels));
}

#[test]
fn values_before_their_stream_get_its_labels_and_odd_keys_are_skipped() {
    let text = r#"{"x":[1,{"y":2}],"streams":[{"values":[["5","late"]],"stream":{"app":"z"},
        "extra":null},{"values":[["6","bare"]]}],"dropped_entries":null}"#;
    let f = decode_frame(text).unwrap();
    assert_eq!(f.entries.len(), 2);
    assert_eq!((f.entries[0].ts, f.entries[0].label("app")), (5, Some("z")));
    assert!(f.entries[1].labels.is_empty());
    assert_eq!(f.dropped, None);
    assert!(decode_frame(r#"{"streams":[{"stream":{},"stream":{}}]}"#).is_err());
    assert!(decode_frame(r#"{"streams":[]} trailing"#).is_err());
}

#[test]
fn encode_then_decode_round_trips() {
    let frames = fixture_frames("62-tail-json-categorize-labels.json");
    let original = decode_frame(&frames[0]).unwrap().entries;
    let again = decode_frame(&encode_frame(&original, true))
        .unwrap()
        .entries;
    assert_eq!(again, original);
    let plain = decode_frame(&encode_frame(&original, false))
        .unwrap()
        .entries;
    assert_eq!(plain[0].all_labels(), original[0].all_labels());
}
