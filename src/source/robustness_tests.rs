//! Property tests: arbitrary (hostile) input never panics the classifier or the scanner, and
//! the scanner's view of a line agrees with `classify_line`.

use super::line::classify_line;
use super::*;
use crate::model::Labels;

const PIECES: &[&str] = &[
    "{",
    "}",
    "\"",
    "\\",
    ":",
    ",",
    " ",
    "|",
    "  | ",
    "[",
    "]",
    "\n",
    "\r",
    "\t",
    "\x1b",
    "\x1b[",
    "\x1b]0;",
    "\x07",
    "m",
    "level",
    "\"level\"",
    "\"logger\"",
    "\"timestamp\"",
    "\"level\":\"",
    "vulnsentinel.",
    "api",
    "2026-11-25T",
    "2026-11-25 ",
    "05:18:00",
    ".123456",
    "Z",
    "+0000",
    "[info]",
    "[ERROR]",
    "WARNING",
    "panic",
    "é",
    "漏洞",
    "\u{202e}",
    "0",
    "9",
    "web",
    "-1",
];

fn random_line(rng: &mut fastrand::Rng) -> String {
    let n = rng.usize(0..24);
    (0..n).map(|_| PIECES[rng.usize(..PIECES.len())]).collect()
}

#[test]
fn classify_never_panics_and_body_is_a_suffix() {
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..50_000 {
        let line = random_line(&mut rng);
        let info = classify_line(&line, "app");
        assert!(line.ends_with(info.body(&line)));
        assert!(!info.labels["level"].is_empty());
    }
}

#[test]
fn timestamp_fast_finds_what_classify_fast_finds() {
    let mut rng = fastrand::Rng::with_seed(5);
    let demo = super::demo::demo_bytes(super::demo::DEMO_END_NS);
    let demo = String::from_utf8_lossy(&demo[..200_000]).into_owned();
    let random = (0..50_000).map(|_| random_line(&mut rng));
    for line in demo.lines().map(str::to_string).chain(random) {
        for l in [line.clone(), format!("{line}\r"), format!("svc  | {line}")] {
            assert_eq!(
                super::line::timestamp_fast(&l),
                super::line::classify_fast(&l).ts_ns,
                "{l:?}"
            );
        }
    }
}

#[test]
fn scanner_survives_random_bytes_and_agrees_with_classify_line() {
    let mut rng = fastrand::Rng::with_seed(11);
    for round in 0..30 {
        let mut bytes = Vec::new();
        for _ in 0..rng.usize(0..400) {
            bytes.extend_from_slice(random_line(&mut rng).as_bytes());
            if rng.u8(..) < 20 {
                bytes.push(rng.u8(0x80..=0xff)); // invalid UTF-8
            }
            bytes.push(b'\n');
        }
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .filter(|l| !l.trim().is_empty())
            .collect();
        // Records take their labels from their first line (issue 11.3): every stream comes
        // from some line, and every line that always begins a record has its stream.
        let any_line: std::collections::BTreeSet<Labels> = lines
            .iter()
            .map(|l| classify_line(l, "app").labels)
            .collect();
        let starts: std::collections::BTreeSet<Labels> = lines
            .iter()
            .enumerate()
            .filter(|(i, l)| *i == 0 || super::record::role(l).0 == super::record::Role::Start)
            .map(|(_, l)| classify_line(l, "app").labels)
            .collect();
        let src = LocalSource::from_bytes("fuzz", bytes, "app");
        let got: std::collections::BTreeSet<Labels> = src
            .series(&[], i64::MIN, i64::MAX)
            .unwrap()
            .into_iter()
            .collect();
        assert!(got.is_subset(&any_line), "round {round}");
        assert!(starts.is_subset(&got), "round {round}");
    }
}
