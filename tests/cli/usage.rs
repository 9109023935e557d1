#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The binary without a Loki: help, usage and config errors, exit codes.

use crate::support::bin::{run, vs_logs};

#[test]
fn help_snapshot() {
    let o = run(vs_logs().arg("--help"));
    assert_eq!(o.code, 0);
    insta::assert_snapshot!(o.stdout);
}

#[test]
fn no_command_is_a_usage_error() {
    let o = run(&mut vs_logs());
    assert_eq!(o.code, 2);
    assert!(o.stderr.starts_with("vs-logs: "), "{}", o.stderr);
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let o = run(vs_logs().args(["errors", "--nope"]));
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .starts_with("vs-logs: unexpected argument '--nope'"),
        "{}",
        o.stderr
    );
}

#[test]
fn bad_time_is_refused_with_an_example() {
    let o = run(vs_logs().args(["errors", "--since", "3 days"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("1h30m"), "{}", o.stderr);
    let o = run(vs_logs().args(["query", "{app=\"x\"}", "--from", "last tuesday"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("now-2h"), "{}", o.stderr);
    assert!(
        !o.stderr.contains("TimeError"),
        "no Debug dump: {}",
        o.stderr
    );
}

#[test]
fn broken_config_names_file_line_and_problem() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        "[profiles.local]\naddr = \"http://x\"\nretries = \"many\"\n",
    )
    .unwrap();
    let o = run(vs_logs().arg("--config").arg(&cfg).arg("scenes"));
    assert_eq!(o.code, 2);
    let msg = o.stderr.replace(&cfg.display().to_string(), "<CONFIG>");
    insta::assert_snapshot!(msg);
}

#[test]
fn config_from_xdg_dir_and_unknown_profile() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("vs-logs")).unwrap();
    std::fs::write(
        dir.path().join("vs-logs/config.toml"),
        "[profiles.local]\n[profiles.cloud]\naddr = \"https://x\"\n",
    )
    .unwrap();
    let o = run(vs_logs()
        .env("XDG_CONFIG_HOME", dir.path())
        .args(["--profile", "prod", "scenes"]));
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("unknown profile \"prod\"; known profiles: cloud, local"),
        "{}",
        o.stderr
    );
}

#[test]
fn missing_explicit_config_is_an_error() {
    let o = run(vs_logs().args(["--config", "/nonexistent/c.toml", "scenes"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("/nonexistent/c.toml"), "{}", o.stderr);
}

#[test]
fn scenes_list_every_scene() {
    let o = run(vs_logs().args(["scenes", "-o", "json"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for n in [
        "errors",
        "rate-limits",
        "5xx",
        "slow-tools",
        "event",
        "agent-replay",
        "api-rate",
    ] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    let text = run(vs_logs().arg("scenes"));
    assert!(
        text.stdout
            .contains("{app=\"{{app}}\", module=\"engine\"} |= \"rate limit\"")
    );
}

#[test]
fn user_scenes_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("vs-logs")).unwrap();
    std::fs::write(
        dir.path().join("vs-logs/scenes.toml"),
        "[[scene]]\nname = \"mine\"\ntitle = \"Mine\"\ndescription = \"d\"\nquery = '{app=\"{{app}}\"}'\nsince = \"1h\"\n",
    )
    .unwrap();
    let o = run(vs_logs()
        .env("XDG_CONFIG_HOME", dir.path())
        .args(["scenes", "-o", "jsonl"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.lines().any(|l| l.contains("\"name\":\"mine\"")));
}

#[test]
fn unknown_scene_and_missing_param() {
    let o = run(vs_logs().args(["scene", "nope"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("known scenes: errors"), "{}", o.stderr);
    assert!(o.stderr.contains("hint: `vs-logs scenes`"), "{}", o.stderr);
    let o = run(vs_logs().args(["scene", "agent-replay"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--set agent_id="), "{}", o.stderr);
    let o = run(vs_logs().args(["scene", "errors", "--set", "novalue"]));
    assert_eq!(o.code, 2);
}

#[test]
fn bad_header_and_batch() {
    let o = run(vs_logs().args(["--header", "nocolon", "errors"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("'Name: value'"), "{}", o.stderr);
    let o = run(vs_logs().args(["--batch", "9000", "errors"]));
    assert_eq!(o.code, 2);
}

#[test]
fn delay_for_over_five_is_refused() {
    let o = run(vs_logs().args(["tail", "{app=\"x\"}", "--delay-for", "6"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("0 to 5 seconds"), "{}", o.stderr);
}

#[test]
fn push_needs_a_loki() {
    let o = run(vs_logs().args(["push", "x.jsonl", "--demo"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
}
