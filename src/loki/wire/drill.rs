//! The Drilldown endpoints' shapes: `patterns` (an envelope around
//! `[{"pattern","level"?,"samples":[[<unix s>,<count>],…]}]`), `detected_fields` (a bare
//! `{"fields":[{"label","type","cardinality","parsers","jsonPath"}],"limit"}`) and
//! `detected_field/<name>/values` (a bare `{"values":[…],"limit"}`).

use serde::Deserialize;

use super::Envelope;

/// One pattern from Loki's pattern ingester.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LokiPattern {
    /// Loki's own pattern text (`<_>` for variables): usable as is in `|> "…"`.
    pub pattern: String,
    /// Level Loki detected for the pattern (newer Loki only).
    #[serde(default)]
    pub level: Option<String>,
    /// `(unix seconds, lines)` per step.
    #[serde(default)]
    pub samples: Vec<(f64, u64)>,
}

/// Decodes a `patterns` body; an absent `data` is no patterns.
pub fn decode_patterns(body: &[u8]) -> Result<Vec<LokiPattern>, String> {
    let env: Envelope<Vec<LokiPattern>> =
        serde_json::from_slice(body).map_err(|e| e.to_string())?;
    match env.status.as_deref() {
        Some("success") | None => Ok(env.data.unwrap_or_default()),
        _ => env.into_data(),
    }
}

/// One field Loki detected in a sample of recent lines.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DetectedField {
    pub label: String,
    /// `string`, `int`, `float`, `duration` or `bytes`.
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub cardinality: u64,
    /// Parsers that produce it (`json`, `logfmt`); `null` for labels and metadata.
    #[serde(default)]
    pub parsers: Option<Vec<String>>,
    #[serde(rename = "jsonPath", default)]
    pub json_path: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct FieldsBody {
    #[serde(default)]
    fields: Option<Vec<DetectedField>>,
}

/// Decodes a `detected_fields` body (no envelope).
pub fn decode_detected_fields(body: &[u8]) -> Result<Vec<DetectedField>, String> {
    let b: FieldsBody = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    Ok(b.fields.unwrap_or_default())
}

#[derive(Deserialize)]
struct ValuesBody {
    #[serde(default)]
    values: Option<Vec<String>>,
}

/// Decodes a `detected_field/<name>/values` body (no envelope).
pub fn decode_detected_values(body: &[u8]) -> Result<Vec<String>, String> {
    let b: ValuesBody = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    Ok(b.values.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let p = format!(
            "{}/tests/fixtures/loki-wire/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(p).unwrap_or_default()
    }

    #[test]
    fn detected_fields_decode_from_the_capture() {
        let f = decode_detected_fields(&fixture("35-detected-fields.json")).unwrap();
        let turns = f.iter().find(|f| f.label == "turns").unwrap();
        assert_eq!((turns.kind.as_str(), turns.cardinality), ("int", 5));
        assert_eq!(turns.parsers.as_deref(), Some(&["json".to_string()][..]));
        let lvl = f.iter().find(|f| f.label == "detected_level").unwrap();
        assert_eq!(lvl.parsers, None);
        let path = f.iter().find(|f| f.label == "args_timeout_s").unwrap();
        assert_eq!(
            path.json_path.as_deref(),
            Some(&["args".to_string(), "timeout_s".to_string()][..])
        );
    }

    #[test]
    fn detected_values_decode_from_the_capture() {
        let v = decode_detected_values(&fixture("35b-detected-field-values.json")).unwrap();
        assert_eq!(
            v,
            ["patch_verifier", "event_classifier", "vuln_analyzer"].map(String::from)
        );
    }

    #[test]
    fn patterns_decode_from_a_live_capture() {
        // 39e: a real Loki with the pattern ingester on, 100 lines of each logfmt shape
        // pushed (and 100 JSON lines it made no pattern of), asked with `step=36s`
        let p = decode_patterns(&fixture("39e-patterns-ingester-on.json")).unwrap();
        let texts: Vec<&str> = p.iter().map(|p| p.pattern.as_str()).collect();
        assert_eq!(
            texts,
            [
                r#"level=info msg="request done" method=GET path=<_> status=200 duration=<_>"#,
                r#"level=error msg="upstream failed" err=<_> attempt=<_>"#,
            ]
        );
        assert_eq!(p[0].level.as_deref(), Some("info"));
        assert_eq!(p[1].level.as_deref(), Some("error"));
        for q in &p {
            assert_eq!(q.samples.iter().map(|s| s.1).sum::<u64>(), 100);
            assert_eq!(q.samples.len(), 9);
        }
        assert_eq!(p[0].samples[0], (1_795_983_984.0, 7));
        // a query no stream matches: `data` is an empty list
        let none = fixture("39e2-patterns-no-match.json");
        assert_eq!(none, b"{\"status\":\"success\",\"data\":[]}\n");
        assert!(decode_patterns(&none).unwrap().is_empty());
    }

    #[test]
    fn patterns_decode_with_and_without_level() {
        let body = br#"{"status":"success","data":[{"pattern":"<_> level=info msg=<_>","level":"info","samples":[[1711839260,1],[1711839270,2]]},{"pattern":"x <_>","samples":[[1711839260.5,4]]}]}"#;
        let p = decode_patterns(body).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].level.as_deref(), Some("info"));
        assert_eq!(p[0].samples, vec![(1711839260.0, 1), (1711839270.0, 2)]);
        assert_eq!(p[1].level, None);
        assert!(
            decode_patterns(br#"{"status":"success"}"#)
                .unwrap()
                .is_empty()
        );
        assert!(decode_patterns(br#"{"status":"error","error":"x","data":[]}"#).is_err());
    }
}
