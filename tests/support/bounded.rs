//! Running a command under an address-space limit (`ulimit -v`), so a stack overflow or an
//! unbounded allocation fails a test instead of the machine.

/// `sh -c "ulimit -v <limit_kib> && <script>"` (the caller adds `$0`, `$1`, … as arguments), in an
/// empty environment (no user config, no `VS_LOGS_*` from the caller: the default caps are what
/// is tested) with few malloc arenas and two rayon workers: the address space counts what they
/// reserve.
pub fn under_ulimit(limit_kib: u64, script: &str) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new("sh");
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("XDG_CONFIG_HOME", "/nonexistent-vs-logs-test")
        .env("TZ", "UTC")
        .env("MALLOC_ARENA_MAX", "2")
        .env("RAYON_NUM_THREADS", "2")
        .arg("-c")
        .arg(format!("ulimit -v {limit_kib} && {script}"));
    cmd
}

/// Runs the test `name` (its full path, `module::test`) of the running test binary in a child
/// process under `limit_kib`, with `child_env` set: the child test does its work only then (else
/// it returns at once). Fails unless the child passed and printed `done`.
pub fn child_test_under_ulimit(limit_kib: u64, name: &str, child_env: &str, done: &str) {
    let exe = std::env::current_exe().unwrap();
    let out = under_ulimit(
        limit_kib,
        &format!("exec \"$0\" --exact {name} --nocapture --test-threads 1"),
    )
    .arg(&exe)
    .env(child_env, "1")
    .output()
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains(done),
        "the child failed ({}) under a {limit_kib} KiB address space:\n{stdout}\n{stderr}",
        out.status
    );
}
