#![allow(clippy::unwrap_used)]

use super::*;

fn mine_all(lines: &[&str]) -> (PatternSet, Vec<Option<usize>>) {
    mine_assigned(
        lines.iter().enumerate().map(|(i, l)| (i as i64, *l)),
        0,
        lines.len() as i64,
        &PatternsConfig::default(),
    )
}

fn templates(set: &PatternSet) -> Vec<(&str, u64)> {
    set.patterns
        .iter()
        .map(|p| (p.template.as_str(), p.count))
        .collect()
}

#[test]
fn variables_merge_and_words_split() {
    let (set, _) = mine_all(&[
        "connected to 10.0.0.1 in 12ms",
        "connected to 10.0.0.2 in 340ms",
        "connected to db-7 in 5ms",
        "user alice logged in",
        "user bob logged in",
        "user bob logged out",
    ]);
    assert_eq!(
        templates(&set),
        vec![("connected to <_> in <_>", 3), ("user <_> logged <_>", 3),]
    );
    // Same count: ordered by template.
    assert_eq!(set.total, 6);
    assert!(set.patterns.iter().all(|p| p.exact));
    assert_eq!(
        set.patterns[0].include_filter().as_deref(),
        Some(r#"|> "connected to <_> in <_>""#)
    );
}

#[test]
fn structlog_lines_are_mined_on_event_and_message_fields_never_mixing_events() {
    let (set, ids) = mine_all(&[
        r#"{"event":"job.done","job_id":"evt-789","took_ms":12,"level":"info"}"#,
        r#"{"event":"job.done","job_id":"evt-790","took_ms":99,"level":"info"}"#,
        r#"{"event":"job.failed","error":"timeout after 30s","agent_id":"ag-456","level":"error"}"#,
        r#"{"event":"job.failed","error":"timeout after 45s","agent_id":"ag-457","level":"error"}"#,
        r#"{"event":"job.started","level":"info"}"#,
    ]);
    assert_eq!(
        templates(&set),
        vec![
            ("job.done", 2),
            (r#"job.failed error="timeout after <_>""#, 2),
            ("job.started", 1),
        ]
    );
    let by_index = |n: usize| Some(set.patterns[n].id);
    assert_eq!(
        ids,
        vec![
            by_index(0),
            by_index(0),
            by_index(1),
            by_index(1),
            by_index(2)
        ]
    );
    assert_eq!(
        set.patterns[1].logql_pattern.as_deref(),
        Some(r#"{"event":"job.failed"<_>"error":"timeout after <_>"<_>"#)
    );
    assert!(set.patterns.iter().all(|p| p.exact));
}

#[test]
fn a_filter_that_also_matches_other_lines_is_not_exact() {
    // `a <_>` would also match the three-token line: not offered.
    let (set, _) = mine_all(&["a 1", "a 2", "a 1 x"]);
    let two = set.patterns.iter().find(|p| p.template == "a <_>").unwrap();
    assert_eq!(two.count, 2);
    assert!(!two.exact);
    assert_eq!(two.include_filter(), None);
    let three = set
        .patterns
        .iter()
        .find(|p| p.template == "a <_> x")
        .unwrap();
    assert!(three.exact);
}

#[test]
fn irregular_whitespace_and_literal_angle_brackets_are_flagged() {
    let (set, _) = mine_all(&["tab\tseparated line", "<html> page"]);
    let tab = set
        .patterns
        .iter()
        .find(|p| p.template.starts_with("tab"))
        .unwrap();
    assert!(!tab.exact, "the filter joins tokens with one space");
    let html = set
        .patterns
        .iter()
        .find(|p| p.template.contains("html"))
        .unwrap();
    assert_eq!(html.logql_pattern, None);
    assert!(!html.exact);
}

#[test]
fn statistics_over_the_range() {
    let lines = ["x 1", "x 2", "x 3", "y"];
    let ts = [0i64, 10, 95, 50];
    let (set, _) = mine_assigned(
        lines.iter().zip(ts).map(|(l, t)| (t, *l)),
        0,
        100,
        &PatternsConfig {
            buckets: 4,
            samples: 2,
            ..PatternsConfig::default()
        },
    );
    let x = &set.patterns[0];
    assert_eq!((x.template.as_str(), x.count), ("x <_>", 3));
    assert_eq!((x.first_ns, x.last_ns), (0, 95));
    assert_eq!(x.volume, vec![2, 0, 0, 1]);
    assert_eq!(x.samples, vec![0, 1]);
    assert!((x.share - 0.75).abs() < 1e-9);
}

#[test]
fn cluster_cap_bounds_the_patterns_of_a_group() {
    let lines: Vec<String> = (0..50)
        .map(|i| format!("w{} alpha{}", "x".repeat(i), "y".repeat(i)))
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let cfg = PatternsConfig {
        max_clusters_per_group: 3,
        ..PatternsConfig::default()
    };
    let set = mine(refs.iter().map(|l| (0, *l)), 0, 1, &cfg);
    // All lines share one group (two tokens, a variable-free lead differs per line, so
    // the groups are per lead): every line is still counted.
    assert_eq!(set.total, 50);
    assert_eq!(set.unmatched, 0);
    assert_eq!(set.patterns.iter().map(|p| p.count).sum::<u64>(), 50);
}

#[test]
fn same_input_same_output() {
    let lines: Vec<String> = (0..200)
        .map(|i| {
            format!(
                "req {} took {}ms status {}",
                i % 7,
                i,
                ["ok", "fail"][i % 2]
            )
        })
        .collect();
    let a = mine(
        lines.iter().map(|l| (0, l.as_str())),
        0,
        1,
        &PatternsConfig::default(),
    );
    let b = mine(
        lines.iter().map(|l| (0, l.as_str())),
        0,
        1,
        &PatternsConfig::default(),
    );
    assert_eq!(a, b);
}

/// A tiny deterministic generator (xorshift) so the property test needs no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

#[test]
fn every_line_is_counted_once_in_a_pattern_it_fits_and_exact_filters_select_exactly() {
    for seed in 1..=20u64 {
        let mut r = Rng(seed * 0x9E37_79B9);
        let words = [
            "GET", "POST", "error", "user", "login", "[INFO]", "=", "a-b",
        ];
        let vars = ["42", "evt-789", "10.1.2.3", "/tmp/x", "5ms", "0xff"];
        let lines: Vec<String> = (0..300)
            .map(|_| {
                let n = 1 + r.next() % 6;
                let toks: Vec<&str> = (0..n)
                    .map(|_| {
                        if r.next().is_multiple_of(3) {
                            r.pick(&vars)
                        } else {
                            r.pick(&words)
                        }
                    })
                    .collect();
                if r.next().is_multiple_of(4) {
                    format!(
                        r#"{{"event":"{}","error":"{}"}}"#,
                        r.pick(&words),
                        toks.join(" ")
                    )
                } else {
                    toks.join(" ")
                }
            })
            .collect();
        let cfg = PatternsConfig::default();
        let (set, ids) = mine_assigned(lines.iter().map(|l| (0, l.as_str())), 0, 1, &cfg);
        assert_eq!(set.unmatched, 0);
        assert_eq!(set.patterns.iter().map(|p| p.count).sum::<u64>(), 300);
        for (line, id) in lines.iter().zip(&ids) {
            let own: Vec<&Pattern> = set.patterns.iter().filter(|p| Some(p.id) == *id).collect();
            assert_eq!(own.len(), 1, "seed {seed}: {line}");
            assert!(
                own[0].fits(line, &cfg),
                "seed {seed}: {line} !~ {}",
                own[0].template
            );
            for p in set.patterns.iter().filter(|p| p.exact) {
                let f = Filter::parse_filter(p.logql_pattern.as_deref().unwrap()).unwrap();
                assert_eq!(
                    f.matches(line),
                    Some(p.id) == *id,
                    "seed {seed}: {line} vs {}",
                    p.template
                );
            }
        }
    }
}

#[test]
fn new_patterns_are_those_absent_from_the_previous_range() {
    let (prev, _) = mine_all(&["disk 1 full", "disk 2 full", "user a in", "user c in"]);
    let (mut now, _) = mine_all(&["disk 3 full", "panic at 0x1f", "user b in"]);
    mark_new(&mut now, &prev);
    let new: Vec<&str> = now
        .patterns
        .iter()
        .filter(|p| p.is_new)
        .map(|p| p.template.as_str())
        .collect();
    assert_eq!(new, vec!["panic at <_>"]);
    // `user <_> in` (previous) and `user b in` (now, one line) are the same pattern.
    assert!(
        now.patterns
            .iter()
            .any(|p| p.template == "user b in" && !p.is_new)
    );
}
