#![allow(clippy::unwrap_used)]

use super::*;
use crate::drill::features::{Features, features, parsed_features};

fn same(a: &Features<'_>, b: &Features<'_>) -> bool {
    a.family == b.family && a.tokens == b.tokens && a.spans == b.spans
}

/// The full parse's features, its tokens appended after another line's (as in a batch).
fn parsed(line: &str, max: usize) -> Features<'_> {
    let mut tokens = vec![std::borrow::Cow::Borrowed("before")];
    let (family, spans) = parsed_features(line, max, &mut tokens);
    tokens.remove(0);
    Features {
        family,
        tokens,
        spans,
    }
}

/// Lines shaped like the demo's (structlog events with message keys, escapes, nested
/// values, terminal escapes, non-ASCII, dev-console text).
const DEMO_LIKE: &[&str] = &[
    r#"{"event":"agent.message","role":"tool","tool_call_id":"tc-2","content":"{\"ok\": true, \"event_id\": \"evt-789\"}","agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"2026-11-25T05:18:02.536483Z","level":"debug","logger":"vulnsentinel.agent"}"#,
    r#"{"event":"tool.error","turn":3,"tool":"fetch_commit_diff","error":"HTTP 404: not found","duration_ms":412,"agent_id":"ag-1","timestamp":"2026-11-25T05:18:02Z","level":"error","logger":"vulnsentinel.agent"}"#,
    r#"{"event":"agent.crashed","turn":4,"error":"KeyError: 'diff'","exception":"Traceback (most recent call last):\n  File \"/app/x.py\", line 231, in run\nKeyError: 'diff'","level":"error"}"#,
    r#"{"event":"http.request","method":"POST","path":"/v1/events","status":429,"duration_ms":3.1,"error":"请求过于频繁","request_id":"req-c0ffee000001","level":"warning"}"#,
    r#"{"event":"tool.error","tool":"run_poc","error":"\u001b[31mSegmentation fault\u001b[0m (core dumped)\u001b]0;pwned\u0007 ASAN: heap-buffer-overflow","duration_ms":30012,"level":"error"}"#,
    r#"{"event":"notify.sent","channel":"wecom","target_id":"vuln-4242","message":{"title":"x","n":[1,2]},"severity":"high","level":"info"}"#,
    r#"{"event":"db.error","error":"server closed the connection unexpectedly","pool":"primary","level":"error","timestamp":"2026-11-25T00:00:00Z"}"#,
    r#"{"event":"llm.call","turn":2,"model":"m","messages":[{"role":"user","content":"hi"}],"gen_ai":{"usage":{"input_tokens":12}},"level":"info"}"#,
    "\u{1b}[2m2026-11-24T10:00:00Z\u{1b}[0m [\u{1b}[32minfo\u{1b}[0m] Worker 7 started (pid:4121)",
    "GET /api/v1/items?id=42 200 12ms",
];

/// Lines that probe every branch: each must read the same by the scanner as by the parse.
const TRICKY: &[&str] = &[
    r#"{"event":"a","message":"x 1 y"}"#,
    r#"  {"event":"a","message":"x 1 y"}  "#,
    "\u{a0}{\"event\":\"a\"}",
    r#"{ "event" : "a" , "msg" : "hello world" , "n" : [1, 2.5e-3, -0, {"k": [true, false, null]}] }"#,
    r#"{"event":"a","message":"tab\tand \"quote\" \u00e9 \u001b[31m \/"}"#,
    r#"{"event":"a\u0041","error":"boom"}"#,
    r#"{"event":"a","message":"\ud83d\ude00 smile"}"#,
    r#"{"event":"a","message":"\ud800 lone"}"#,
    r#"{"message":"no event"}"#,
    r#"{"event":null,"message":"null event"}"#,
    r#"{"event":"a","event":null}"#,
    r#"{"event":null,"event":"b","error":"late"}"#,
    r#"{"event":7,"message":"number event"}"#,
    r#"{"event":"a","message":null,"message":"second"}"#,
    r#"{"event":"a","message":1,"message":"second"}"#,
    r#"{"event":"a","message":{"nested":1},"error":"e"}"#,
    r#"{"event":"a","message":"first","message":"second","err":"x"}"#,
    r#"{"event":"a","error":"e","message":"m","reason":"r","detail":"d","description":"z","msg":"q","err":"w"}"#,
    r#"{"event":"a","mes\u0073age":"escaped key"}"#,
    r#"{"event":"a","n":01}"#,
    r#"{"event":"a","n":1.}"#,
    r#"{"event":"a","n":1e}"#,
    r#"{"event":"a","n":-}"#,
    r#"{"event":"a","n":1e400}"#,
    r#"{"event":"a","message":1e400}"#,
    r#"{"event":"a","n":tru}"#,
    r#"{"event":"a",}"#,
    r#"{"event":"a"} x"#,
    r#"{"event":"a""#,
    r#"{"event":"a","message":"bad \x escape"}"#,
    r#"{"event":"a","message":"bad \u12 escape"}"#,
    "{\"event\":\"a\",\"message\":\"raw\tcontrol\"}",
    r#"{"event":"a","x":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"#,
    r#"{"event":"a","x":{"a":1,}}"#,
    r#"{"event":"a","x":[1,]}"#,
    r#"{"event":"a" "message":"no comma"}"#,
    r#"{}"#,
    r#"{"event":""}"#,
    r#"{"event":"a","message":""}"#,
    r#"{"event":"a","message":"   "}"#,
    "[1,2]",
    "{not json",
    "plain text line 42",
    "",
];

#[test]
fn the_scanner_reads_every_line_as_the_parse_does() {
    let lines = TRICKY.iter().chain(DEMO_LIKE).copied();
    for (n, line) in lines.enumerate() {
        for max in [48, 3, 1] {
            assert!(
                same(&features(line, max), &parsed(line, max)),
                "line {n} (max {max}): {line}"
            );
        }
    }
}

#[test]
fn the_scanner_reads_structlog_lines_itself() {
    assert_eq!(scan("plain text 1"), Scan::Text);
    assert_eq!(scan(r#"{"message":"no event"}"#), Scan::Text);
    assert_eq!(scan(r#"{"event":1}"#), Scan::Unsure);
    assert_eq!(scan(r#"{"event":"a",}"#), Scan::Unsure);
    let Scan::Structlog { event, fields } =
        scan(r#"{"event":"a\/b","n":[1,{"x":null}],"error":"e \"q\"","error":"dup","msg":"m"}"#)
    else {
        panic!("not scanned");
    };
    assert_eq!(event, "a/b");
    let got: Vec<_> = fields
        .iter()
        .map(|f| (MESSAGE_KEYS[f.key], f.text, f.escaped))
        .collect();
    assert_eq!(
        got,
        vec![("error", r#"e \"q\""#, true), ("msg", "m", false)]
    );
    // The fast path is the common path: demo-like structlog lines need no full parse, but
    // for a message that is an object (left to the parse by design).
    for line in DEMO_LIKE.iter().filter(|l| l.starts_with('{')) {
        let object_message = line.contains(r#""message":{"#);
        assert_eq!(scan(line) == Scan::Unsure, object_message, "{line}");
    }
}

#[test]
fn lines_with_control_bytes_go_to_the_full_parse() {
    assert_eq!(
        scan("{\"event\":\"a\",\"message\":\"tab\there\"}"),
        Scan::Unsure
    );
    assert_eq!(scan("{\"event\":\"a\",\n\"message\":\"x\"}"), Scan::Unsure);
    let mut long = vec![b'a'; 40];
    long.push(0x1f);
    assert_eq!(special_from(&long, 0), Some(40));
    assert_eq!(special_from("é x ~ ü 请求 é x ~ ü".as_bytes(), 0), None);
    assert_eq!(special_from("é \"x\" \\ ~".as_bytes(), 0), Some(3));
}

/// The word-at-a-time search finds the first quote, backslash or control byte from every
/// start, among bytes chosen around each of them (0x80 and above: UTF-8 continuations).
#[test]
fn special_from_finds_the_first_special_byte_from_every_start() {
    let alphabet = [
        b'a', b'"', b'\\', 0x00, 0x1f, 0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff,
        b'a', b'b', b'1',
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for len in 0..40 {
        for _ in 0..40 {
            let b: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    // mostly plain bytes, so that runs cross word boundaries
                    if x.is_multiple_of(4) {
                        alphabet[(x >> 8) as usize % alphabet.len()]
                    } else {
                        b'a' + (x >> 16) as u8 % 26
                    }
                })
                .collect();
            for i in 0..=len {
                let want = b[i..]
                    .iter()
                    .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                    .map(|p| i + p);
                assert_eq!(special_from(&b, i), want, "{b:?} from {i}");
            }
        }
    }
}

#[test]
fn message_keys_are_recognised_by_their_bytes() {
    for (i, k) in MESSAGE_KEYS.iter().enumerate() {
        assert_eq!(message_key(k.as_bytes()), Some(i), "{k}");
    }
    for k in [
        "",
        "event",
        "messages",
        "mes",
        "Error",
        "er",
        "errors",
        "descriptio",
    ] {
        assert_eq!(message_key(k.as_bytes()), None, "{k}");
    }
}

/// Escapes, non-ASCII text, control bytes and syntax errors at every offset from the start
/// of a key or value (the scanner reads eight bytes at a time): the scanner reads each line
/// as the full parse does, or leaves it to it.
#[test]
fn the_scanner_reads_escapes_and_unicode_at_every_offset_as_the_parse_does() {
    let pieces = [
        r#"\""#,
        r#"\\"#,
        r#"\/"#,
        r#"\n"#,
        r#"\u00e9"#,
        r#"\u001b"#,
        r#"\ud83d\ude00"#,
        r#"\ud800"#,
        r#"\udc00x"#,
        r#"\x"#,
        r#"\u12g4"#,
        "é",
        "请求",
        "😀",
        "\t",
        "\u{1}",
        "\u{7f}",
        "\"",
        "\\",
    ];
    let mut lines = Vec::new();
    for piece in pieces {
        for pad in 0..17 {
            let p = "p".repeat(pad);
            for line in [
                format!(r#"{{"event":"e{p}{piece}","message":"m {p} 1"}}"#),
                format!(r#"{{"event":"e","message":"m {p}{piece} 1","level":"info"}}"#),
                format!(r#"{{"event":"e","x{p}":"{p}{piece}","error":"boom {p}"}}"#),
                format!(r#"{{"event":"e","k{p}{piece}":1,"msg":"ok"}}"#),
                format!(
                    r#"{{"event":"e","n":{{"a{p}":["{piece}{p}",{{"b":"{p}{piece}"}}]}},"err":"x {p}"}}"#
                ),
                format!(r#"{{"event":"e","detail":"{p}{piece}""#),
                format!(r#"{{"event":"e","reason":{p}"{piece}"}}"#),
            ] {
                lines.push(line);
            }
        }
    }
    for (n, line) in lines.iter().enumerate() {
        for max in [48, 2] {
            assert!(
                same(&features(line, max), &parsed(line, max)),
                "line {n} (max {max}): {line:?}"
            );
        }
    }
    // Valid escapes and non-ASCII text in keys and string values are read by the scanner
    // itself, at every offset; a control byte or a broken escape is left to the parse.
    for (piece, scanned) in [
        (r#"\""#, true),
        (r#"\u00e9"#, true),
        ("请求", true),
        ("😀", true),
        (r#"\ud83d\ude00"#, false),
        (r#"\x"#, false),
        ("\t", false),
    ] {
        for pad in 0..17 {
            let p = "p".repeat(pad);
            let line = format!(r#"{{"event":"e","message":"m {p}{piece} 1","k{p}":"{piece}"}}"#);
            let got = scan(&line);
            assert_eq!(matches!(got, Scan::Structlog { .. }), scanned, "{line:?}");
            assert_eq!(got == Scan::Unsure, !scanned, "{line:?}");
        }
    }
}
