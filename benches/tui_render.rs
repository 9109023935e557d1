#![allow(clippy::unwrap_used, clippy::expect_used)]
//! TUI benchmarks: with 1,000,000 lines loaded, a key press plus a full render on a 200×50
//! `TestBackend` (scroll, page, jump to either end); the memory held by the loaded lines
//! against their raw size; the time to the first frame with results on the demo data.
//!
//! Run: `cargo bench --bench tui_render`

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use vs_logs::backend::Backend;
use vs_logs::model::{Direction, QueryOutput, QueryRange};
use vs_logs::source::{LocalInput, LocalSource};
use vs_logs::tui::app::App;
use vs_logs::tui::msg::{Msg, PageKind};
use vs_logs::tui::store::Chunk;
use vs_logs::tui::testkit::{NOW, app, code, key, lines, load};
use vs_logs::tui::{render, update};

const N: usize = 1_000_000;

fn loaded() -> App {
    let mut a = app(200, 50);
    a.logs.page_size = 0;
    let entries = lines(N, NOW, 1_000_000);
    let raw: usize = entries.iter().map(|e| e.line.len() + 1).sum();
    load(&mut a, r#"{app="vulnsentinel"} | json"#, entries);
    let mem = a.logs.results.store.memory_bytes();
    eprintln!(
        "memory: {N} lines, raw {:.1} MB, held {:.1} MB ({:.2}× raw)",
        raw as f64 / 1e6,
        mem as f64 / 1e6,
        mem as f64 / raw as f64
    );
    a
}

fn keys(c: &mut Criterion) {
    let mut a = loaded();
    let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
    term.draw(|f| render(f, &a)).unwrap();
    let mut g = c.benchmark_group("tui_1M_lines_200x50");
    let mut step = |name: &str, msgs: &[Msg]| {
        g.bench_function(name, |b| {
            let mut i = 0;
            b.iter(|| {
                let m = msgs[i % msgs.len()].clone();
                i += 1;
                black_box(update(&mut a, m));
                term.draw(|f| render(f, &a)).unwrap();
            })
        });
    };
    step("scroll_j", &[key('j')]);
    step("page_down", &[code(KeyCode::PageDown)]);
    step("jump_G_then_g", &[key('G'), key('g')]);
    step("next_error_e", &[key('e')]);
    g.finish();
}

/// The demo: query the bundled data, build the store, render the first frame with results.
fn first_frame(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Ok(src) = LocalSource::open(vec![LocalInput::Demo]) else {
        eprintln!("NOTICE: demo source unavailable; skipping first-frame bench");
        return;
    };
    let backend = Backend::Local(Arc::new(src));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as i64;
    let req = QueryRange {
        query: r#"{app="vulnsentinel"}"#.into(),
        start_ns: now - 3_600_000_000_000,
        end_ns: now,
        limit: 1000,
        direction: Direction::Backward,
        step_ms: None,
        instant: false,
    };
    if let Err(e) = rt.block_on(backend.query(&req, Arc::new(|_| {}))) {
        eprintln!("NOTICE: demo query failed ({e}); skipping first-frame bench");
        return;
    }
    c.bench_function("demo_first_frame_with_results", |b| {
        b.iter(|| {
            let started = Instant::now();
            let mut a = app(200, 50);
            a.now_ns = now;
            a.editor.input.set(req.query.clone());
            let _ = vs_logs::tui::update::run_query(&mut a, req.query.clone());
            let (out, stats) = rt.block_on(backend.query(&req, Arc::new(|_| {}))).unwrap();
            let QueryOutput::Streams(entries) = out else {
                panic!("log query returned a metric")
            };
            let returned = entries.len();
            let g = a.status.generation;
            update(
                &mut a,
                Msg::QueryFinished {
                    generation: g,
                    page: PageKind::First,
                    result: Ok(Box::new(vs_logs::tui::msg::QueryDone {
                        data: vs_logs::tui::msg::QueryData::Lines {
                            chunk: Chunk::build(entries),
                            returned,
                        },
                        stats,
                        elapsed_ms: started.elapsed().as_millis() as u64,
                    })),
                },
            );
            let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
            term.draw(|f| render(f, &a)).unwrap();
            black_box(a.logs.len())
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(4));
    targets = keys, first_frame
}
criterion_main!(benches);
