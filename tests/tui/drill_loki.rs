#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The Patterns and Fields views against the test Loki stub: Loki's `/patterns` and
//! `detected_fields` (wire shapes of captures 35/35b and Loki's documented `/patterns`
//! answer) are used when they answer, and the view's title says which side computed it;
//! with the pattern ingester off (404, capture 39d) the loaded lines are mined here.

use vs_logs::backend::Backend;
use vs_logs::drill::Origin;
use vs_logs::loki::{LokiClient, LokiConfig};
use vs_logs::model::LogEntry;
use vs_logs::tui::app::{App, View};
use vs_logs::tui::drill::{fields, patterns};
use vs_logs::tui::msg::{Command, Msg};
use vs_logs::tui::testkit::{NOW, app, key, lines, load, stream};
use vs_logs::tui::update;

use super::screens::{Q, S, draw, text};
use crate::support::fixture;
use crate::support::loki_stub::{LokiStub, Reply};

/// Loki's documented `/patterns` answer (as `tests/cli/drill.rs` serves it).
const PATTERNS: &str = r#"{"status":"success","data":[{"pattern":"<_> level=info msg=\"request done\" <_>","level":"info","samples":[[1795590000,3],[1795590600,4]]},{"pattern":"<_> level=error msg=<_>","level":"error","samples":[[1795590000,1]]}]}"#;

fn backend(stub: &LokiStub) -> Backend {
    Backend::Loki(
        LokiClient::new(LokiConfig {
            addr: stub.url(),
            ..LokiConfig::default()
        })
        .unwrap(),
    )
}

/// logfmt lines: 3 "request done", 2 errors, 1 other.
fn logfmt_lines() -> Vec<LogEntry> {
    let texts = [
        r#"ts=1 level=info msg="request done" dur=12"#,
        r#"ts=2 level=error msg=timeout"#,
        r#"ts=3 level=info msg="request done" dur=40"#,
        r#"ts=4 level=debug msg=tick"#,
        r#"ts=5 level=info msg="request done" dur=7"#,
        r#"ts=6 level=error msg=refused"#,
    ];
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| LogEntry::new(NOW - (10 - i as i64) * S, stream("api", "info"), *t))
        .collect()
}

/// `P`, then the view's fetch as the loop runs it, then its answer.
async fn open_patterns(a: &mut App, b: &Backend) {
    let cmds = update(a, key('P'));
    let (generation, query, chunks, start_ns, end_ns) = cmds
        .into_iter()
        .find_map(|c| match c {
            Command::MinePatterns {
                generation,
                query,
                chunks,
                start_ns,
                end_ns,
            } => Some((generation, query, chunks, start_ns, end_ns)),
            _ => None,
        })
        .expect("P asks for patterns");
    let result = patterns::fetch(b, query, chunks, start_ns, end_ns).await;
    update(a, Msg::PatternsFinished { generation, result });
}

/// `f`, then the view's fetch as the loop runs it, then its answer.
async fn open_fields(a: &mut App, b: &Backend) {
    let cmds = update(a, key('f'));
    let (generation, query, chunks, start_ns, end_ns) = cmds
        .into_iter()
        .find_map(|c| match c {
            Command::SampleFields {
                generation,
                query,
                chunks,
                start_ns,
                end_ns,
            } => Some((generation, query, chunks, start_ns, end_ns)),
            _ => None,
        })
        .expect("f asks for fields");
    let result = fields::fetch(b, query, chunks, start_ns, end_ns).await;
    update(a, Msg::FieldsFinished { generation, result });
}

fn patterns_view(a: &App) -> &patterns::PatternsView {
    match &a.nav.view {
        View::Patterns(v) => v,
        _ => panic!("not the patterns view"),
    }
}

fn fields_view(a: &App) -> &fields::FieldsView {
    match &a.nav.view {
        View::Fields(v) => v,
        _ => panic!("not the fields view"),
    }
}

#[tokio::test]
async fn the_patterns_view_uses_loki_s_patterns_when_it_answers() {
    let stub = LokiStub::start();
    stub.serve_path("/loki/api/v1/patterns", Reply::json(PATTERNS.to_string()));
    let b = backend(&stub);
    let mut a = app(120, 24);
    load(&mut a, Q, logfmt_lines());
    open_patterns(&mut a, &b).await;
    let m = patterns_view(&a).mined.as_ref().expect("patterns");
    assert!(
        matches!(m.report.origin, Origin::Loki { .. }),
        "{:?}",
        m.report.origin
    );
    let texts: Vec<&str> = m
        .report
        .patterns
        .iter()
        .map(|p| p.pattern.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            r#"<_> level=info msg="request done" <_>"#,
            "<_> level=error msg=<_>"
        ]
    );
    assert_eq!(m.report.patterns[0].count, 7);
    // Enter's lines: the loaded lines each Loki pattern matches (`|>` semantics)
    let durs: Vec<&str> = m.lines[0].iter().map(|(_, l)| &l[l.len() - 2..]).collect();
    assert_eq!(durs, ["12", "40", "=7"]);
    assert_eq!(m.lines[1].len(), 2);
    assert!(m.lines[1].iter().all(|(_, l)| l.contains("level=error")));
    // Loki was asked with the query over the loaded range; no lines were fetched
    let req = &stub.requests_to("/loki/api/v1/patterns")[0];
    assert_eq!(req.param("query"), Some(Q));
    assert!(req.param("step").is_some_and(|s| s.ends_with('s')));
    assert_eq!(stub.request_count("/loki/api/v1/query_range"), 0);
    let s = text(draw(&a).backend().buffer());
    assert!(
        s.contains("2 patterns over 8 lines · from Loki /patterns "),
        "{s}"
    );
}

#[tokio::test]
async fn the_patterns_view_mines_here_when_the_pattern_ingester_is_off() {
    // no /patterns route: the stub answers 404 as Loki does with the ingester off
    let stub = LokiStub::start();
    let b = backend(&stub);
    let mut a = app(120, 24);
    load(&mut a, Q, lines(14, NOW - S, S));
    open_patterns(&mut a, &b).await;
    let m = patterns_view(&a).mined.as_ref().expect("patterns");
    assert!(
        matches!(m.report.origin, Origin::Local { lines: 14, .. }),
        "{:?}",
        m.report.origin
    );
    assert_eq!(stub.requests_to("/loki/api/v1/patterns").len(), 1);
    let s = text(draw(&a).backend().buffer());
    assert!(s.contains("over 14 lines · computed locally "), "{s}");
}

#[tokio::test]
async fn the_fields_view_merges_loki_s_detected_fields() {
    let stub = LokiStub::start();
    stub.serve_path(
        "/loki/api/v1/detected_fields",
        Reply::json_bytes(&fixture("35-detected-fields.json")),
    );
    let values = Reply::json_bytes(&fixture("35b-detected-field-values.json"));
    stub.serve_path("/loki/api/v1/detected_field/args_timeout_s/values", values);
    let b = backend(&stub);
    let mut a = app(120, 30);
    load(&mut a, Q, lines(14, NOW - S, S));
    open_fields(&mut a, &b).await;
    let s = fields_view(&a).sampled.as_ref().expect("fields");
    assert!(
        matches!(s.origin, Origin::Mixed { lines: 14, .. }),
        "{:?}",
        s.origin
    );
    // a field only Loki knows, with its type and its value list
    let t = s
        .fields
        .iter()
        .find(|f| f.name == "args_timeout_s")
        .unwrap();
    assert_eq!((t.kind.as_str(), t.cardinality), ("int", 1));
    assert_eq!(t.top[0].0, "patch_verifier");
    // a label only the loaded lines have stays, sampled here
    let module = s.fields.iter().find(|f| f.name == "module").unwrap();
    assert_eq!(module.source, "label");
    assert_eq!(
        stub.requests_to("/loki/api/v1/detected_fields")[0].param("query"),
        Some(Q)
    );
    let text = text(draw(&a).backend().buffer());
    assert!(
        text.contains("over 14 lines · from Loki /detected_fields + local sample "),
        "{text}"
    );

    // without detected_fields (404): sampled here, and said so
    let stub = LokiStub::start();
    let b = backend(&stub);
    let mut a = app(120, 30);
    load(&mut a, Q, lines(14, NOW - S, S));
    open_fields(&mut a, &b).await;
    let s = fields_view(&a).sampled.as_ref().unwrap();
    assert!(
        matches!(s.origin, Origin::Local { lines: 14, .. }),
        "{:?}",
        s.origin
    );
    let text = super::screens::text(draw(&a).backend().buffer());
    assert!(text.contains("over 14 lines · computed locally "), "{text}");
}

#[tokio::test]
async fn a_live_patterns_capture_drives_the_view_and_include() {
    // 39e: a real Loki's `/patterns` answer with the pattern ingester on
    let stub = LokiStub::start();
    stub.serve_path(
        "/loki/api/v1/patterns",
        Reply::json_bytes(&fixture("39e-patterns-ingester-on.json")),
    );
    let b = backend(&stub);
    let texts = [
        r#"level=info msg="request done" method=GET path=/v1/events/3 status=200 duration=12ms"#,
        r#"level=error msg="upstream failed" err="dial tcp 10.0.0.4:443: connection refused" attempt=4"#,
        r#"level=info msg="request done" method=GET path=/v1/events/6 status=200 duration=7ms"#,
    ];
    let entries: Vec<LogEntry> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| LogEntry::new(NOW - (5 - i as i64) * S, stream("api", "info"), *t))
        .collect();
    let mut a = app(120, 24);
    load(&mut a, Q, entries);
    open_patterns(&mut a, &b).await;
    let m = patterns_view(&a).mined.as_ref().expect("patterns");
    assert!(matches!(m.report.origin, Origin::Loki { .. }));
    assert_eq!(m.report.total, 200);
    assert_eq!(
        m.report
            .patterns
            .iter()
            .map(|p| p.count)
            .collect::<Vec<_>>(),
        [100, 100]
    );
    // equal counts: the info pattern's row, wherever the tie put it, has the two info lines
    let info = m
        .report
        .patterns
        .iter()
        .position(|p| p.pattern.starts_with("level=info"))
        .unwrap();
    assert_eq!((m.lines[info].len(), m.lines[1 - info].len()), (2, 1));
    assert!(m.lines[1 - info][0].1.contains("upstream failed"));
    let s = text(draw(&a).backend().buffer());
    assert!(
        s.contains("2 patterns over 200 lines · from Loki /patterns "),
        "{s}"
    );
    // `+` on it keeps its lines with Loki's own pattern text
    for _ in 0..info {
        update(&mut a, key('j'));
    }
    let cmds = update(&mut a, key('+'));
    let q = cmds
        .iter()
        .find_map(|c| match c {
            Command::RunQuery { req, .. } => Some(req.query.clone()),
            _ => None,
        })
        .expect("+ runs the rewritten query");
    assert_eq!(
        q,
        format!(
            r#"{Q} |> "level=info msg=\"request done\" method=GET path=<_> status=200 duration=<_>""#
        )
    );
}
