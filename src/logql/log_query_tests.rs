use super::*;
use std::sync::Arc;

fn stream(pairs: &[(&str, &str)]) -> Arc<Labels> {
    Arc::new(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

fn entry(line: &str) -> LogEntry {
    let mut e = LogEntry::new(
        7,
        stream(&[("app", "vs"), ("level", "info"), ("module", "api")]),
        line,
    );
    e.metadata.insert("detected_level".into(), "info".into());
    e
}

fn run(q: &str, line: &str) -> Option<Labels> {
    LogQuery::compile(q)
        .unwrap_or_else(|e| panic!("{q}: {e}"))
        .process(&entry(line))
        .map(|e| e.all_labels())
}

fn get(l: &Option<Labels>, k: &str) -> Option<String> {
    l.as_ref().and_then(|l| l.get(k).cloned())
}

#[test]
fn is_send_sync() {
    fn check<T: Send + Sync>() {}
    check::<LogQuery>();
    check::<crate::logql::sample::RangeSampler>();
}

#[test]
fn selector_anchored_regex() {
    let q = LogQuery::compile(r#"{module=~"a.*", app!="x", nope=""}"#).unwrap();
    assert!(q.matches_stream(&stream(&[("module", "api"), ("app", "vs")])));
    assert!(!q.matches_stream(&stream(&[("module", "gen"), ("app", "vs")])));
    let q = LogQuery::compile(r#"{module=~"gen"}"#).unwrap();
    assert!(!q.matches_stream(&stream(&[("module", "agent")])));
}

#[test]
fn json_collision_and_error() {
    let l = run(
        r#"{app="vs"} | json"#,
        r#"{"event":"e","level":"error","args":{"repo":"a/b"},"n":1.50}"#,
    );
    assert_eq!(get(&l, "level").as_deref(), Some("info"));
    assert_eq!(get(&l, "level_extracted").as_deref(), Some("error"));
    assert_eq!(get(&l, "args_repo").as_deref(), Some("a/b"));
    assert_eq!(get(&l, "n").as_deref(), Some("1.50"));
    assert_eq!(get(&l, "detected_level").as_deref(), Some("info"));
    let l = run(r#"{app="vs"} | json"#, "[ERROR] plain");
    assert_eq!(get(&l, "__error__").as_deref(), Some("JSONParserErr"));
    assert!(run(r#"{app="vs"} | json | __error__="""#, "plain").is_none());
}

#[test]
fn restricted_pass_gives_full_labels() {
    // `level` is the stream label: the filter pass skips parsing, the output has every label.
    let l = run(
        r#"{app="vs"} | json | level="info""#,
        r#"{"event":"e","level":"error"}"#,
    );
    assert_eq!(get(&l, "event").as_deref(), Some("e"));
    assert_eq!(get(&l, "level_extracted").as_deref(), Some("error"));
    assert!(
        run(
            r#"{app="vs"} | json | level="error""#,
            r#"{"level":"error"}"#
        )
        .is_none()
    );
    let l = run(
        r#"{app="vs"} | json | event="e" | n > 1"#,
        r#"{"event":"e","n":2,"x":"y"}"#,
    );
    assert_eq!(get(&l, "x").as_deref(), Some("y"));
}

#[test]
fn numeric_filters() {
    let q = r#"{app="vs"} | json | status >= 500"#;
    assert!(run(q, r#"{"status":503}"#).is_some());
    assert!(run(q, r#"{"status":200}"#).is_none());
    assert!(run(q, r#"{"x":1}"#).is_none(), "missing label drops");
    let l = run(q, r#"{"status":"abc"}"#);
    assert_eq!(get(&l, "__error__").as_deref(), Some("LabelFilterErr"));
    let l = run(r#"{app="vs"} | json s="status" | s > 1"#, r#"{"x":1}"#);
    assert_eq!(get(&l, "s").as_deref(), Some(""));
    assert_eq!(
        get(&l, "__error_details__").as_deref(),
        Some("strconv.ParseFloat: parsing \"\": invalid syntax")
    );
    assert!(run(r#"{app="vs"} | logfmt | d > 1s"#, "d=1500ms").is_some());
    assert!(run(r#"{app="vs"} | logfmt | d > 1s"#, "d=500ms").is_none());
    assert!(run(r#"{app="vs"} | logfmt | b > 1KB"#, "b=2KB").is_some());
    assert!(run(r#"{app="vs"} | logfmt | a="1" or b="2", c="3""#, "b=2 c=3").is_some());
    // Loki: `,` takes everything after it (`a, b or c` is `a and (b or c)`), `and` binds
    // tighter than `or` (fixtures B06a-B06n).
    let q = r#"{app="vs"} | logfmt | m="P", s=1 or s=2"#;
    assert!(run(q, "m=P s=2").is_some());
    assert!(run(q, "m=G s=2").is_none());
    let q = r#"{app="vs"} | logfmt | s=1 or s=2 and m="G""#;
    assert!(run(q, "m=P s=1").is_some());
    assert!(run(q, "m=P s=2").is_none());
    let q = r#"{app="vs"} | logfmt | s=4 or s=1, m="G" or s=5"#;
    assert!(run(q, "m=P s=4").is_some());
    assert!(run(q, "m=P s=1").is_none());
    assert!(run(q, "m=G s=1").is_some());
}

#[test]
fn logfmt_regexp_pattern() {
    let l = run(
        r#"{app="vs"} | logfmt"#,
        r#"2026-11-25T00:42:50Z [warning] ev  msg="rate limit hit" level=warn empty="#,
    );
    let l = l.unwrap();
    assert_eq!(l.get("msg").map(String::as_str), Some("rate limit hit"));
    assert_eq!(l.get("level_extracted").map(String::as_str), Some("warn"));
    assert!(!l.contains_key("empty"));
    assert!(!l.keys().any(|k| k.starts_with("2026")));
    let l = run(r#"{app="vs"} | logfmt --keep-empty"#, "a= b").unwrap();
    assert_eq!(l.get("a").map(String::as_str), Some(""));
    assert_eq!(l.get("b").map(String::as_str), Some(""));
    // Control bytes separate tokens in Loki's logfmt (fixture B12c: an ANSI line fails only at
    // its first quote); a quote inside a key is the syntax error.
    let l = run(r#"{app="vs"} | logfmt --strict"#, "\u{1b}[0m a=b");
    assert_eq!(get(&l, "__error__"), None);
    assert_eq!(get(&l, "a").as_deref(), Some("b"));
    let l = run(r#"{app="vs"} | logfmt --strict"#, "\u{1b}[0m a=b \"k");
    assert_eq!(get(&l, "__error__").as_deref(), Some("LogfmtParserErr"));
    let l = run(
        r#"{app="vs"} | regexp "retrying in (?P<retry>\\d+)s""#,
        "x retrying in 60s",
    );
    assert_eq!(get(&l, "retry").as_deref(), Some("60"));
    let l = run(
        r#"{app="vs"} | pattern "<_> [<lvl>] <ev> ""#,
        "ts [info] req.end  a=b",
    );
    assert_eq!(get(&l, "lvl").as_deref(), Some("info"));
    assert_eq!(get(&l, "ev").as_deref(), Some("req.end"));
}

#[test]
fn drop_keep_decolorize_unpack() {
    let l = run(
        r#"{app="vs"} | json | keep event, status"#,
        r#"{"event":"e","x":1}"#,
    )
    .unwrap();
    assert_eq!(
        l.into_iter().collect::<Vec<_>>(),
        vec![("event".into(), "e".into())]
    );
    let l = run(
        r#"{app="vs"} | json | drop x, module="api", app="no""#,
        r#"{"x":1}"#,
    )
    .unwrap();
    assert!(!l.contains_key("x") && !l.contains_key("module") && l.contains_key("app"));
    let q = LogQuery::compile(r#"{app="vs"} | decolorize"#).unwrap();
    assert_eq!(
        q.process(&entry("\u{1b}[31mred\u{1b}[0m")).unwrap().line,
        "red"
    );
    let q = LogQuery::compile(r#"{app="vs"} | unpack"#).unwrap();
    let e = q.process(&entry(r#"{"_entry":"orig","k":"v"}"#)).unwrap();
    assert_eq!(e.line, "orig");
    assert_eq!(e.parsed.get("k").map(String::as_str), Some("v"));
}

#[test]
fn prefilter_stops_at_line_rewrites() {
    let q = LogQuery::compile(r#"{app="vs"} |= "a" | json | decolorize |= "b""#).unwrap();
    assert!(!q.line_prefilter("xyz"));
    assert!(
        q.line_prefilter("a only"),
        "|= \"b\" follows decolorize: not hoisted"
    );
    assert!(q.process(&entry("a only")).is_none());
}

#[test]
fn post_filters_on_processed_entries() {
    let l = crate::logql::parser::parse_log(r#"{a="b"} | x="1" | n > 2"#).unwrap();
    let filters: Vec<_> = l
        .pipeline
        .iter()
        .map(|s| match s {
            crate::logql::ast::Stage::LabelFilter(f) => f.clone(),
            _ => panic!(),
        })
        .collect();
    let pf = PostFilters::compile(&filters).unwrap();
    let mut e = entry("line");
    e.parsed.insert("x".into(), "1".into());
    e.parsed.insert("n".into(), "3".into());
    let out = pf.apply(e.clone()).unwrap();
    assert_eq!(out.parsed, e.parsed);
    e.parsed.insert("n".into(), "1".into());
    assert!(pf.apply(e).is_none());
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let q = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(crate::logql::parse(&q).is_err());
    let q = format!(
        r#"{{a="b"}} | {}x="1"{}"#,
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    assert!(crate::logql::parse(&q).is_err());
}

#[test]
fn line_format_output_is_capped_at_the_max_line_size() {
    // Issue 12.3: 24 doubling stages made a 10 GB line. The stage that would pass Loki's
    // max line size fails like any template error (`TemplateFormatErr`, the line kept as it
    // was), and later stages leave the errored line alone.
    let cap = crate::model::limits::max_line_bytes();
    let stages = " | line_format \"{{__line__}}{{__line__}}\"".repeat(24);
    let q = format!(r#"{{app="vs"}}{stages}"#);
    let line = "x".repeat(1000);
    let out = LogQuery::compile(&q)
        .unwrap()
        .process(&entry(&line))
        .unwrap();
    assert!(out.line.len() <= cap, "{} bytes", out.line.len());
    assert!(
        out.line.len() * 2 > cap,
        "doubled up to the cap: {}",
        out.line.len()
    );
    let labels = out.all_labels();
    assert_eq!(
        labels.get("__error__").map(String::as_str),
        Some("TemplateFormatErr")
    );
    let details = labels.get("__error_details__").cloned().unwrap_or_default();
    assert!(
        details.contains(&format!("maximum line size of {cap} bytes"))
            && details.contains("VS_LOGS_MAX_LINE_BYTES"),
        "{details}"
    );
    // Under the cap nothing changes.
    let small = run(
        r#"{app="vs"} | line_format "{{__line__}}{{__line__}}""#,
        "ab",
    );
    assert_eq!(get(&small, "__error__"), None);
    // `range` cannot multiply a line past it, and label_format templates have the same cap.
    let range = run(
        r#"{app="vs"} | line_format "{{ range 100000 }}{{ __line__ }}{{ end }}""#,
        &line,
    );
    assert_eq!(
        get(&range, "__error__").as_deref(),
        Some("TemplateFormatErr")
    );
    let stages = r#" | label_format l="{{.l}}{{.l}}""#.repeat(24);
    let labels = run(
        &format!(r#"{{app="vs"}} | label_format l="{{{{__line__}}}}"{stages}"#),
        &line,
    );
    assert!(get(&labels, "l").is_some_and(|l| l.len() <= cap));
    assert_eq!(
        get(&labels, "__error__").as_deref(),
        Some("TemplateFormatErr")
    );
}
