//! Running the `vs-logs` binary in tests: a clean environment, its output collected, an address
//! where nothing listens.

use std::net::TcpListener;
use std::time::Duration;

/// An address where nothing listens.
pub fn refused_addr() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", l.local_addr().unwrap());
    drop(l);
    addr
}

/// The binary with an empty environment (no user config, no LOKI_* from the caller).
pub fn vs_logs() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("vs-logs").unwrap();
    cmd.env_clear()
        .env("XDG_CONFIG_HOME", "/nonexistent-vs-logs-test")
        .env("COLUMNS", "100")
        .env("TZ", "UTC")
        .timeout(Duration::from_secs(60));
    cmd
}

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut assert_cmd::Command) -> Out {
    let o = cmd.output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}
