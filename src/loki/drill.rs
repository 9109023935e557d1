//! Loki's Drilldown endpoints: `patterns` (the pattern ingester) and `detected_fields` /
//! `detected_field/<name>/values`. Each answers `Ok(None)` when the endpoint is absent or
//! switched off (404), so callers fall back to mining or sampling locally.

use super::wire::{self, DetectedField, LokiPattern};
use super::{LokiClient, LokiError, decode, range_params, transport};

/// Turns "this Loki does not serve it" (404) into `None`.
fn absent<T>(r: Result<T, LokiError>) -> Result<Option<T>, LokiError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(LokiError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

impl LokiClient {
    /// `/loki/api/v1/patterns`; `None` when the pattern ingester is off (404, empty body).
    pub async fn patterns(
        &self,
        query: &str,
        start_ns: i64,
        end_ns: i64,
        step_s: Option<u64>,
    ) -> Result<Option<Vec<LokiPattern>>, LokiError> {
        let path = "/loki/api/v1/patterns";
        let mut params = vec![("query", query.to_string())];
        params.extend(range_params(start_ns, end_ns));
        if let Some(s) = step_s {
            params.push(("step", format!("{s}s")));
        }
        let Some(body) = absent(self.get(path, &params, false).await)? else {
            return Ok(None);
        };
        decode(wire::decode_patterns(&body), path, &body).map(Some)
    }

    /// `/loki/api/v1/detected_fields`; `None` when this Loki does not serve it.
    pub async fn detected_fields(
        &self,
        query: &str,
        start_ns: i64,
        end_ns: i64,
    ) -> Result<Option<Vec<DetectedField>>, LokiError> {
        let path = "/loki/api/v1/detected_fields";
        let mut params = vec![("query", query.to_string())];
        params.extend(range_params(start_ns, end_ns));
        let Some(body) = absent(self.get(path, &params, false).await)? else {
            return Ok(None);
        };
        decode(wire::decode_detected_fields(&body), path, &body).map(Some)
    }

    /// `/loki/api/v1/detected_field/<name>/values`; `None` when not served.
    pub async fn detected_field_values(
        &self,
        name: &str,
        query: &str,
        start_ns: i64,
        end_ns: i64,
    ) -> Result<Option<Vec<String>>, LokiError> {
        let path = format!(
            "/loki/api/v1/detected_field/{}/values",
            transport::encode_component(name)
        );
        let mut params = vec![("query", query.to_string())];
        params.extend(range_params(start_ns, end_ns));
        let Some(body) = absent(self.get(&path, &params, false).await)? else {
            return Ok(None);
        };
        decode(wire::decode_detected_values(&body), &path, &body).map(Some)
    }
}
