//! The Loki HTTP client: typed requests, wire-format decoding, paging, retries, errors a user
//! can act on.
//!
//! CONTRACT (used by `backend`, `tail`, front ends): `LokiConfig`, `LokiClient` and `LokiError`
//! keep these names and method signatures. Placeholder until the client lands.

use std::time::Duration;

use crate::model::{Labels, QueryOutput, QueryRange, QueryStats};
use crate::secret::Secret;

/// How to reach and authenticate to a Loki.
#[derive(Debug, Clone)]
pub struct LokiConfig {
    pub addr: String,
    pub org_id: Option<String>,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub bearer_token: Option<Secret>,
    pub ca_cert: Option<std::path::PathBuf>,
    pub client_cert: Option<std::path::PathBuf>,
    pub client_key: Option<std::path::PathBuf>,
    pub tls_skip_verify: bool,
    /// Extra headers (`--header 'Name: value'`).
    pub headers: Vec<(String, String)>,
    pub timeout: Duration,
    pub retries: u32,
    /// Entries per page when paging (1..=5000).
    pub batch_size: usize,
    /// Time slices fetched in parallel for large ranges (1 = sequential).
    pub parallel: usize,
}

impl Default for LokiConfig {
    fn default() -> Self {
        Self {
            addr: "http://localhost:3100".into(),
            org_id: None,
            username: None,
            password: None,
            bearer_token: None,
            ca_cert: None,
            client_cert: None,
            client_key: None,
            tls_skip_verify: false,
            headers: Vec::new(),
            timeout: Duration::from_secs(60),
            retries: 3,
            batch_size: 1000,
            parallel: 1,
        }
    }
}

/// Progress of a long (paged) query, for a progress line.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Progress {
    pub entries: usize,
    pub pages: usize,
    pub elapsed: Duration,
}

/// Every way talking to Loki can fail, each with a message the user can act on.
#[derive(Debug, thiserror::Error)]
pub enum LokiError {
    #[error("{0}")]
    Other(String),
}

/// A Loki client. Cheap to clone (shares the connection pool).
#[derive(Debug, Clone)]
pub struct LokiClient {
    config: std::sync::Arc<LokiConfig>,
}

impl LokiClient {
    pub fn new(config: LokiConfig) -> Result<Self, LokiError> {
        Ok(Self {
            config: std::sync::Arc::new(config),
        })
    }

    pub fn config(&self) -> &LokiConfig {
        &self.config
    }

    /// Runs a log or metric query; log queries page until `limit` (0 = all) is reached.
    pub async fn query(
        &self,
        req: &QueryRange,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<(QueryOutput, QueryStats), LokiError> {
        let _ = (req, progress);
        Err(LokiError::Other("Loki client not built yet".into()))
    }

    pub async fn labels(&self, start_ns: i64, end_ns: i64) -> Result<Vec<String>, LokiError> {
        let _ = (start_ns, end_ns);
        Err(LokiError::Other("Loki client not built yet".into()))
    }

    pub async fn label_values(
        &self,
        name: &str,
        start_ns: i64,
        end_ns: i64,
        query: Option<&str>,
    ) -> Result<Vec<String>, LokiError> {
        let _ = (name, start_ns, end_ns, query);
        Err(LokiError::Other("Loki client not built yet".into()))
    }

    pub async fn series(
        &self,
        matchers: &[String],
        start_ns: i64,
        end_ns: i64,
    ) -> Result<Vec<Labels>, LokiError> {
        let _ = (matchers, start_ns, end_ns);
        Err(LokiError::Other("Loki client not built yet".into()))
    }

    /// Pushes entries grouped by stream (`/loki/api/v1/push`).
    pub async fn push(&self, streams: &[(Labels, Vec<(i64, String)>)]) -> Result<(), LokiError> {
        let _ = streams;
        Err(LokiError::Other("Loki client not built yet".into()))
    }
}
