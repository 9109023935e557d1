use serde_json::{Map, Value};

/// The structlog view of a JSON line: the well-known keys pulled out, the rest kept in order.
///
/// Parsed on demand (not stored in `LogEntry`) so that loading a million lines costs only
/// their text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Structlog {
    pub event: Option<String>,
    pub level: Option<String>,
    /// `vulnsentinel.agent` → `agent`.
    pub module: Option<String>,
    pub logger: Option<String>,
    pub timestamp: Option<String>,
    /// Every other key, in line order.
    pub fields: Vec<(String, Value)>,
}

impl Structlog {
    /// Parses a line; `None` when it is not a JSON object.
    pub fn parse(line: &str) -> Option<Self> {
        let trimmed = line.trim_start();
        if !trimmed.starts_with('{') {
            return None;
        }
        let map: Map<String, Value> = serde_json::from_str(trimmed).ok()?;
        let mut s = Structlog::default();
        for (k, v) in map {
            let as_str = || match &v {
                Value::String(s) => Some(s.clone()),
                Value::Null => None,
                other => Some(other.to_string()),
            };
            match k.as_str() {
                "event" => s.event = as_str(),
                "level" => s.level = as_str(),
                "timestamp" => s.timestamp = as_str(),
                "logger" => {
                    s.logger = as_str();
                    s.module = s.logger.as_deref().map(module_of_logger);
                }
                _ => s.fields.push((k, v)),
            }
        }
        Some(s)
    }

    /// A field by name, as display text (strings unquoted, others as JSON).
    pub fn field_text(&self, name: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| value_text(v))
    }
}

/// The `module` stream label Alloy derives from a structlog `logger`: the second dotted
/// segment when it is one of VulnSentinel's modules, else `app`.
pub fn module_of_logger(logger: &str) -> String {
    match logger.split('.').nth(1) {
        Some(m @ ("api" | "agent" | "engine" | "db")) => m.to_string(),
        _ => "app".to_string(),
    }
}

/// Display text of a JSON value: strings without quotes, everything else as compact JSON.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_structlog_line() {
        let s = Structlog::parse(
            r#"{"event":"tool.call","tool":"fetch","args":{"repo":"a/b"},"level":"info","logger":"vulnsentinel.agent","timestamp":"2026-11-25T03:17:00Z"}"#,
        )
        .expect("json object");
        assert_eq!(s.event.as_deref(), Some("tool.call"));
        assert_eq!(s.module.as_deref(), Some("agent"));
        assert_eq!(s.field_text("tool").as_deref(), Some("fetch"));
        assert_eq!(s.field_text("args").as_deref(), Some(r#"{"repo":"a/b"}"#));
    }

    #[test]
    fn non_json_is_none() {
        assert!(Structlog::parse("[ERROR] worker died").is_none());
        assert!(Structlog::parse("{not json").is_none());
    }

    #[test]
    fn module_fallback_is_app() {
        assert_eq!(module_of_logger("vulnsentinel.db"), "db");
        assert_eq!(module_of_logger("vulnsentinel.worker"), "app");
        assert_eq!(module_of_logger("uvicorn"), "app");
    }
}
