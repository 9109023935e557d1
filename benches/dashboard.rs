#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Dashboard benchmarks (issue 10): the first complete frame of `vs-logs dashboard --demo`
//! (opening the demo data, start, every panel query in parallel, every answer applied, one
//! 200×50 render; goal under 300 ms), the same with the demo data already open, one refresh of
//! an open dashboard on the demo data, and one refresh against the test Loki stub (every panel
//! over HTTP on 127.0.0.1, Loki's wire format, answers precomputed so the stub costs nothing).
//!
//! Run: `cargo bench --bench dashboard`

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use futures_util::future::join_all;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "../tests/support/loki_stub/mod.rs"]
#[allow(dead_code, unused_imports, clippy::all)]
mod loki_stub;

use std::collections::HashMap;
use std::time::Duration;

use vs_logs::backend::Backend;
use vs_logs::dashboard::{overview, resolve_vars};
use vs_logs::loki::{LokiClient, LokiConfig};
use vs_logs::model::{MetricResult, QueryOutput};
use vs_logs::session::Session;
use vs_logs::source::{LocalInput, LocalSource};
use vs_logs::timespec::RangeQuery;
use vs_logs::tui::app::App;
use vs_logs::tui::dash::{DashboardStart, zone};
use vs_logs::tui::msg::{Command, Msg};
use vs_logs::tui::{TuiStart, render, start, update};

fn request() -> TuiStart {
    let d = overview().unwrap();
    let vars = resolve_vars(&d.variables, &[]).unwrap();
    TuiStart {
        range: RangeQuery::default(),
        dashboard: Some(DashboardStart {
            dashboard: d,
            skipped: Vec::new(),
            vars,
            refresh_ms: None,
            zone: zone(true),
        }),
        ..TuiStart::default()
    }
}

/// Runs the panel queries of `cmds` concurrently, as the loop does, and applies the answers;
/// gives the number of panels that failed (a bench of failing panels would measure nothing).
fn answer(
    rt: &tokio::runtime::Runtime,
    backend: &Backend,
    app: &mut App,
    cmds: Vec<Command>,
) -> usize {
    let mut failed = 0;
    for c in cmds {
        if let Command::FetchPanels {
            generation,
            queries,
        } = c
        {
            let answers = rt.block_on(join_all(queries.iter().map(|q| {
                let b = backend.clone();
                async move { b.query(q, Arc::new(|_| {})).await }
            })));
            for (index, r) in answers.into_iter().enumerate() {
                let result = r.map(|(o, _)| o).map_err(|e| e.to_string());
                failed += usize::from(result.is_err());
                update(
                    app,
                    Msg::PanelFinished {
                        generation,
                        index,
                        result,
                    },
                );
            }
        }
    }
    failed
}

fn dashboard(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Ok(src) = LocalSource::open(vec![LocalInput::Demo]) else {
        eprintln!("NOTICE: demo source unavailable; skipping the dashboard benches");
        return;
    };
    let backend = Backend::Local(Arc::new(src));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as i64;
    let session = Session::new(backend.clone(), "vulnsentinel", now);
    let first = || {
        let (mut app, _) = start(&session, &request()).unwrap();
        let cmds = update(&mut app, Msg::Resize(200, 50));
        assert_eq!(answer(&rt, &backend, &mut app, cmds), 0);
        let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
        term.draw(|f| render(f, &app)).unwrap();
        app
    };
    c.bench_function("dashboard_demo_first_complete_frame_with_open", |b| {
        b.iter(|| {
            let src = LocalSource::open(vec![LocalInput::Demo]).unwrap();
            let backend = Backend::Local(Arc::new(src));
            let session = Session::new(backend.clone(), "vulnsentinel", now);
            let (mut app, _) = start(&session, &request()).unwrap();
            let cmds = update(&mut app, Msg::Resize(200, 50));
            assert_eq!(answer(&rt, &backend, &mut app, cmds), 0);
            let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
            term.draw(|f| render(f, &app)).unwrap();
            black_box(app.quit)
        })
    });
    c.bench_function("dashboard_demo_first_complete_frame", |b| {
        b.iter(|| black_box(first().quit))
    });
    let mut app = first();
    c.bench_function("dashboard_demo_refresh", |b| {
        b.iter(|| {
            let cmds = vs_logs::tui::update::dashboard::fetch(&mut app);
            assert_eq!(answer(&rt, &backend, &mut app, cmds), 0);
            let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
            term.draw(|f| render(f, &app)).unwrap();
        })
    });
    refresh_against_stub(c, &rt, &backend, &mut app);
}

/// One refresh with every panel answered over HTTP by the test stub: each panel's answer is
/// computed once on the demo data, then served by query text.
fn refresh_against_stub(
    c: &mut Criterion,
    rt: &tokio::runtime::Runtime,
    local: &Backend,
    app: &mut App,
) {
    let mut answers: HashMap<String, MetricResult> = HashMap::new();
    for cmd in vs_logs::tui::update::dashboard::fetch(app) {
        if let Command::FetchPanels { queries, .. } = cmd {
            for q in queries {
                if let Ok((QueryOutput::Metric(m), _)) =
                    rt.block_on(local.query(&q, Arc::new(|_| {})))
                {
                    answers.insert(q.query.clone(), m);
                }
            }
        }
    }
    let stub = loki_stub::LokiStub::start();
    let answers = Arc::new(answers);
    stub.set_evaluator(Arc::new(move |req| {
        let m = answers.get(req.param("query")?)?;
        Some(loki_stub::Reply::metric(m))
    }));
    let cfg = LokiConfig {
        addr: stub.url(),
        timeout: Duration::from_secs(10),
        retries: 0,
        ..LokiConfig::default()
    };
    let backend = Backend::Loki(LokiClient::new(cfg).unwrap());
    let cmds = vs_logs::tui::update::dashboard::fetch(app);
    assert_eq!(
        answer(rt, &backend, app, cmds),
        0,
        "a panel failed against the stub"
    );
    c.bench_function("dashboard_refresh_loki_stub", |b| {
        b.iter(|| {
            let cmds = vs_logs::tui::update::dashboard::fetch(app);
            assert_eq!(answer(rt, &backend, app, cmds), 0);
            let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
            term.draw(|f| render(f, app)).unwrap();
        })
    });
    drop(stub);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(10));
    targets = dashboard
}
criterion_main!(benches);
