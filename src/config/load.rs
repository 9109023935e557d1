//! Finding and reading the config file, with errors that point at the line.

use std::path::{Path, PathBuf};

use super::ConfigFile;

/// What can be wrong with the config; every message names the file (and line) to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("config file {path}, line {line}, column {column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("unknown profile {name:?}; {}", known_list(.known))]
    UnknownProfile { name: String, known: Vec<String> },
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "the config file defines no profiles ([profiles.NAME] tables)".to_string()
    } else {
        format!("known profiles: {}", known.join(", "))
    }
}

/// `$XDG_CONFIG_HOME/vs-logs`, else `~/.config/vs-logs`.
pub fn default_config_dir() -> Option<PathBuf> {
    let from_env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(x) = from_env("XDG_CONFIG_HOME") {
        return Some(PathBuf::from(x).join("vs-logs"));
    }
    from_env("HOME").map(|h| PathBuf::from(h).join(".config").join("vs-logs"))
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Parses config text; `path` is only used in messages.
pub fn parse_str(text: &str, path: &Path) -> Result<ConfigFile, ConfigError> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message: without_secret_value(e.message().trim(), text, line),
        }
    })
}

/// A parser message about a credential setting (`password = 12345678`) names the type, not
/// the value: toml quotes the offending value in backticks.
fn without_secret_value(message: &str, text: &str, line: usize) -> String {
    let key = text
        .lines()
        .nth(line.saturating_sub(1))
        .and_then(|l| l.split_once('='))
        .map_or("", |(k, _)| k.trim().trim_matches('"'));
    let secret = crate::secret::is_secret_header(key) || key.contains("header");
    let message = if secret {
        let mut out = String::new();
        for (i, part) in message.split('`').enumerate() {
            out.push_str(if i % 2 == 1 { "`***`" } else { part });
        }
        out
    } else {
        message.to_string()
    };
    crate::secret::redact(&message)
}

/// Reads a config file. A missing file is `Ok(None)` unless `required` (given with
/// `--config`, where a typo in the path must not go unnoticed).
pub fn load_file(path: &Path, required: bool) -> Result<Option<ConfigFile>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse_str(&text, path).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Ok(None),
        // The default place is in a directory we may not enter (an unreadable HOME): when the
        // file cannot even be looked at, there is no config to honour.
        Err(e)
            if e.kind() == std::io::ErrorKind::PermissionDenied
                && !required
                && std::fs::metadata(path).is_err() =>
        {
            Ok(None)
        }
        Err(e) => Err(ConfigError::Unreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_password_is_not_echoed() {
        let e = parse("[profiles.p]\npassword = 12345678\n")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("12345678") && e.contains("line 2"), "{e}");
        let e = parse("[profiles.p]\nbearer_token = 987654321\n")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("987654321"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn unenterable_config_dir_without_a_file_is_no_config() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let locked = d.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let r = load_file(&locked.join("vs-logs").join("config.toml"), false);
        let required = load_file(&locked.join("config.toml"), true);
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        if nix_root() {
            return; // root enters any directory
        }
        assert_eq!(r, Ok(None));
        assert!(required.is_err());
    }

    fn nix_root() -> bool {
        std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
    }

    fn parse(text: &str) -> Result<ConfigFile, ConfigError> {
        parse_str(text, Path::new("/cfg/config.toml"))
    }

    #[test]
    fn profiles_parse() {
        let cfg = parse(
            r#"
default_profile = "local"
[profiles.local]
addr = "http://localhost:3100"
[profiles.cloud]
addr = "https://logs.example.com"
username = "123"
password = "s3cret"
headers = ["X-A: b"]
timeout = "30s"
[keys]
quit = "ctrl-q"
[tui]
buffer_lines = 10
"#,
        )
        .unwrap();
        assert_eq!(cfg.profiles.len(), 2);
        let cloud = cfg.profile(Some("cloud")).unwrap().unwrap();
        assert_eq!(cloud.password.as_ref().map(|s| s.expose()), Some("s3cret"));
        assert!(!format!("{cfg:?}").contains("s3cret"));
        let default = cfg.profile(None).unwrap().unwrap();
        assert_eq!(default.addr.as_deref(), Some("http://localhost:3100"));
        assert_eq!(cfg.tui.buffer_lines, Some(10));
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let err = parse("[profiles.a]\naddr = \"x\"\nretries = = 3\n").unwrap_err();
        match &err {
            ConfigError::Invalid { line, column, .. } => {
                assert_eq!((*line, *column), (3, 11));
            }
            other => panic!("{other:?}"),
        }
        let text = err.to_string();
        assert!(text.starts_with("config file /cfg/config.toml, line 3, column 11: "));
    }

    #[test]
    fn unknown_key_is_reported_with_its_line() {
        let err = parse("[profiles.a]\naddr = \"x\"\naddress = \"y\"\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("line 3"), "{text}");
        assert!(text.contains("address"), "{text}");
    }

    #[test]
    fn wrong_type_is_reported() {
        let err = parse("[profiles.a]\nretries = \"three\"\n").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn unknown_profile_lists_known_ones() {
        let cfg = parse("[profiles.local]\n[profiles.cloud]\n").unwrap();
        let err = cfg.profile(Some("prod")).unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown profile \"prod\"; known profiles: cloud, local"
        );
        let none = ConfigFile::default().profile(Some("x")).unwrap_err();
        assert!(none.to_string().contains("defines no profiles"));
    }

    #[test]
    fn missing_file() {
        let p = Path::new("/nonexistent/vs-logs/config.toml");
        assert_eq!(load_file(p, false), Ok(None));
        let err = load_file(p, true).unwrap_err().to_string();
        assert!(err.contains("/nonexistent/vs-logs/config.toml"), "{err}");
    }

    #[test]
    fn error_snapshot() {
        let err = parse("default_profile = \"x\"\n[profiles.x]\ntls_skip_verify = \"yes\"\n")
            .unwrap_err();
        insta::assert_snapshot!(err.to_string());
    }
}
