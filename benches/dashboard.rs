#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Dashboard benchmarks on the demo data (embedded engine): the first complete frame of
//! `vs-logs dashboard --demo` (start, every panel query in parallel, every answer applied, one
//! 200×50 render; goal under 300 ms) and one refresh of an open dashboard.
//!
//! Run: `cargo bench --bench dashboard`

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use futures_util::future::join_all;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use vs_logs::backend::Backend;
use vs_logs::dashboard::{overview, resolve_vars};
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

/// Runs the panel queries of `cmds` concurrently, as the loop does, and applies the answers.
fn answer(rt: &tokio::runtime::Runtime, backend: &Backend, app: &mut App, cmds: Vec<Command>) {
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
        answer(&rt, &backend, &mut app, cmds);
        let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
        term.draw(|f| render(f, &app)).unwrap();
        app
    };
    c.bench_function("dashboard_demo_first_complete_frame", |b| {
        b.iter(|| black_box(first().quit))
    });
    let mut app = first();
    c.bench_function("dashboard_demo_refresh", |b| {
        b.iter(|| {
            let cmds = vs_logs::tui::update::dashboard::fetch(&mut app);
            answer(&rt, &backend, &mut app, cmds);
            let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
            term.draw(|f| render(f, &app)).unwrap();
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(10));
    targets = dashboard
}
criterion_main!(benches);
