use std::io::Write;

use super::*;

#[test]
fn open_reports_missing_and_directory_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let err = LocalSource::open(vec![LocalInput::File(dir.path().join("gone.log"))]).unwrap_err();
    assert!(err.to_string().contains("gone.log"), "{err}");
    let err = LocalSource::open(vec![LocalInput::File(dir.path().to_path_buf())]).unwrap_err();
    assert!(err.to_string().contains("is a directory"), "{err}");
}

#[test]
fn truncated_gzip_fails_the_query_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for i in 0..50_000 {
        writeln!(
            enc,
            r#"{{"event":"e{i}","level":"info","timestamp":"2026-11-25T00:00:00Z"}}"#
        )
        .unwrap();
    }
    let bytes = enc.finish().unwrap();
    let path = dir.path().join("half.jsonl.gz");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let src = LocalSource::open(vec![LocalInput::File(path)]).unwrap();
    let err = src.labels(0, i64::MAX).unwrap_err().to_string();
    assert!(
        err.contains("half.jsonl.gz") && err.contains("truncated"),
        "{err}"
    );
}

#[test]
fn labels_values_and_newest_from_a_gzip_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(
        concat!(
            r#"{"event":"a","level":"info","logger":"vulnsentinel.api","timestamp":"2026-11-25T00:00:00Z"}"#,
            "\n",
            r#"{"event":"b","level":"warning","logger":"vulnsentinel.db","timestamp":"2026-11-25T01:00:00Z"}"#,
            "\n"
        )
        .as_bytes(),
    )
    .unwrap();
    let path = dir.path().join("x.log.gz");
    std::fs::write(&path, enc.finish().unwrap()).unwrap();
    let src = LocalSource::open_with_app(vec![LocalInput::File(path)], "myapp").unwrap();
    assert_eq!(src.describe(), "x.log.gz");
    assert_eq!(src.newest_ns(), Some(1_795_568_400_000_000_000));
    assert_eq!(
        src.labels(0, i64::MAX).unwrap(),
        vec!["app", "container", "level", "module", "service_name"]
    );
    assert_eq!(
        src.label_values("module", 0, i64::MAX, None).unwrap(),
        vec!["api", "db"]
    );
    assert_eq!(
        src.label_values("app", 0, i64::MAX, None).unwrap(),
        vec!["myapp"]
    );
    // Only the api line falls in the first half hour.
    let early = 1_795_564_800_000_000_000;
    assert_eq!(
        src.label_values("level", early, early + 1_800_000_000_000, None)
            .unwrap(),
        vec!["info"]
    );
    assert_eq!(src.series(&[], 0, i64::MAX).unwrap().len(), 2);
}

#[test]
fn demo_source_ends_at_the_start_of_the_hour() {
    // Issue 11.24: the demo used to end at "now" and moved on every run.
    let before = now_ns();
    let src = LocalSource::open(vec![LocalInput::Demo]).unwrap();
    let newest = src.newest_ns().unwrap();
    let after = now_ns();
    assert!(newest == demo::anchor_ns(before) || newest == demo::anchor_ns(after));
    // The hint agrees with what a scan finds.
    assert_eq!(src.index().unwrap().newest_ns, Some(newest));
    assert_eq!(src.describe(), "demo");
    assert!(src.label_values("module", 0, i64::MAX, None).unwrap().len() == 5);
}

#[test]
fn demo_anchor_is_stable_within_the_hour() {
    const HOUR: i64 = 3_600_000_000_000;
    let t = 1_795_586_400_000_000_000; // 2026-11-25T06:00:00Z
    assert_eq!(demo::anchor_ns(t), t);
    assert_eq!(demo::anchor_ns(t + HOUR - 1), t);
    assert_eq!(demo::anchor_ns(t + HOUR), t + HOUR);
    assert!(demo::DEMO_HELP.contains("24 h") && demo::DEMO_HELP.contains("hour"));
}

#[test]
fn first_untimed_lines_go_just_before_the_first_stamped_line() {
    let t = 1_795_586_400_000_000_000;
    let src = LocalSource::from_bytes(
        "x",
        b"banner\n\nsecond\n2026-11-25T06:00:00Z [info] a\n{\"event\":\"after\"}\n".to_vec(),
        "app",
    );
    // Three raw lines (one blank) before the stamped one: bases at t - 4, lines at t-3..t-1.
    assert_eq!(src.data[0].1, t - 4);
    assert_eq!(src.newest_ns(), Some(t + 1));
    // Nothing stamped: the lines end just before the read time.
    let before = now_ns();
    let src = LocalSource::from_bytes("y", b"one\ntwo".to_vec(), "app");
    let newest = src.newest_ns().unwrap();
    assert!(newest >= before - 1 && newest < now_ns());
    assert_eq!(src.data[0].1, newest - 2);
}
