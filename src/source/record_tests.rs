use super::*;
use crate::source::boundary::{cut, record_at};

fn roles(text: &str) -> Vec<Role> {
    text.lines().map(|l| role(l).0).collect()
}

/// The records of a block as their texts.
fn texts(block: &str) -> Vec<String> {
    records(block.as_bytes())
        .map(|r| r.text.into_owned())
        .collect()
}

#[test]
fn start_lines_are_json_timestamped_or_levelled() {
    use Role::*;
    let lines = [
        (r#"{"event":"a"}"#, Start),
        (r#"  {"event":"indented json"}"#, Start),
        ("2026-11-25T00:00:01Z [error] boom", Start),
        (
            "[2026-11-24 19:00:00 +0000] [7] [ERROR] Worker killed",
            Start,
        ),
        ("\x1b[2m2026-11-25T00:52:13Z\x1b[0m [info] x", Start),
        ("INFO: Started server process [1]", Start),
        ("ERROR:root:failed", Start),
        ("[WARNING] disk", Start),
        ("warning: low disk", Start),
        ("\x1b[33mWARNING\x1b[0m poc-runner: sandbox stderr", Start),
        ("panic: runtime error: index out of range", Start),
        ("vulnsentinel  | 2026-11-25T00:00:01Z [info] x", Start),
    ];
    for (line, want) in lines {
        assert_eq!(role(line).0, want, "{line:?}");
    }
}

#[test]
fn continuation_lines_are_indented_or_exception_markers() {
    use Role::*;
    let lines = [
        ("  File \"/app/x.py\", line 3, in f", Cont),
        ("\tat com.example.Foo.bar(Foo.java:12)", Cont),
        ("\t/tmp/main.go:8 +0x1d", Cont),
        ("Traceback (most recent call last):", Cont),
        ("Caused by: java.lang.IllegalStateException: boom", Cont),
        (
            "During handling of the above exception, another exception occurred:",
            Cont,
        ),
        ("goroutine 1 [running]:", Cont),
        ("vulnsentinel  |     raise ValueError(\"bad\")", Cont),
    ];
    for (line, want) in lines {
        assert_eq!(role(line).0, want, "{line:?}");
    }
}

#[test]
fn other_lines_are_neither() {
    // Exception lines, mixed-case words, identifiers: not levels, not timestamps.
    assert_eq!(
        roles(
            "ValueError: bad\nError: boom\nmain.main()\nplain text line\ngoroutines are fun\nInformation"
        ),
        vec![Role::Other; 6]
    );
}

#[test]
fn a_traceback_joins_the_error_line_before_it() {
    let block = "2026-11-25T00:00:01Z [error] job.failed  job=7\n\
                 Traceback (most recent call last):\n\
                 \x20 File \"/app/job.py\", line 3, in run\n\
                 \x20   raise ValueError(\"bad\")\n\
                 ValueError: bad\n\
                 2026-11-25T00:00:02Z [info] job.next\n";
    assert_eq!(
        texts(block),
        vec![
            "2026-11-25T00:00:01Z [error] job.failed  job=7\nTraceback (most recent call last):\n  File \"/app/job.py\", line 3, in run\n    raise ValueError(\"bad\")\nValueError: bad".to_string(),
            "2026-11-25T00:00:02Z [info] job.next".to_string(),
        ]
    );
}

#[test]
fn java_and_go_traces_join_and_blank_lines_inside_are_dropped() {
    let java = "2026-11-25T00:00:01Z [error] request failed\n\
                java.lang.IllegalStateException: boom\n\
                \tat com.example.Foo.bar(Foo.java:12)\n\
                Caused by: java.io.IOException: closed\n\
                \t... 5 more\n";
    assert_eq!(texts(java).len(), 1);
    assert!(texts(java)[0].ends_with("\t... 5 more"));
    let go = "panic: runtime error: index out of range [5] with length 3\n\
              \n\
              goroutine 1 [running]:\n\
              main.main()\n\
              \t/tmp/main.go:8 +0x1d\n\
              exit status 2\n\
              INFO: restarted\n";
    let t = texts(go);
    assert_eq!(t.len(), 2, "{t:?}");
    assert_eq!(
        t[0],
        "panic: runtime error: index out of range [5] with length 3\ngoroutine 1 [running]:\nmain.main()\n\t/tmp/main.go:8 +0x1d\nexit status 2"
    );
    assert_eq!(t[1], "INFO: restarted");
}

#[test]
fn untimed_lines_that_continue_nothing_stay_their_own_records() {
    // The first line of an input, and plain lines of a file without timestamps or levels.
    assert_eq!(
        texts("plain text line\nsecond line\n"),
        vec!["plain text line", "second line"]
    );
    // A line with a level but no timestamp starts a record; a JSON line is never joined.
    assert_eq!(
        texts(
            "INFO: Started server process [1]\nINFO: Waiting\n{\"event\":\"a\"}\n{\"event\":\"b\"}\n"
        ),
        vec![
            "INFO: Started server process [1]",
            "INFO: Waiting",
            "{\"event\":\"a\"}",
            "{\"event\":\"b\"}"
        ]
    );
    // An untimed file's traceback still holds together (continuations, then its last line).
    assert_eq!(
        texts("Traceback (most recent call last):\n  File \"x\"\nKeyError: 'k'\nnext thing\n"),
        vec![
            "Traceback (most recent call last):\n  File \"x\"\nKeyError: 'k'",
            "next thing"
        ]
    );
}

#[test]
fn compose_services_do_not_join_each_other() {
    let block = "api  | 2026-11-25T00:00:01Z [error] boom\n\
                 api  | Traceback (most recent call last):\n\
                 db   |   File \"other.py\"\n\
                 api  |   File \"x.py\"\n";
    let got: Vec<(String, usize)> = records(block.as_bytes())
        .map(|r| (r.text.into_owned(), r.index))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "api  | 2026-11-25T00:00:01Z [error] boom\nTraceback (most recent call last):"
                    .to_string(),
                0
            ),
            ("db   |   File \"other.py\"".to_string(), 2),
            ("api  |   File \"x.py\"".to_string(), 3),
        ]
    );
}

#[test]
fn records_know_their_first_line_extent_and_position() {
    let block = "\n2026-11-25T00:00:01Z [error] a\r\n  at x\r\n\r\n  at y\n\nINFO: b";
    let rs: Vec<Record<'_>> = records(block.as_bytes()).collect();
    assert_eq!(rs.len(), 2);
    assert_eq!(rs[0].index, 1);
    assert_eq!(rs[0].first(), "2026-11-25T00:00:01Z [error] a");
    assert_eq!(rs[0].text, "2026-11-25T00:00:01Z [error] a\n  at x\n  at y");
    assert_eq!((rs[0].ext.lines, rs[0].ext.nonblank), (4, 3));
    assert_eq!(
        &block[rs[0].ext.start..rs[0].ext.end],
        "2026-11-25T00:00:01Z [error] a\r\n  at x\r\n\r\n  at y"
    );
    assert_eq!(rs[1].index, 6);
    assert_eq!(rs[1].text, "INFO: b");
}

#[test]
fn a_record_is_capped_in_lines_and_says_how_many_were_left_out() {
    let mut block = String::from("2026-11-25T00:00:01Z [error] deep\n");
    for i in 0..MAX_RECORD_LINES + 9 {
        block.push_str(&format!("  frame {i}\n"));
    }
    block.push_str("2026-11-25T00:00:02Z [info] after\n");
    let t = texts(&block);
    assert_eq!(t.len(), 2);
    let lines: Vec<&str> = t[0].lines().collect();
    assert_eq!(lines.len(), MAX_RECORD_LINES + 1);
    assert_eq!(
        lines[MAX_RECORD_LINES],
        "…[vs-logs: 10 more lines of this record left out]"
    );
    assert!(t[0].len() <= crate::source::reader::max_line_bytes() + 100);
}

#[test]
fn a_record_is_capped_in_bytes() {
    let max = crate::source::reader::max_line_bytes();
    let frame = format!("  {}\n", "x".repeat(1000));
    let mut block = String::from("2026-11-25T00:00:01Z [error] wide\n");
    for _ in 0..(max / 1000 + 50) {
        block.push_str(&frame);
    }
    let t = texts(&block);
    assert_eq!(t.len(), 1);
    assert!(t[0].len() <= max + 100, "{}", t[0].len());
    assert!(t[0].ends_with("more lines of this record left out]"));
}

#[test]
fn the_record_around_a_byte_is_found_from_any_line_of_it() {
    let block = "plain first\n\
                 2026-11-25T00:00:01Z [error] a\n\
                 Traceback (most recent call last):\n\
                 \x20 File \"x\"\n\
                 ValueError: bad\n\
                 plain after? no: joins\n\
                 INFO: b\n";
    let b = block.as_bytes();
    let at = block.find("ValueError").unwrap();
    let ext = record_at(b, at, 0).unwrap();
    assert_eq!(ext.start, block.find("2026").unwrap());
    assert_eq!(&block[ext.end..ext.end + 9], "\nINFO: b\n");
    // From a later known record start, the walk stops there.
    let info = block.find("INFO").unwrap();
    assert_eq!(record_at(b, info + 2, info).unwrap().start, info);
    // In a file without start lines, the record is found by grouping from the floor.
    let plain = "a\n  b\nc\nd\n";
    let ext = record_at(plain.as_bytes(), plain.find('c').unwrap(), 0).unwrap();
    assert_eq!(&plain[ext.start..ext.end], "a\n  b\nc");
}

#[test]
fn cuts_move_back_to_a_record_start() {
    let block = "2026-11-25T00:00:01Z [info] a\n\
                 2026-11-25T00:00:02Z [error] b\n\
                 Traceback (most recent call last):\n\
                 \x20 File \"x\"\n\
                 ValueError: bad\n";
    let b = block.as_bytes();
    let into_traceback = block.find("  File").unwrap();
    let err = block.find("2026-11-25T00:00:02Z").unwrap();
    assert_eq!(cut(b, 0, into_traceback, true), err);
    // A JSON line, or any start line when the next line is known, is a cut as it is.
    assert_eq!(cut(b, 0, err, true), err);
    let json = b"{\"a\":1}\n{\"b\":2}\n";
    assert_eq!(cut(json, 0, 8, false), 8);
    // A reader's buffer that ends right after a newline: the next line is unread, so the cut
    // still moves back to the last start line.
    let whole = &b[..into_traceback];
    assert_eq!(cut(whole, 0, into_traceback, false), err);
    // Never back to the block's own start: no start line in reach leaves the cut alone.
    let plain = b"a\n  b\n  c\n";
    assert_eq!(cut(plain, 0, 6, true), 6);
}

#[test]
fn the_json_line_shortcut_finds_what_extent_finds() {
    let demo = crate::source::demo::demo_bytes(crate::source::demo::DEMO_END_NS);
    let cut = memchr::memchr(b'\n', &demo[500_000..]).map_or(demo.len(), |i| 500_001 + i);
    let blocks: Vec<Vec<u8>> = vec![
        demo[..cut].to_vec(),
        b"{\"a\":1}\r\n{\"b\":2}\n\n{\"c\":3}\n  {\"d\":4}\n{\"e\":5}\n{\"f\":6}".to_vec(),
        b"{\"a\":1}\n{\"b\":2}\n    at x\n{\"c\":3}\n{".to_vec(),
    ];
    for block in &blocks {
        let mut pos = 0;
        let mut taken = 0;
        while let Some((ext, _)) = extent(block, pos) {
            if let Some(fast) = json_line_extent(block, ext.start) {
                assert_eq!(fast, ext);
                taken += 1;
            }
            pos = ext.next;
        }
        assert!(taken > 0);
    }
}
