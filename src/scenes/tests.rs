use super::*;

fn set(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn builtin() -> Vec<Scene> {
    super::builtin().unwrap()
}

#[test]
fn builtins_cover_the_seed_questions() {
    let scenes = builtin();
    for name in [
        "errors",
        "classifier-errors",
        "agent-replay",
        "api-rate",
        "rate-limits",
        "event",
        "slow-tools",
        "5xx",
        "error-rate",
        "agent-runs",
        "api-latency-p95",
        "tool-durations",
    ] {
        let s = find(&scenes, name).unwrap();
        assert!(!s.title.is_empty() && !s.description.is_empty(), "{name}");
        crate::timespec::parse_duration(&s.since).unwrap();
    }
}

#[test]
fn seed_queries_render_as_written() {
    let scenes = builtin();
    let r = |name: &str, p: &[(&str, &str)]| {
        find(&scenes, name)
            .unwrap()
            .render("vulnsentinel", &set(p))
            .unwrap()
    };
    assert_eq!(
        r("classifier-errors", &[]),
        r#"{app="vulnsentinel", module="agent"} | json | agent_type="event_classifier" | level="error""#
    );
    assert_eq!(
        r("agent-replay", &[("agent_id", "ag-456")]),
        r#"{app="vulnsentinel", module="agent"} | json | agent_id="ag-456""#
    );
    assert_eq!(
        r("rate-limits", &[]),
        r#"{app="vulnsentinel", module="engine"} |= "rate limit""#
    );
    assert_eq!(
        r("event", &[("event_id", "evt-789")]),
        r#"{app="vulnsentinel"} |= "evt-789""#
    );
    assert_eq!(
        r("5xx", &[]),
        r#"{app="vulnsentinel", module="api"} | json | event="request.end" | status >= 500"#
    );
    assert_eq!(
        r("errors", &[]),
        r#"{app="vulnsentinel"} | json | level="error""#
    );
    assert!(r("slow-tools", &[("over_ms", "250")]).ends_with("| duration_ms > 250"));
    assert!(r("api-rate", &[]).starts_with("sum by (status) (rate("));
}

#[test]
fn values_are_escaped_in_strings() {
    let scenes = builtin();
    let q = find(&scenes, "event")
        .unwrap()
        .render("my\"app", &set(&[("event_id", "a\"} |= `x\\")]))
        .unwrap();
    assert_eq!(q, r#"{app="my\"app"} |= "a\"} |= `x\\""#);
}

#[test]
fn bare_values_must_be_numbers() {
    let scenes = builtin();
    let slow = find(&scenes, "slow-tools").unwrap();
    let err = slow
        .render("vulnsentinel", &set(&[("over_ms", "0 or 1")]))
        .unwrap_err();
    assert!(matches!(err, SceneError::BadValue { .. }), "{err}");
}

#[test]
fn backtick_strings_refuse_backticks() {
    let s = Scene {
        name: "t".into(),
        title: "t".into(),
        description: "d".into(),
        query: "{app=\"{{app}}\"} |= `{{x}}`".into(),
        since: "1h".into(),
        params: vec![SceneParam {
            name: "x".into(),
            description: "x".into(),
            default: None,
        }],
    };
    assert_eq!(
        s.render("a", &set(&[("x", "a\"b")])).unwrap(),
        "{app=\"a\"} |= `a\"b`"
    );
    assert!(s.render("a", &set(&[("x", "a`b")])).is_err());
}

#[test]
fn go_template_actions_are_left_alone() {
    let values = set(&[("app", "v")]);
    assert_eq!(
        render::fill(
            r#"{app="{{app}}"} | line_format "{{.event}} {{ .x }}""#,
            &values
        )
        .unwrap(),
        r#"{app="v"} | line_format "{{.event}} {{ .x }}""#
    );
}

#[test]
fn missing_and_unknown_params() {
    let scenes = builtin();
    let replay = find(&scenes, "agent-replay").unwrap();
    let err = replay
        .render("v", &BTreeMap::new())
        .unwrap_err()
        .to_string();
    assert!(err.contains("--set agent_id="), "{err}");
    let err = replay
        .render("v", &set(&[("agent_id", "a"), ("nope", "1")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("agent_id") && err.contains("nope"), "{err}");
    let err = find(&scenes, "nope").unwrap_err().to_string();
    assert!(err.contains("errors") && err.contains("5xx"), "{err}");
}

#[test]
fn every_builtin_renders_to_valid_logql() {
    let sample = set(&[
        ("agent_id", "ag-456"),
        ("event_id", "evt-789"),
        ("agent_type", "vuln_analyzer"),
        ("over_ms", "5000"),
    ]);
    for s in builtin() {
        let params: BTreeMap<String, String> = sample
            .iter()
            .filter(|(k, _)| s.params.iter().any(|p| &p.name == *k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let q = s.render("vulnsentinel", &params).unwrap();
        assert!(!q.contains("{{"), "{}: {q}", s.name);
        if let Err(e) = crate::logql::kind_of(&q) {
            panic!("scene {} renders invalid LogQL {q:?}: {e}", s.name);
        }
    }
}

#[test]
fn overview_scenes_are_metrics_and_questions_are_logs() {
    use crate::logql::QueryKind;
    let scenes = builtin();
    let kind = |name: &str| {
        let s = find(&scenes, name).unwrap();
        let q = s
            .render(
                "v",
                &set(&[("agent_id", "a"), ("event_id", "e")])
                    .into_iter()
                    .filter(|(k, _)| s.params.iter().any(|p| &p.name == k))
                    .collect(),
            )
            .unwrap();
        crate::logql::kind_of(&q).unwrap()
    };
    for m in [
        "api-rate",
        "error-rate",
        "agent-runs",
        "api-latency-p95",
        "tool-durations",
    ] {
        assert_eq!(kind(m), QueryKind::Metric, "{m}");
    }
    for l in [
        "errors",
        "classifier-errors",
        "agent-replay",
        "rate-limits",
        "event",
        "slow-tools",
        "5xx",
    ] {
        assert_eq!(kind(l), QueryKind::Log, "{l}");
    }
}
