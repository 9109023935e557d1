//! Messages people read, worded for the count they hold: `1 attempt`, never `1 attempts`.

use vs_logs::loki::LokiError;

#[test]
fn rate_limit_after_one_attempt_is_singular() {
    let one = LokiError::RateLimited {
        attempts: 1,
        detail: String::new(),
    }
    .to_string();
    assert!(one.contains("gave up after 1 attempt."), "{one}");
    let four = LokiError::RateLimited {
        attempts: 4,
        detail: String::new(),
    }
    .to_string();
    assert!(four.contains("gave up after 4 attempts."), "{four}");
}

#[test]
fn pushing_one_line_says_one_line_one_stream_one_request() {
    use crate::support::bin::{run, vs_logs};
    use crate::support::loki_stub::LokiStub;
    let stub = LokiStub::start();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("one.jsonl");
    std::fs::write(
        &f,
        r#"{"event":"request.end","level":"info","logger":"vulnsentinel.api","timestamp":"2026-11-24T08:01:00Z"}"#,
    )
    .unwrap();
    let o = run(vs_logs().args(["--addr", &stub.url(), "push"]).arg(&f));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout
            .contains("pushed 1 line in 1 stream (1 request) to "),
        "{}",
        o.stdout
    );
}
