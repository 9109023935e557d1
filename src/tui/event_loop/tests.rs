use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;

use super::*;
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
