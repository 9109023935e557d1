//! The Loki HTTP client: typed requests, wire-format decoding, paging, retries, errors a user
//! can act on.
//!
//! Used by `backend` (queries), `tail` (the websocket shares its config) and the front ends.
//!
//! Layout: `transport` (the one TLS/proxy/credentials setup for HTTP and the tail websocket),
//! `tls` (its rustls configuration; `pinned` accepts a self-signed server certificate given as
//! `--ca-cert`), `credentials` (tenant/auth/custom headers, validated once), `http` (reqwest
//! client, retries, redirects), `wire` (JSON decoding, also for tail frames), `paging` (batch
//! paging and slicing, HTTP-free), `logs` (log queries: sliced by volume, fetched concurrently,
//! delivered in order), `throttle` (fewer requests in flight when Loki pushes back), `query`
//! (metric and instant queries),
//! `error` (the error type and how a status + body becomes one).

mod credentials;
mod drill;
mod error;
pub mod http;
pub mod logs;
mod loopback;
pub mod paging;
mod pinned;
mod query;
pub mod slices;
pub mod throttle;
pub mod tls;
mod tls_probe;
pub mod transport;
pub mod wire;

use std::sync::Arc;
use std::time::Duration;

pub use error::LokiError;
pub use query::is_log_query;
pub use transport::{WsOpenError, WsStream};
pub use wire::{DetectedField, IndexStats, LokiPattern};

use crate::model::{Labels, QueryOutput, QueryRange, QueryStats, Sample};
use crate::secret::Secret;
use http::{Call, Http};
use reqwest::Method;

/// Loki's default `max_query_length` (30d1h): longer ranges are split into slices.
pub const DEFAULT_MAX_QUERY_LENGTH: Duration = Duration::from_secs((30 * 24 + 1) * 3600);

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
    /// Slices fetched concurrently (1 = sequential); 0 = automatic: [`logs::AUTO_PARALLEL`]
    /// for results that need more than one page, else sequential.
    pub parallel: usize,
    /// The server's `max_query_length`: longer ranges are split, not sent to fail.
    pub max_query_length: Duration,
    /// First retry delay; doubles per attempt (with jitter) unless `Retry-After` says otherwise.
    pub retry_backoff: Duration,
    /// Largest response body accepted, counted after gzip decoding (a hostile or broken server
    /// cannot make us hold more than this per request).
    pub max_body_bytes: usize,
}

/// Default [`LokiConfig::max_body_bytes`]: far above any page Loki sends (5000 entries of
/// Loki's 256 KB max line size is 1.25 GB only in theory; real pages are a few MB).
pub const DEFAULT_MAX_BODY_MB: usize = 512;

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
            parallel: 0,
            max_query_length: DEFAULT_MAX_QUERY_LENGTH,
            retry_backoff: Duration::from_millis(500),
            max_body_bytes: DEFAULT_MAX_BODY_MB << 20,
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

/// A Loki client. Cheap to clone (shares the connection pool).
#[derive(Debug, Clone)]
pub struct LokiClient {
    config: Arc<LokiConfig>,
    http: Http,
}

impl LokiClient {
    /// Builds the client; fails on unusable settings (bad address, unreadable CA/cert files).
    pub fn new(config: LokiConfig) -> Result<Self, LokiError> {
        let http = Http::new(&config)?;
        Ok(Self {
            config: Arc::new(config),
            http,
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
        query::run(self, req, progress).await
    }

    pub async fn labels(&self, start_ns: i64, end_ns: i64) -> Result<Vec<String>, LokiError> {
        let params = range_params(start_ns, end_ns);
        let body = self.get("/loki/api/v1/labels", &params, false).await?;
        decode(
            wire::decode_string_list(&body),
            "/loki/api/v1/labels",
            &body,
        )
    }

    /// Values of one label; an unknown label gives an empty list (Loki omits `data`).
    pub async fn label_values(
        &self,
        name: &str,
        start_ns: i64,
        end_ns: i64,
        query: Option<&str>,
    ) -> Result<Vec<String>, LokiError> {
        let mut params = range_params(start_ns, end_ns);
        if let Some(q) = query {
            params.push(("query", q.to_string()));
        }
        let path = format!(
            "/loki/api/v1/label/{}/values",
            transport::encode_component(name)
        );
        let body = self.get(&path, &params, false).await?;
        decode(wire::decode_string_list(&body), &path, &body)
    }

    /// Series matching any of `matchers` (all series when empty).
    pub async fn series(
        &self,
        matchers: &[String],
        start_ns: i64,
        end_ns: i64,
    ) -> Result<Vec<Labels>, LokiError> {
        let mut params: Vec<(&str, String)> =
            matchers.iter().map(|m| ("match[]", m.clone())).collect();
        params.extend(range_params(start_ns, end_ns));
        let body = self.get("/loki/api/v1/series", &params, false).await?;
        decode(wire::decode_series(&body), "/loki/api/v1/series", &body)
    }

    /// `index/stats`: streams, chunks, bytes and entries a selector covers (cheap, index only).
    pub async fn index_stats(
        &self,
        query: &str,
        start_ns: i64,
        end_ns: i64,
    ) -> Result<IndexStats, LokiError> {
        let mut params = vec![("query", query.to_string())];
        params.extend(range_params(start_ns, end_ns));
        let body = self.get("/loki/api/v1/index/stats", &params, false).await?;
        decode(
            wire::decode_index_stats(&body),
            "/loki/api/v1/index/stats",
            &body,
        )
    }

    /// `index/volume`: bytes per series (or per `target_labels` combination).
    pub async fn volume(
        &self,
        query: &str,
        start_ns: i64,
        end_ns: i64,
        target_labels: &[&str],
    ) -> Result<Vec<Sample>, LokiError> {
        let mut params = vec![("query", query.to_string())];
        params.extend(range_params(start_ns, end_ns));
        if !target_labels.is_empty() {
            params.push(("targetLabels", target_labels.join(",")));
        }
        let path = "/loki/api/v1/index/volume";
        let body = self.get(path, &params, false).await?;
        match decode(wire::decode_query(&body), path, &body)?.0 {
            wire::Decoded::Metric(crate::model::MetricResult::Vector(v)) => Ok(v),
            _ => Err(LokiError::Decode {
                path: path.into(),
                detail: "expected a vector result".into(),
            }),
        }
    }

    /// `index/volume_range`: bytes of the selector's streams per `step_s`-second bucket
    /// (summed over series), oldest first; the index's idea of where the lines are.
    pub async fn volume_range(
        &self,
        selector: &str,
        start_ns: i64,
        end_ns: i64,
        step_s: i64,
    ) -> Result<Vec<paging::VolumeBucket>, LokiError> {
        let mut params = vec![("query", selector.to_string())];
        params.extend(range_params(start_ns, end_ns));
        params.push(("step", step_s.max(1).to_string()));
        let path = "/loki/api/v1/index/volume_range";
        let body = self.get(path, &params, false).await?;
        match decode(wire::decode_query(&body), path, &body)?.0 {
            wire::Decoded::Metric(crate::model::MetricResult::Matrix(series)) => {
                Ok(logs::volume_buckets(&series, step_s.max(1)))
            }
            _ => Err(LokiError::Decode {
                path: path.into(),
                detail: "expected a matrix result".into(),
            }),
        }
    }

    /// A log query's entries handed to `each` slice by slice, in the query's order, as soon
    /// as each slice's turn comes (see [`logs`]); `each` returns `false` to stop early.
    /// The same entries as [`LokiClient::query`], without holding them all at once.
    pub async fn query_logs(
        &self,
        req: &QueryRange,
        progress: &(dyn Fn(Progress) + Send + Sync),
        each: &mut (dyn FnMut(Vec<crate::model::LogEntry>) -> bool + Send),
    ) -> Result<QueryStats, LokiError> {
        logs::run(self, req, progress, std::time::Instant::now(), each).await
    }

    /// Pushes entries grouped by stream (`/loki/api/v1/push`).
    pub async fn push(&self, streams: &[(Labels, Vec<(i64, String)>)]) -> Result<(), LokiError> {
        self.push_with_progress(streams, &|_| {}).await
    }

    /// Pushes in batches of about 1 MiB, telling `progress` how many entries are sent so far.
    pub async fn push_with_progress(
        &self,
        streams: &[(Labels, Vec<(i64, String)>)],
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<(), LokiError> {
        let mut sent = 0usize;
        for batch in query::push_batches(streams, 1 << 20) {
            let n = batch.entries;
            let call = Call {
                method: Method::POST,
                path: "/loki/api/v1/push",
                params: &[],
                body: Some((batch.body, "application/json")),
                categorize: false,
            };
            self.http.send(&self.config, &call).await?;
            sent += n;
            progress(sent);
        }
        Ok(())
    }

    /// Opens a websocket to `path` (the tail) on the same TLS, proxy and credentials as every
    /// HTTP request, with `extra` headers.
    pub async fn websocket(
        &self,
        path: &str,
        params: &[(&str, String)],
        extra: &[(&'static str, &'static str)],
    ) -> Result<WsStream, WsOpenError> {
        self.http.transport().websocket(path, params, extra).await
    }

    async fn get(
        &self,
        path: &str,
        params: &[(&str, String)],
        categorize: bool,
    ) -> Result<Vec<u8>, LokiError> {
        let call = Call {
            method: Method::GET,
            path,
            params,
            body: None,
            categorize,
        };
        Ok(self.http.send(&self.config, &call).await?.body)
    }
}

fn range_params(start_ns: i64, end_ns: i64) -> Vec<(&'static str, String)> {
    vec![("start", start_ns.to_string()), ("end", end_ns.to_string())]
}

fn decode<T>(r: Result<T, String>, path: &str, body: &[u8]) -> Result<T, LokiError> {
    r.map_err(|detail| error::decode_error(path, detail, body))
}
