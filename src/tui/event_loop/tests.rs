use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;

use super::*;
use crate::model::Direction;
use crate::tui::testkit::{self, NOW};

fn session() -> Session {
    let src = crate::source::LocalSource::open(vec![]).unwrap();
    Session::new(Backend::Local(Arc::new(src)), "vulnsentinel", NOW)
}

fn key(c: char) -> std::io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

#[tokio::test]
async fn keys_reach_the_app_and_q_quits() {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut app = testkit::app(80, 24);
    // Events that are not keys are skipped; the key table's `q` quits.
    let events = futures_util::stream::iter(vec![Ok(Event::FocusGained), key('q')])
        .chain(futures_util::stream::pending());
    let session = session();
    let run = run(
        &mut terminal,
        Box::pin(events),
        &mut app,
        &session,
        None,
        Vec::new(),
    );
    tokio::time::timeout(Duration::from_secs(10), run)
        .await
        .expect("q ends the loop")
        .unwrap();
    assert!(app.quit);
}

#[tokio::test]
async fn sighup_ends_the_loop() {
    use tokio::signal::unix::{SignalKind, signal};
    // Registered first, so no SIGHUP sent below can kill the test process.
    let _hup = signal(SignalKind::hangup()).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut app = testkit::app(80, 24);
    let done = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&done);
    let pid = std::process::id().to_string();
    let sender = tokio::spawn(async move {
        // The loop registers its own handler once it runs: keep signalling until it ends.
        while !flag.load(Ordering::SeqCst) {
            let status = std::process::Command::new("kill")
                .args(["-HUP", &pid])
                .status()
                .unwrap();
            assert!(status.success());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    let events = futures_util::stream::pending::<std::io::Result<Event>>();
    let session = session();
    let run = run(&mut terminal, events, &mut app, &session, None, Vec::new());
    let ended = tokio::time::timeout(Duration::from_secs(10), run).await;
    done.store(true, Ordering::SeqCst);
    sender.await.unwrap();
    ended.expect("SIGHUP ends the loop").unwrap();
    assert!(!app.quit, "ended by the signal, not by a key");
}

#[tokio::test]
async fn exporting_the_whole_range_pages_through_it_without_gaps_or_repeats() {
    // 23 lines, two per second, so page boundaries (5 a page) fall inside a shared timestamp
    let text: String = (0..23)
        .map(|i| {
            format!(
                "{{\"timestamp\":\"2026-11-25T09:00:{:02}Z\",\"level\":\"info\",\"event\":\"e{i}\"}}\n",
                i / 2
            )
        })
        .collect();
    let src = crate::source::LocalSource::from_bytes("mem", text.into_bytes(), "vulnsentinel");
    let backend = Backend::Local(Arc::new(src));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all.jsonl");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let req = QueryRange {
        query: r#"{app="vulnsentinel"}"#.into(),
        start_ns: NOW - 86_400_000_000_000,
        end_ns: NOW,
        limit: 5,
        direction: Direction::Backward,
        step_ms: None,
        instant: false,
    };
    tasks::export_range(
        backend,
        tx,
        path.clone(),
        super::super::msg::ExportFormat::Jsonl,
        req,
    )
    .await;
    let mut progress = Vec::new();
    let mut finished = None;
    while let Ok(m) = rx.try_recv() {
        match m {
            Msg::ExportProgress(n) => progress.push(n),
            Msg::ExportFinished(r) => finished = Some(r),
            other => panic!("unexpected {other:?}"),
        }
    }
    let note = finished.expect("the export ends").unwrap();
    assert!(note.starts_with("exported 23 lines of the range"), "{note}");
    assert!(
        progress.len() >= 5,
        "progress after each page: {progress:?}"
    );
    assert_eq!(progress.last(), Some(&23));
    let events: Vec<String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["fields"]["event"].as_str().unwrap().to_string()
        })
        .collect();
    let want: Vec<String> = (0..23).map(|i| format!("e{i}")).collect();
    assert_eq!(events, want, "every line once, oldest first");
}
