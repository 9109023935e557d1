//! Issue 12: every size limit a user may need to change is a global flag, its environment
//! variable the default source, then the profile (flag > env > profile > default); an input
//! over a limit says which flag raises it. And a big stdin is streamed, not held in memory.

use std::io::Write;

use crate::support::bin::{run, vs_logs};
use crate::support::bounded::under_ulimit;

/// `n` JSON lines one second apart from 2026-01-10T08:00:00Z, every 1000th an error.
fn timed_lines(n: usize) -> String {
    let mut s = String::with_capacity(n * 130);
    for i in 0..n {
        let level = if i % 1000 == 999 { "error" } else { "info" };
        let (h, m, sec) = (8 + i / 3600, (i / 60) % 60, i % 60);
        s.push_str(&format!(
            "{{\"event\":\"e{i}\",\"level\":\"{level}\",\"logger\":\"vulnsentinel.api\",\
             \"timestamp\":\"2026-01-10T{h:02}:{m:02}:{sec:02}Z\",\"pad\":\"{}\"}}\n",
            "x".repeat(i % 40)
        ));
    }
    s
}

fn config(dir: &std::path::Path, body: &str) -> std::path::PathBuf {
    let p = dir.join("config.toml");
    std::fs::write(&p, format!("default_profile = \"p\"\n[profiles.p]\n{body}")).unwrap();
    p
}

/// The size a line was cut at, from the marker.
fn cut_at(stdout: &str) -> Option<usize> {
    let at = stdout.find("line truncated at ")? + "line truncated at ".len();
    stdout[at..].split(' ').next()?.parse().ok()
}

#[test]
fn max_line_bytes_flag_beats_env_beats_profile() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("long.log");
    std::fs::write(&f, format!("{}\nshort\n", "a".repeat(10_000))).unwrap();
    let cfg = config(dir.path(), "max_line_bytes = 3000\n");
    let query = |extra: &[&str], env: Option<&str>| {
        let mut cmd = vs_logs();
        cmd.arg("--config").arg(&cfg).arg("--file").arg(&f);
        cmd.args(["query", "{app=\"vulnsentinel\"}", "-o", "raw"]);
        cmd.args(extra);
        if let Some(v) = env {
            cmd.env("VS_LOGS_MAX_LINE_BYTES", v);
        }
        let o = run(&mut cmd);
        assert_eq!(o.code, 0, "{}", o.stderr);
        // the marker names the flag that raises the cap
        assert!(o.stdout.contains("raise --max-line-bytes"), "{}", o.stdout);
        cut_at(&o.stdout)
    };
    assert_eq!(query(&[], None), Some(3000), "profile");
    assert_eq!(query(&[], Some("2048")), Some(2048), "env over profile");
    assert_eq!(
        query(&["--max-line-bytes", "4096"], Some("2048")),
        Some(4096),
        "flag over env"
    );
    // Default without either.
    let o = run(vs_logs()
        .arg("--file")
        .arg(&f)
        .args([
            "--max-line-bytes",
            "1024",
            "query",
            "{app=\"vulnsentinel\"}",
        ])
        .args(["-o", "raw"]));
    assert_eq!(cut_at(&o.stdout), Some(1024));
    // Out of range, from the flag or the env: a usage error naming the flag.
    let o = run(vs_logs()
        .args(["--max-line-bytes", "10", "--demo", "labels"])
        .env("VS_LOGS_MAX_LINE_BYTES", "5000"));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--max-line-bytes"), "{}", o.stderr);
    let o = run(vs_logs()
        .args(["--demo", "labels"])
        .env("VS_LOGS_MAX_LINE_BYTES", "lots"));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--max-line-bytes"), "{}", o.stderr);
}

#[test]
fn line_format_over_the_flag_cap_is_a_template_error_naming_the_flag() {
    let o = run(vs_logs()
        .args([
            "--stdin",
            "--max-line-bytes",
            "2000",
            "query",
            "-o",
            "jsonl",
        ])
        .arg(
            "{app=\"vulnsentinel\"} | line_format \"{{__line__}}{{__line__}}\" \
             | line_format \"{{__line__}}{{__line__}}\"",
        )
        .write_stdin(format!("{}\n", "b".repeat(600))));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("TemplateFormatErr"), "{}", o.stdout);
    assert!(
        o.stdout.contains("maximum line size of 2000 bytes")
            && o.stdout.contains("--max-line-bytes"),
        "{}",
        o.stdout
    );
}

#[test]
fn max_stdin_mb_flag_beats_env_beats_profile() {
    let dir = tempfile::tempdir().unwrap();
    let big = timed_lines(2 * 1024 * 1024 / 120 + 1000); // over 2 MiB
    assert!(big.len() > 2 << 20);
    let labels = |cfg_body: &str, extra: &[&str], env: Option<&str>| {
        let cfg = config(dir.path(), cfg_body);
        let mut cmd = vs_logs();
        cmd.arg("--config").arg(&cfg).args(["labels", "--stdin"]);
        cmd.args(extra);
        if let Some(v) = env {
            cmd.env("VS_LOGS_MAX_STDIN_MB", v);
        }
        run(cmd.write_stdin(big.clone()))
    };
    let refused = |o: &crate::support::bin::Out, mb: u32| {
        assert_ne!(o.code, 0);
        assert!(o.stdout.is_empty(), "{}", o.stdout);
        assert!(
            o.stderr.contains(&format!("more than {mb} MiB"))
                && o.stderr.contains("--max-stdin-mb"),
            "{}",
            o.stderr
        );
    };
    refused(&labels("max_stdin_mb = 1\n", &[], None), 1);
    let o = labels("max_stdin_mb = 1\n", &[], Some("4"));
    assert_eq!(o.code, 0, "env over profile: {}", o.stderr);
    refused(
        &labels("max_stdin_mb = 8\n", &["--max-stdin-mb", "1"], Some("4")),
        1,
    );
    let o = labels("", &["--max-stdin-mb", "3"], Some("1"));
    assert_eq!(o.code, 0, "flag over env: {}", o.stderr);
}

#[test]
fn max_body_mb_from_the_profile_and_out_of_range() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), "max_body_mb = 0\n");
    let o = run(vs_logs().arg("--config").arg(&cfg).args(["labels"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("max_body_mb = 0"), "{}", o.stderr);
    let o = run(vs_logs().args(["--max-body-mb", "0", "labels"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--max-body-mb"), "{}", o.stderr);
}

#[test]
fn help_lists_every_limit_flag() {
    let o = run(vs_logs().arg("--help"));
    for flag in ["--max-body-mb", "--max-line-bytes", "--max-stdin-mb"] {
        assert!(o.stdout.contains(flag), "{flag} missing:\n{}", o.stdout);
    }
    for env in [
        "VS_LOGS_MAX_BODY_MB",
        "VS_LOGS_MAX_LINE_BYTES",
        "VS_LOGS_MAX_STDIN_MB",
    ] {
        assert!(o.stdout.contains(env), "{env} missing:\n{}", o.stdout);
    }
}

/// Issue 12.3: `--stdin` was read whole into memory. Fed through a pipe more bytes than its
/// address space may hold, a log query with `--limit` still answers, exactly as on `--file`.
#[cfg(target_os = "linux")]
#[test]
fn a_stdin_bigger_than_memory_is_streamed_with_results_like_file() {
    const LIMIT_KIB: u64 = 160 << 10;
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("big.jsonl");
    let chunk = timed_lines(36_000); // about 5 MB, 10 hours
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&plain).unwrap());
        // The same 10 hours over and over: over the address-space limit in all.
        while w.get_ref().metadata().unwrap().len() < (LIMIT_KIB + (16 << 10)) << 10 {
            w.write_all(chunk.as_bytes()).unwrap();
            w.flush().unwrap();
        }
    }
    let gz = dir.path().join("big.jsonl.gz");
    {
        let mut enc = flate2::write::GzEncoder::new(
            std::fs::File::create(&gz).unwrap(),
            flate2::Compression::fast(),
        );
        enc.write_all(&std::fs::read(&plain).unwrap()).unwrap();
        enc.finish().unwrap();
    }
    let exe = env!("CARGO_BIN_EXE_vs-logs");
    let query = "{app=\"vulnsentinel\"} |= \"error\" | json";
    let sh = |input: &std::path::Path| {
        let script = format!("cat \"$1\" | \"$0\" --stdin query '{query}' --limit 5 -o raw");
        let mut cmd = under_ulimit(LIMIT_KIB, &script);
        cmd.timeout(std::time::Duration::from_secs(300))
            .arg(exe)
            .arg(input);
        run(&mut cmd)
    };
    let from_file = run(vs_logs()
        .arg("--file")
        .arg(&plain)
        .args(["query", query, "--limit", "5", "-o", "raw"]));
    assert_eq!(from_file.code, 0, "{}", from_file.stderr);
    assert_eq!(from_file.stdout.lines().count(), 5, "{}", from_file.stdout);
    for input in [&plain, &gz] {
        let o = sh(input);
        assert_eq!(
            o.code,
            0,
            "{} under a {LIMIT_KIB} KiB address space: {}",
            input.display(),
            o.stderr
        );
        assert_eq!(o.stdout, from_file.stdout, "{}", input.display());
    }
}

/// Under an address-space limit too small for the threads a command starts, it ends with a
/// message saying so and exit 1, never a panic (tokio's "OS can't spawn worker thread" or
/// rayon's pool) and never a hang (a runtime refused half-way never finished unwinding).
/// Limits are swept from one too small to load the binary up to one that works, since where
/// threads run out depends on the build; an allocation refused outright still aborts (safe
/// Rust cannot catch that), so only panics, hangs and the clean message are judged.
#[cfg(target_os = "linux")]
#[test]
fn a_refused_thread_is_an_error_not_a_panic_or_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("one.log");
    std::fs::write(
        &f,
        "{\"level\":\"error\",\"event\":\"x\",\"timestamp\":\"2026-01-10T08:00:00Z\"}\n",
    )
    .unwrap();
    let exe = env!("CARGO_BIN_EXE_vs-logs");
    let mut refusals = 0;
    let mut kib: u64 = 16 << 10;
    let mut seen = Vec::new();
    while kib < 1 << 20 {
        let mut cmd = assert_cmd::Command::new("sh");
        cmd.env_clear()
            .env("XDG_CONFIG_HOME", "/nonexistent-vs-logs-test")
            .env("PATH", "/usr/bin:/bin")
            .env("MALLOC_ARENA_MAX", "2")
            .timeout(std::time::Duration::from_secs(60))
            .arg("-c")
            .arg(format!(
                "ulimit -v {kib} && exec \"$0\" --file \"$1\" query '{{app=~\".+\"}}' -o raw"
            ))
            .arg(exe)
            .arg(&f);
        let out = cmd.output().unwrap();
        // (a SIGSEGV while loading, or SIGABRT for a refused allocation, are not judged)
        let signal = std::os::unix::process::ExitStatusExt::signal(&out.status);
        assert_ne!(signal, Some(9), "{kib} KiB: killed by the timeout: a hang");
        let o = crate::support::bin::Out {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(
            !o.stderr.contains("panicked"),
            "{kib} KiB: a panic ({}):\n{}",
            o.code,
            o.stderr
        );
        if o.stderr.contains("the system refused") {
            assert_eq!(o.code, 1, "{kib} KiB: {}", o.stderr);
            assert!(o.stderr.contains("too little memory"), "{}", o.stderr);
            refusals += 1;
        }
        seen.push((kib, o.code));
        if o.code == 0 {
            assert!(o.stdout.contains("\"event\":\"x\""), "{}", o.stdout);
            break;
        }
        kib = kib * 21 / 20;
    }
    assert!(
        refusals > 0,
        "no limit made the OS refuse a thread (limit KiB, exit): {seen:?}"
    );
}
