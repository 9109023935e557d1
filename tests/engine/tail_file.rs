#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Following a file like `tail -F`: a writer appends, truncates and rotates (rename + new file)
//! while the follower polls at arbitrary points; every line written after the start is seen
//! exactly once, in order.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use vs_logs::tail::file::{FileEvent, FileFollower};
use vs_logs::tail::{FollowOptions, TailEvent, TailSettings, spawn_file};

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

#[test]
fn every_line_once_across_appends_truncations_and_rotations() {
    for seed in 0..20u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("app.log");
        append(&p, "before-start\n");
        let mut f = FileFollower::from_end(&p).unwrap();
        let mut written = Vec::new();
        let mut seen = Vec::new();
        let mut events = Vec::new();
        let mut rotations = 0;
        for step in 0..200 {
            match rng.u8(0..10) {
                // Truncate only right after a poll drained everything: what is cut away
                // unread is lost by any tail -F, so the test does not do that.
                0 => {
                    let got = f.poll().unwrap();
                    seen.extend(got.lines);
                    events.extend(got.events);
                    std::fs::write(&p, "").unwrap();
                }
                // Rotate (after a poll: a file rotated away twice unread is invisible to any
                // tail -F). The writer may still append to the old file before reopening, and
                // creates the new file at once or only with its next line.
                1 if p.exists() => {
                    let got = f.poll().unwrap();
                    seen.extend(got.lines);
                    events.extend(got.events);
                    rotations += 1;
                    let old = dir.path().join(format!("app.log.{rotations}"));
                    std::fs::rename(&p, &old).unwrap();
                    if rng.bool() {
                        let line = format!("s{seed}-l{step}-late");
                        append(&old, &format!("{line}\n"));
                        written.push(line);
                    }
                    if rng.bool() {
                        std::fs::write(&p, "").unwrap();
                    }
                }
                2..=4 => {
                    let got = f.poll().unwrap();
                    seen.extend(got.lines);
                    events.extend(got.events);
                }
                _ => {
                    let n = rng.usize(1..4);
                    let mut text = String::new();
                    for i in 0..n {
                        let line = format!("s{seed}-l{step}-{i}");
                        text.push_str(&line);
                        text.push('\n');
                        written.push(line);
                    }
                    append(&p, &text);
                }
            }
        }
        let got = f.poll().unwrap();
        seen.extend(got.lines);
        events.extend(got.events);
        assert_eq!(seen, written, "seed {seed}");
        if rotations > 0 {
            assert!(events.contains(&FileEvent::Rotated), "seed {seed}");
        }
    }
}

#[tokio::test]
async fn spawn_file_shows_history_then_new_matching_lines() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("app.log");
    let line = |i: u32, level: &str| {
        format!(
            r#"{{"event":"e{i}","level":"{level}","logger":"vulnsentinel.api","timestamp":"2026-11-25T08:00:{i:02}Z"}}"#
        )
    };
    append(&p, &format!("{}\n{}\n", line(1, "error"), line(2, "info")));
    let opts = FollowOptions {
        query: r#"{app="vulnsentinel"} | json | level="error""#.into(),
        start_ns: 0,
        limit: 100,
        delay_for_s: 0,
    };
    let settings = TailSettings {
        file_poll: Duration::from_millis(5),
        ..TailSettings::default()
    };
    let mut rx = spawn_file(p.clone(), "vulnsentinel".into(), opts, settings);
    let mut got = Vec::new();
    while got.len() < 3 {
        match rx.recv().await.unwrap() {
            TailEvent::Entries(v) => {
                got.extend(v.into_iter().map(|e| e.line));
                if got.len() == 1 {
                    append(&p, &format!("{}\n{}\n", line(3, "info"), line(4, "error")));
                    std::fs::rename(&p, dir.path().join("app.log.1")).unwrap();
                    append(&p, &format!("{}\n", line(5, "error")));
                }
            }
            TailEvent::Failed(m, _) => panic!("{m}"),
            _ => {}
        }
    }
    assert_eq!(got, [line(1, "error"), line(4, "error"), line(5, "error")]);
}
