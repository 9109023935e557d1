use super::*;
use clap::Parser;

use crate::cli::args::Cli;

fn globals(args: &[&str]) -> GlobalArgs {
    let mut all = vec!["vs-logs"];
    all.extend_from_slice(args);
    all.push("scenes");
    match Cli::try_parse_from(all) {
        Ok(cli) => cli.global,
        Err(e) => panic!("{e}"),
    }
}

fn profile(text: &str) -> Profile {
    let cfg = crate::config::parse_str(text, std::path::Path::new("c.toml")).unwrap();
    cfg.profile(Some("p")).unwrap().cloned().unwrap()
}

#[test]
fn defaults() {
    let c = loki_config(&globals(&[]), &Profile::default()).unwrap();
    assert_eq!(c.addr, "http://localhost:3100");
    assert_eq!(c.retries, 3);
    assert_eq!(c.batch_size, 1000);
    assert!(c.password.is_none() && c.bearer_token.is_none());
}

#[test]
fn flag_beats_profile_beats_default() {
    let p = profile(
        r#"[profiles.p]
addr = "https://from-profile"
org_id = "tenant-p"
retries = 7
timeout = "2m"
password = "pp"
headers = ["X-A: 1"]
tls_skip_verify = true
"#,
    );
    let c = loki_config(&globals(&[]), &p).unwrap();
    assert_eq!(c.addr, "https://from-profile");
    assert_eq!(c.org_id.as_deref(), Some("tenant-p"));
    assert_eq!(c.retries, 7);
    assert_eq!(c.timeout, Duration::from_secs(120));
    assert_eq!(c.password.as_ref().map(|s| s.expose()), Some("pp"));
    assert!(c.tls_skip_verify);
    let g = globals(&[
        "--addr",
        "http://flag:3100/",
        "--retries",
        "1",
        "--timeout",
        "5",
        "--password",
        "ff",
        "--header",
        "X-B: two: parts",
    ]);
    let c = loki_config(&g, &p).unwrap();
    assert_eq!(c.addr, "http://flag:3100");
    assert_eq!(c.org_id.as_deref(), Some("tenant-p"));
    assert_eq!(c.retries, 1);
    assert_eq!(c.timeout, Duration::from_secs(5));
    assert_eq!(c.password.as_ref().map(|s| s.expose()), Some("ff"));
    assert_eq!(
        c.headers,
        vec![
            ("X-A".to_string(), "1".to_string()),
            ("X-B".to_string(), "two: parts".to_string())
        ]
    );
}

#[test]
fn token_file_is_read_and_trimmed() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("tok");
    std::fs::write(&f, "abc123\n").unwrap();
    let g = globals(&["--bearer-token-file", f.to_str().unwrap()]);
    let c = loki_config(&g, &Profile::default()).unwrap();
    assert_eq!(c.bearer_token.as_ref().map(|s| s.expose()), Some("abc123"));
    let g = globals(&["--bearer-token-file", "/nonexistent/tok"]);
    let err = loki_config(&g, &Profile::default()).unwrap_err();
    assert_eq!(err.code, 2);
    assert!(err.message.contains("/nonexistent/tok"));
}

#[test]
fn bad_values_are_usage_errors() {
    let bad = |args: &[&str]| loki_config(&globals(args), &Profile::default()).unwrap_err();
    assert!(
        bad(&["--header", "novalue"])
            .message
            .contains("'Name: value'")
    );
    assert!(bad(&["--batch", "6000"]).message.contains("1..=5000"));
    assert!(
        bad(&["--parallel", "100000"])
            .message
            .contains("limit of 32")
    );
    assert!(loki_config(&globals(&["--parallel", "32"]), &Profile::default()).is_ok());
    assert!(bad(&["--timeout", "soon"]).message.contains("--timeout"));
}

#[test]
fn profile_output_and_color() {
    let p = profile("[profiles.p]\noutput = \"jsonl\"\ncolor = \"always\"\n");
    assert_eq!(
        output_format(&globals(&[]), &p).unwrap(),
        OutputFormat::Jsonl
    );
    assert_eq!(
        output_format(&globals(&["-o", "raw"]), &p).unwrap(),
        OutputFormat::Raw
    );
    assert!(color_enabled(&globals(&[]), &p).unwrap());
    assert!(!color_enabled(&globals(&["--color", "never"]), &p).unwrap());
    let bad = profile("[profiles.p]\noutput = \"yaml\"\n");
    assert!(output_format(&globals(&[]), &bad).is_err());
}

#[test]
fn secrets_do_not_show_in_debug() {
    let g = globals(&["--password", "hunter2", "--bearer-token", "tok-xyz"]);
    let c = loki_config(&g, &Profile::default()).unwrap();
    let dbg = format!("{c:?}");
    assert!(
        !dbg.contains("hunter2") && !dbg.contains("tok-xyz"),
        "{dbg}"
    );
}

#[test]
fn limits_flag_beats_profile_beats_default() {
    let p = profile(
        r#"[profiles.p]
max_body_mb = 3
max_line_bytes = 3000
max_stdin_mb = 5
"#,
    );
    let none = Profile::default();
    assert_eq!(
        loki_config(&globals(&[]), &none).unwrap().max_body_bytes,
        crate::loki::DEFAULT_MAX_BODY_MB << 20
    );
    assert_eq!(
        loki_config(&globals(&[]), &p).unwrap().max_body_bytes,
        3 << 20
    );
    assert_eq!(
        loki_config(&globals(&["--max-body-mb", "7"]), &p)
            .unwrap()
            .max_body_bytes,
        7 << 20
    );
    assert_eq!(local_limits(&globals(&[]), &none).unwrap(), (None, None));
    assert_eq!(
        local_limits(&globals(&[]), &p).unwrap(),
        (Some(3000), Some(5))
    );
    let g = globals(&["--max-line-bytes", "4096", "--max-stdin-mb", "9"]);
    assert_eq!(local_limits(&g, &p).unwrap(), (Some(4096), Some(9)));
}

#[test]
fn limits_out_of_range_are_usage_errors_naming_the_setting() {
    let p = profile("[profiles.p]\nmax_line_bytes = 10\n");
    let e = local_limits(&globals(&[]), &p).unwrap_err();
    assert_eq!(e.code, 2);
    assert!(e.message.contains("max_line_bytes = 10"), "{}", e.message);
    let p = profile("[profiles.p]\nmax_stdin_mb = 0\n");
    assert!(
        local_limits(&globals(&[]), &p)
            .unwrap_err()
            .message
            .contains("max_stdin_mb = 0")
    );
    let p = profile("[profiles.p]\nmax_body_mb = 0\n");
    assert!(
        loki_config(&globals(&[]), &p)
            .unwrap_err()
            .message
            .contains("max_body_mb = 0")
    );
    // The flags refuse the same values when parsed.
    let mut all = vec!["vs-logs", "--max-line-bytes", "10", "scenes"];
    assert!(Cli::try_parse_from(&all).is_err());
    all[1] = "--max-stdin-mb";
    all[2] = "0";
    assert!(Cli::try_parse_from(&all).is_err());
}
