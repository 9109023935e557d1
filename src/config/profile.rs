//! One named profile: the same connection and display settings as the global flags.

use crate::secret::Secret;

fn secret<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
    let s: Option<String> = serde::Deserialize::deserialize(d)?;
    Ok(s.map(Secret::new))
}

/// `[profiles.NAME]`: every field optional; a flag or environment variable wins over it.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    pub addr: Option<String>,
    pub org_id: Option<String>,
    pub username: Option<String>,
    /// Kept as a `Secret` so a `Debug` of the config never shows it.
    #[serde(deserialize_with = "secret")]
    pub password: Option<Secret>,
    #[serde(deserialize_with = "secret")]
    pub bearer_token: Option<Secret>,
    pub bearer_token_file: Option<std::path::PathBuf>,
    pub ca_cert: Option<std::path::PathBuf>,
    pub cert: Option<std::path::PathBuf>,
    pub key: Option<std::path::PathBuf>,
    pub tls_skip_verify: Option<bool>,
    /// Extra headers, `"Name: value"` each.
    pub headers: Vec<String>,
    /// Request timeout (`30s`, `2m`).
    pub timeout: Option<String>,
    pub retries: Option<u32>,
    /// Value of the `app` label scenes use.
    pub app: Option<String>,
    /// `text`, `json`, `jsonl`, `raw` or `csv`.
    pub output: Option<String>,
    /// `auto`, `always` or `never`.
    pub color: Option<String>,
    /// Entries per page when paging (1..=5000).
    pub batch: Option<usize>,
    /// Time slices fetched in parallel.
    pub parallel: Option<usize>,
    /// Largest Loki answer accepted, MiB after decompression (`--max-body-mb`).
    pub max_body_mb: Option<u32>,
    /// Longest line kept or built, bytes (`--max-line-bytes`).
    pub max_line_bytes: Option<u64>,
    /// Most of stdin kept, MiB (`--max-stdin-mb`).
    pub max_stdin_mb: Option<u64>,
}
