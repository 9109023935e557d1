//! The commands about vs-logs itself: `completions`, `man`, `profiles`.

use std::path::Path;

use crate::support::bin::{run, vs_logs};

/// A config with two profiles, one carrying every kind of credential.
const CONFIG: &str = r#"
default_profile = "local"

[profiles.local]
addr = "http://localhost:3100"

[profiles.cloud]
addr = "https://admin:url-pass-4711@logs.example.com"
org_id = "acme"
username = "alice"
password = "hunter2-profile-pw"
bearer_token = "tok-profile-9876"
headers = ["Authorization: Bearer hdr-secret-5555"]
"#;

fn config_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("vs-logs");
    std::fs::create_dir_all(cfg.join("dashboards")).unwrap();
    std::fs::write(cfg.join("config.toml"), CONFIG).unwrap();
    std::fs::write(
        cfg.join("scenes.toml"),
        "[[scene]]\nname = \"my-own-scene\"\ntitle = \"Mine\"\ndescription = \"d\"\n\
         query = '{app=\"{{app}}\"}'\nsince = \"1h\"\n",
    )
    .unwrap();
    std::fs::write(cfg.join("dashboards").join("team-board.toml"), "").unwrap();
    dir
}

fn with_config(dir: &Path) -> assert_cmd::Command {
    let mut cmd = vs_logs();
    cmd.env("XDG_CONFIG_HOME", dir);
    cmd
}

const SECRETS: [&str; 4] = [
    "hunter2-profile-pw",
    "tok-profile-9876",
    "url-pass-4711",
    "hdr-secret-5555",
];

fn assert_no_secret(text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{s} printed:\n{text}");
    }
}

#[test]
fn bash_completion_has_the_commands_and_the_scene_profile_and_dashboard_names() {
    let dir = config_dir();
    let o = run(with_config(dir.path()).args(["completions", "bash"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    for word in [
        "query",
        "errors",
        "rate-limits",
        "replay",
        "profiles",
        "completions",
        "man",
        // a built-in scene that is no command of its own, and the user's scene
        "agent-replay",
        "my-own-scene",
        // profiles and dashboards of the config
        "cloud",
        "team-board",
        "overview",
    ] {
        assert!(
            o.stdout.contains(word),
            "{word} missing from the bash script"
        );
    }
    assert!(o.stdout.contains("complete -F"), "not a bash script");
    assert_no_secret(&o.stdout);
}

#[test]
fn zsh_fish_and_powershell_scripts_generate() {
    for (shell, marker, values) in [
        ("zsh", "#compdef vs-logs", true),
        ("fish", "complete -c vs-logs", true),
        // PowerShell's generator completes commands and flags, not values (said in --help).
        ("powershell", "Register-ArgumentCompleter", false),
    ] {
        let o = run(vs_logs().args(["completions", shell]));
        assert_eq!(o.code, 0, "{shell}: {}", o.stderr);
        assert!(o.stdout.contains(marker), "{shell}: no {marker:?}");
        assert!(o.stdout.contains("'vs-logs;profiles'") || shell != "powershell");
        assert!(o.stdout.contains("profiles"), "{shell}: no command");
        if values {
            assert!(o.stdout.contains("agent-replay"), "{shell}: no scene name");
            assert!(
                o.stdout.contains("Full replay of one agent"),
                "{shell}: no scene title"
            );
        }
    }
    let o = run(vs_logs().args(["completions", "tcsh"]));
    assert_eq!(o.code, 2);
}

#[test]
fn completions_survive_a_broken_config() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("vs-logs");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("config.toml"), "retries = = 3\n").unwrap();
    let o = run(with_config(dir.path()).args(["completions", "bash"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("agent-replay"));
    assert!(o.stderr.contains("without profile names"), "{}", o.stderr);
}

#[test]
fn man_page_is_roff_with_the_commands() {
    let o = run(vs_logs().arg("man"));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains(".TH vs-logs 1"), "{}", &o.stdout[..200]);
    assert!(o.stdout.contains("SUBCOMMANDS"), "no command section");
    assert!(
        o.stdout.contains("vs\\-logs\\-replay(1)"),
        "replay not listed"
    );
    let o = run(vs_logs().args(["man", "query"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains(".TH vs-logs-query 1  \"vs-logs-query 0."),
        "{}",
        &o.stdout[..200]
    );
    assert!(
        o.stdout.contains("\\-\\-forward"),
        "query's own flag missing"
    );
    let o = run(vs_logs().args(["man", "nope"]));
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("no command named \"nope\""),
        "{}",
        o.stderr
    );
}

#[test]
fn man_dir_writes_one_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let o = run(vs_logs().arg("man").arg("--dir").arg(&out));
    assert_eq!(o.code, 0, "{}", o.stderr);
    for page in ["vs-logs.1", "vs-logs-query.1", "vs-logs-profiles.1"] {
        let text = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(text.contains(".TH"), "{page}");
    }
}

#[test]
fn profiles_mark_the_default_one_and_never_print_a_credential() {
    let dir = config_dir();
    let o = run(with_config(dir.path()).arg("profiles"));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_no_secret(&o.stdout);
    assert_no_secret(&o.stderr);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", o.stdout);
    assert!(lines[0].starts_with("ACTIVE"), "{}", o.stdout);
    let cloud = lines.iter().find(|l| l.contains("cloud")).unwrap();
    let local = lines.iter().find(|l| l.contains("local")).unwrap();
    assert!(local.starts_with("* (default_profile)"), "{}", o.stdout);
    assert!(!cloud.starts_with('*'), "{}", o.stdout);
    assert!(cloud.contains("https://***@logs.example.com"), "{cloud}");
    assert!(
        cloud.contains("acme") && cloud.contains("basic+bearer"),
        "{cloud}"
    );
}

#[test]
fn profiles_say_whether_the_flag_or_the_environment_chose() {
    let dir = config_dir();
    let o = run(with_config(dir.path()).args(["profiles", "--profile", "cloud"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let cloud = o.stdout.lines().find(|l| l.contains("cloud")).unwrap();
    assert!(cloud.starts_with("* (--profile)"), "{}", o.stdout);
    let o = run(with_config(dir.path())
        .env("VS_LOGS_PROFILE", "cloud")
        .arg("profiles"));
    let cloud = o.stdout.lines().find(|l| l.contains("cloud")).unwrap();
    assert!(cloud.starts_with("* (VS_LOGS_PROFILE)"), "{}", o.stdout);
    let o = run(with_config(dir.path()).args(["--profile", "prod", "profiles"]));
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("known profiles: cloud, local"),
        "{}",
        o.stderr
    );
}

#[test]
fn profiles_as_json_never_print_a_credential() {
    let dir = config_dir();
    let o = run(with_config(dir.path()).args(["profiles", "-o", "json", "--profile", "cloud"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_no_secret(&o.stdout);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let cloud = rows.iter().find(|r| r["name"] == "cloud").unwrap();
    assert_eq!(cloud["active"], true);
    assert_eq!(cloud["active_because"], "--profile");
    assert_eq!(cloud["addr"], "https://***@logs.example.com");
    assert_eq!(cloud["auth"], serde_json::json!(["basic", "bearer"]));
    let local = rows.iter().find(|r| r["name"] == "local").unwrap();
    assert_eq!(local["active"], false);
    assert!(local["active_because"].is_null());
}

#[test]
fn no_profiles_is_said_on_stderr() {
    // no config file at all: said as such, not as a file without profiles
    let empty = tempfile::tempdir().unwrap();
    let o = run(with_config(empty.path()).arg("profiles"));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("no config file at"), "{}", o.stderr);
    assert!(!o.stderr.contains("defines no profiles"), "{}", o.stderr);
    assert_eq!(o.stdout.lines().count(), 1, "only the header: {}", o.stdout);
    // a config file without profiles
    std::fs::create_dir_all(empty.path().join("vs-logs")).unwrap();
    std::fs::write(
        empty.path().join("vs-logs/config.toml"),
        "[keys]\nquit = \"q\"\n",
    )
    .unwrap();
    let o = run(with_config(empty.path()).arg("profiles"));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("config.toml defines no profiles"),
        "{}",
        o.stderr
    );
}

#[test]
fn profiles_as_csv_are_one_row_each_without_credentials() {
    let dir = config_dir();
    let o = run(with_config(dir.path()).args(["profiles", "-o", "csv"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_no_secret(&o.stdout);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines[0], "name,addr,org_id,auth,active,active_because");
    assert!(
        lines.contains(&"cloud,https://***@logs.example.com,acme,basic+bearer,false,"),
        "{}",
        o.stdout
    );
    assert!(
        lines.contains(&"local,http://localhost:3100,,,true,default_profile"),
        "{}",
        o.stdout
    );
}
