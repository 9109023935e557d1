use super::*;

fn labels_of(line: &str) -> Vec<(String, String)> {
    classify_line(line, "vulnsentinel")
        .labels
        .into_iter()
        .collect()
}

fn l(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    v.sort();
    v
}

#[test]
fn structlog_json_line() {
    let line = r#"{"event":"tool.call","args":{"level":"nested","logger":"x.db"},"timestamp":"2026-11-25T05:18:02.536483Z","level":"warning","logger":"vulnsentinel.agent"}"#;
    let info = classify_line(line, "vulnsentinel");
    assert_eq!(info.kind, LineKind::Json);
    assert_eq!(info.ts_ns, Some(1_795_583_882_536_483_000));
    assert_eq!(info.body(line), line);
    assert_eq!(info.detected_level, "warn");
    assert_eq!(
        labels_of(line),
        l(&[
            ("app", "vulnsentinel"),
            ("container", "vulnsentinel"),
            ("level", "warning"),
            ("module", "agent"),
            ("service_name", "vulnsentinel"),
        ])
    );
    assert_eq!(
        info.metadata().get("detected_level").map(String::as_str),
        Some("warn")
    );
}

#[test]
fn json_with_spaces_and_escapes() {
    let line = r#"{"event": "x", "level" : "error", "logger": "vulnsentinel.d\u0062", "timestamp": "2026-11-25T00:00:00Z"}"#;
    let info = classify_line(line, "app1");
    assert_eq!(info.labels["module"], "db");
    assert_eq!(info.labels["level"], "error");
    assert_eq!(info.labels["app"], "app1");
    assert_eq!(info.labels["container"], "app1");
    assert_eq!(info.ts_ns, Some(1_795_564_800_000_000_000));
}

#[test]
fn json_without_known_fields() {
    let line = r#"{"msg":"level","other":"logger"}"#;
    let info = classify_line(line, "vulnsentinel");
    assert_eq!(info.kind, LineKind::Json);
    assert_eq!(info.ts_ns, None);
    assert_eq!(info.labels["module"], "app");
    assert_eq!(info.labels["level"], "unknown");
    assert_eq!(info.detected_level, "unknown");
}

#[test]
fn module_matches_model_rule() {
    for logger in [
        "vulnsentinel.api",
        "vulnsentinel.agent.tools",
        "vulnsentinel.engine",
        "vulnsentinel.db",
        "vulnsentinel.notify",
        "uvicorn",
        "",
    ] {
        let line = format!(r#"{{"event":"x","logger":"{logger}"}}"#);
        let info = classify_line(&line, "a");
        assert_eq!(
            info.labels.get("module").map(String::as_str),
            Some(crate::model::module_of_logger(logger))
        );
    }
}

#[test]
fn console_line() {
    let line = "2026-02-25T10:30:01Z [info] request.start  method=POST path=/v1/events";
    let info = classify_line(line, "vulnsentinel");
    assert_eq!(info.kind, LineKind::Console);
    assert_eq!(info.ts_ns, Some(1_772_015_401_000_000_000));
    assert_eq!(info.labels["level"], "info");
    assert_eq!(info.labels["module"], "app");
    assert_eq!(info.detected_level, "info");
}

#[test]
fn coloured_console_line() {
    let line = "\x1b[2m2026-11-25T00:52:13Z\x1b[0m [\x1b[33m\x1b[1mwarning\x1b[0m] \x1b[1mgithub.rate_limit\x1b[0m  msg=x";
    let info = classify_line(line, "vulnsentinel");
    assert_eq!(info.kind, LineKind::Console);
    assert_eq!(info.ts_ns, Some(1_795_567_933_000_000_000));
    assert_eq!(info.labels["level"], "warning");
    assert_eq!(info.detected_level, "warn");
    assert_eq!(info.body(line), line);
}

#[test]
fn compose_prefixed_lines() {
    let json = r#"vulnsentinel-api-1  | {"event":"x","level":"info","logger":"vulnsentinel.api","timestamp":"2026-11-25T00:00:00Z"}"#;
    let info = classify_line(json, "vulnsentinel");
    assert_eq!(info.kind, LineKind::Json);
    assert_eq!(info.labels["container"], "vulnsentinel-api-1");
    assert_eq!(info.labels["module"], "api");
    assert!(info.body(json).starts_with("{\"event\""));

    let console = "worker  | 2026-02-25T10:30:01Z [error] job.failed  id=3";
    let info = classify_line(console, "vulnsentinel");
    assert_eq!(info.kind, LineKind::Console);
    assert_eq!(info.labels["container"], "worker");
    assert_eq!(info.labels["level"], "error");
    assert_eq!(
        info.body(console),
        "2026-02-25T10:30:01Z [error] job.failed  id=3"
    );

    let coloured = "\x1b[36mweb  |\x1b[0m plain text ERROR here";
    let info = classify_line(coloured, "vulnsentinel");
    assert_eq!(info.labels["container"], "web");
    assert_eq!(info.labels["level"], "error");
}

#[test]
fn pipes_in_ordinary_lines_are_not_prefixes() {
    let line = "2026-02-25T10:30:01Z [info] cmd  run=a | b";
    assert_eq!(classify_line(line, "vs").labels["container"], "vs");
    let line = "ls -l | grep x";
    assert_eq!(classify_line(line, "vs").labels["container"], "vs");
}

#[test]
fn gunicorn_traceback_and_panic_lines() {
    let g = "[2026-11-24 19:00:00 +0000] [7] [ERROR] Worker (pid:4121) was sent SIGKILL! Perhaps out of memory?";
    let info = classify_line(g, "vulnsentinel");
    assert_eq!(info.kind, LineKind::Text);
    assert_eq!(info.ts_ns, Some(1_795_546_800_000_000_000));
    assert_eq!(info.labels["level"], "error");
    assert_eq!(info.detected_level, "error");
    assert_eq!(info.labels["module"], "app");

    let tb = "Traceback (most recent call last):";
    let info = classify_line(tb, "vulnsentinel");
    assert_eq!(info.ts_ns, None);
    assert_eq!(info.labels["level"], "unknown");
    assert_eq!(info.detected_level, "unknown");

    let p = "panic: runtime error: invalid memory address";
    assert_eq!(classify_line(p, "vulnsentinel").labels["level"], "error");
    let w = "\x1b[33mWARNING\x1b[0m poc-runner: \x1b]0;pwned\x07 (core dumped)";
    let info = classify_line(w, "vulnsentinel");
    assert_eq!(info.labels["level"], "warning");
    assert_eq!(info.detected_level, "warn");
}

#[test]
fn strip_ansi_removes_sgr_and_osc() {
    assert_eq!(strip_ansi("a\x1b[31mb\x1b[0mc"), "abc");
    assert_eq!(strip_ansi("x\x1b]0;pwned\x07y"), "xy");
    assert_eq!(strip_ansi("x\x1b]0;t\x1b\\y"), "xy");
    assert!(matches!(strip_ansi("plain"), Cow::Borrowed(_)));
}

#[test]
fn conformance_dataset_labels_match_loki() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/logql-conformance"
    );
    let data = std::fs::read_to_string(format!("{dir}/dataset.jsonl")).unwrap();
    let meta = std::fs::read_to_string(format!("{dir}/dataset.meta.jsonl")).unwrap();
    let mut n = 0;
    let mut untimed = 0;
    for (line, meta) in data.lines().zip(meta.lines()) {
        let meta: serde_json::Value = serde_json::from_str(meta).unwrap();
        let info = classify_line(line, "vulnsentinel");
        let mut expected: Labels = serde_json::from_value(meta["labels"].clone()).unwrap();
        expected.insert("service_name".into(), "vulnsentinel".into());
        assert_eq!(info.labels, expected, "line {n}: {line:.200}");
        let want_detected = level::normalize(&expected["level"]);
        assert_eq!(info.detected_level, want_detected, "line {n}");
        let ts: i64 = meta["ts_ns"].as_str().unwrap().parse().unwrap();
        match info.ts_ns {
            Some(got) => assert_eq!(got, ts, "line {n}: {line:.200}"),
            None => untimed += 1,
        }
        n += 1;
    }
    assert_eq!(n, 4031);
    // Only the raw-ANSI line prints no time of its own.
    assert_eq!(untimed, 1);
}

/// The TUI reads a line without labels as the source labels it (one level table).
#[test]
fn a_line_without_labels_gets_the_level_the_source_would_label_it() {
    for line in [
        r#"{"event":"x","level":"warning"}"#,
        "[2026-11-24 19:00:00 +0000] [7] [ERROR] Worker (pid:4121) was sent SIGKILL!",
        "[WARNING] disk",
        "panic: runtime error",
        "INFO starting",
        "plain text",
        r#"{"event":"error.seen"}"#,
        "2026-02-25T10:30:01Z [crit] engine.down",
    ] {
        let labelled = classify_line(line, "app");
        let label = labelled.labels.get("level").map_or("", String::as_str);
        assert_eq!(
            crate::model::Level::of_line(line),
            crate::model::Level::parse(label),
            "{line}"
        );
    }
}
