use super::*;

#[test]
fn parses_structlog_line() {
    let s = Structlog::parse(
        r#"{"event":"tool.call","tool":"fetch","args":{"repo":"a/b"},"level":"info","logger":"vulnsentinel.agent","timestamp":"2026-11-25T03:17:00Z"}"#,
    )
    .expect("json object");
    assert_eq!(s.event().as_deref(), Some("tool.call"));
    assert_eq!(s.module(), Some("agent"));
    assert_eq!(s.field_text("tool").as_deref(), Some("fetch"));
    assert_eq!(s.field_text("args").as_deref(), Some(r#"{"repo":"a/b"}"#));
}

#[test]
fn non_json_is_none() {
    assert!(Structlog::parse("[ERROR] worker died").is_none());
    assert!(Structlog::parse("{not json").is_none());
    assert!(Structlog::parse(r#"{"a":1} trailing"#).is_none());
}

#[test]
fn module_fallback_is_app() {
    assert_eq!(module_of_logger("vulnsentinel.db"), "db");
    assert_eq!(module_of_logger("vulnsentinel.worker"), "app");
    assert_eq!(module_of_logger("uvicorn"), "app");
}

#[test]
fn fields_keep_line_order_and_skip_the_known_keys() {
    let s = Structlog::parse(
        r#"{"z":1,"event":"e","a":null,"level":"warning","n":0.5,"t":true,"l":["x","y"],"timestamp":null}"#,
    )
    .unwrap();
    let f: Vec<(&str, String)> = s
        .fields()
        .map(|(k, v)| (k, v.display().into_owned()))
        .collect();
    assert_eq!(
        f,
        [
            ("z", "1".to_string()),
            ("a", "null".to_string()),
            ("n", "0.5".to_string()),
            ("t", "true".to_string()),
            ("l", r#"["x","y"]"#.to_string()),
        ]
    );
    assert_eq!(s.level().as_deref(), Some("warning"));
    assert_eq!(s.timestamp(), None);
    assert_eq!(s.module(), None);
    assert_eq!(s.entries().len(), 8);
}

#[test]
fn strings_without_escapes_are_borrowed() {
    let s = Structlog::parse(r#"{"event":"x","m":"a\nb","k":"plain"}"#).unwrap();
    assert!(matches!(s.event(), Some(Cow::Borrowed("x"))));
    assert_eq!(s.field_text("m").as_deref(), Some("a\nb"));
    assert!(matches!(
        s.get("k").as_deref(),
        Some(Val::Str(Cow::Borrowed("plain")))
    ));
}

#[test]
fn parse_only_skips_unwanted_keys() {
    let s = Structlog::parse_only(r#"{"event":"x","big":{"a":[1,2]},"turn":3}"#, |k| {
        k != "big"
    })
    .unwrap();
    assert_eq!(s.entries().len(), 2);
    assert_eq!(s.get("turn").and_then(|v| v.u64()), Some(3));
}

#[test]
fn the_sniffer_agrees_with_the_parse() {
    for line in [
        r#"{"event":"tool.call","args":{"level":"nested","logger":"x.db"},"timestamp":"2026-11-25T05:18:02.536483Z","level":"warning","logger":"vulnsentinel.agent"}"#,
        r#"{"event": "x", "level" : "error", "logger": "vulnsentinel.d\u0062", "timestamp": "2026-11-25T00:00:00Z"}"#,
        r#"{"level":"info"}"#,
    ] {
        let s = Structlog::parse(line).unwrap();
        assert_eq!(sniff_str(line, &LEVEL_KEY), s.level(), "{line}");
        assert_eq!(sniff_str(line, &LOGGER_KEY), s.logger(), "{line}");
        assert_eq!(sniff_str(line, &TIMESTAMP_KEY), s.timestamp(), "{line}");
    }
}

#[test]
fn json_object_only_for_objects() {
    assert!(json_object(r#" {"a":1}"#).is_some());
    assert!(json_object("[1]").is_none());
    assert!(json_object("{bad").is_none());
}

/// A key written inside another value (escaped quotes) is not the key.
#[test]
fn a_key_inside_a_value_is_not_read() {
    let line = r#"{"a":"\"level\":\"x\"","level":"info","logger":"vulnsentinel.api"}"#;
    assert_eq!(sniff_str(line, &LEVEL_KEY).as_deref(), Some("info"));
}

/// Looking before colons reads what searching the needle reads, on lines where the keys
/// repeat, overlap, nest, hide in values, lack a colon or a string, or hold escapes.
#[test]
fn sniff_str_by_colons_agrees_with_the_search() {
    let pieces: [&str; 17] = [
        "\"level\"",
        "\"logger\"",
        "\"timestamp\"",
        ":",
        " : ",
        "\"info\"",
        "\"a\\\"b\"",
        "\"x.api.y\"",
        ",",
        "{",
        "}",
        "1",
        "\"",
        "\\",
        "\"level\"logger\"",
        "\"é\\u00e9\"",
        "\t",
    ];
    let mut rng = 0x0bad_5eed_1234_5678_u64;
    let keys = [&*LEVEL_KEY, &*LOGGER_KEY, &*TIMESTAMP_KEY];
    let mut found = 0;
    for _ in 0..20_000 {
        let mut line = String::new();
        rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        for _ in 0..(rng >> 59) % 14 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            line.push_str(pieces[(rng % pieces.len() as u64) as usize]);
        }
        for key in keys {
            let fast = sniff_str(&line, key);
            assert_eq!(fast, sniff_by_search(&line, key), "{line:?}");
            found += usize::from(fast.is_some());
        }
    }
    assert!(found > 1000, "{found}");
    assert!(quoted_key(b"\"level\"") && !quoted_key(b"\" a\"") && !quoted_key(b"\"a\"b\""));
    assert!(!quoted_key(b"\"\"") && !quoted_key(b"level"));
}
