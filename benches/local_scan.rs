//! Throughput of local-source queries over a ~1 GB JSONL file built from the demo generator,
//! beside `jq -c 'select(.level=="error")'` on the same file; and the demo generation time.
//!
//! Run: `cargo bench --bench local_scan` (size: `VS_BENCH_MB=1024`, the default).
//! A plain `main` rather than criterion: one pass over 1 GB is already a long sample.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use vs_logs::model::{Direction, QueryOutput, QueryRange};
use vs_logs::source::demo::{DEMO_END_NS, DEMO_SPAN_NS, demo_bytes, demo_lines};
use vs_logs::source::{LocalInput, LocalSource};

fn main() {
    let mb: usize = std::env::var("VS_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);

    // Demo generation (what `--demo` costs before the first frame).
    let mut times = Vec::new();
    let mut size = 0;
    let cpu = start(false);
    for _ in 0..10 {
        let t = Instant::now();
        let lines = demo_lines();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        size = lines.iter().map(|l| l.len() + 1).sum::<usize>();
    }
    let cpu_ms = (cpu_s(false) - cpu.cpu) * 100.0;
    times.sort_by(f64::total_cmp);
    println!(
        "demo generation: {} lines, {:.1} MB, median {:.1} ms, min {:.1} ms, {cpu_ms:.0} cpu-ms per run",
        demo_lines().len(),
        size as f64 / 1e6,
        times[5],
        times[0]
    );

    // `--demo` start: generate, then the first query a TUI sends (newest 1000 lines).
    let t = Instant::now();
    let cpu = start(false);
    let demo = LocalSource::open(vec![LocalInput::Demo]).unwrap();
    let end = demo.newest_ns().unwrap() + 1;
    let req = QueryRange {
        query: r#"{app="vulnsentinel"}"#.to_string(),
        start_ns: end - 3_600_000_000_000,
        end_ns: end,
        limit: 1000,
        direction: Direction::Backward,
        step_ms: None,
        instant: false,
    };
    let n = match demo.query(&req, &|_| {}) {
        Ok((QueryOutput::Streams(e), _)) => e.len(),
        _ => 0,
    };
    println!(
        "demo open + newest-1000 query: {n} entries in {:.1} ms ({:.0} cpu-ms)",
        t.elapsed().as_secs_f64() * 1000.0,
        (cpu_s(false) - cpu.cpu) * 1000.0
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let t = Instant::now();
    {
        let mut f =
            std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&path).unwrap());
        let mut written = 0usize;
        let mut day = 0i64;
        while written < mb << 20 {
            // Each copy is one more day, so the file spans weeks like a real export.
            let bytes = demo_bytes(DEMO_END_NS - DEMO_SPAN_NS * 400 + DEMO_SPAN_NS * day);
            f.write_all(&bytes).unwrap();
            written += bytes.len();
            day += 1;
        }
        f.flush().unwrap();
    }
    let len = std::fs::metadata(&path).unwrap().len();
    println!(
        "wrote {} ({:.0} MB) in {:.1} s",
        path.display(),
        len as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    // Warm the page cache so every measurement reads from memory.
    let _ = std::fs::read(&path).map(|b| b.len());

    let src = LocalSource::open(vec![LocalInput::File(path.clone())]).unwrap();
    let t = start(false);
    let labels = src.labels(0, i64::MAX).unwrap();
    report(
        "labels (index scan: classify every line)",
        len,
        t,
        labels.len(),
    );

    for query in [
        r#"{app="vulnsentinel"} |= "rate limit""#,
        r#"{app="vulnsentinel"} | json | level="error""#,
    ] {
        let req = QueryRange {
            query: query.to_string(),
            start_ns: 0,
            end_ns: i64::MAX,
            limit: 0,
            direction: Direction::Backward,
            step_ms: None,
            instant: false,
        };
        let t = start(false);
        match src.query(&req, &|_| {}) {
            Ok((QueryOutput::Streams(e), _)) => report(query, len, t, e.len()),
            Ok(_) => println!("{query}: unexpected metric result"),
            Err(e) => println!("{query}: {e}"),
        }
    }

    // The same queries through the binary, as a user runs them (`-o raw`, all matches).
    for query in [
        r#"{app="vulnsentinel"} |= "rate limit""#,
        r#"{app="vulnsentinel"} | json | level="error""#,
    ] {
        let t = start(true);
        let out = Command::new(env!("CARGO_BIN_EXE_vs-logs"))
            .args(["query", "--file"])
            .arg(&path)
            .args([query, "-o", "raw", "--limit", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .output()
            .unwrap();
        let n = out.stdout.iter().filter(|&&b| b == b'\n').count();
        report(
            &format!("vs-logs query --file big.jsonl '{query}' -o raw --limit 0"),
            len,
            t,
            n,
        );
    }

    let t = start(true);
    match Command::new("jq")
        // `-R` + `fromjson?`: plain `jq -c 'select(...)'` aborts at the first non-JSON line
        // (the demo has some), which would make it look faster than it is.
        .args(["-cR", r#"fromjson? | select(.level=="error")"#])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .output()
    {
        Ok(out) => {
            let n = out.stdout.iter().filter(|&&b| b == b'\n').count();
            report("jq -cR 'fromjson? | select(.level==\"error\")'", len, t, n);
        }
        Err(_) => println!("jq not installed: skipped"),
    }
}

/// CPU seconds used so far by this process (or by its waited-for children), from
/// `/proc/self/stat`: the machine is shared, so wall time alone says little.
fn cpu_s(children: bool) -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    let Some(rest) = stat.rsplit(')').next() else {
        return f64::NAN;
    };
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // After the `)`: state is field 0, utime 11, stime 12, cutime 13, cstime 14 (in ticks).
    let (u, s) = if children { (13, 14) } else { (11, 12) };
    (f.get(u).unwrap_or(&0.0) + f.get(s).unwrap_or(&0.0)) / 100.0
}

struct Clock {
    wall: Instant,
    cpu: f64,
    children: bool,
}

fn start(children: bool) -> Clock {
    Clock {
        wall: Instant::now(),
        cpu: cpu_s(children),
        children,
    }
}

fn report(what: &str, bytes: u64, c: Clock, results: usize) {
    let s = c.wall.elapsed().as_secs_f64();
    let cpu = cpu_s(c.children) - c.cpu;
    let mb = bytes as f64 / 1e6;
    println!(
        "{what}: {results} results; wall {s:.2} s = {:.0} MB/s; cpu {cpu:.2} s = {:.0} MB per cpu-s",
        mb / s,
        mb / cpu
    );
}
