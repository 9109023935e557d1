//! The binary against a Loki-shaped server misbehaving: every fault a user meets (asserting
//! message and exit code), secrets kept out of every output, where the address comes from.

use crate::support::bin::{refused_addr, run, vs_logs};
use crate::support::fixture;
use crate::support::loki_stub::{Fault, LokiStub, Reply};

const PASSWORD: &str = "pw-hunter2-XYZ";
const TOKEN: &str = "tok-Zq81-secret";

fn cmd(addr: &str) -> assert_cmd::Command {
    let mut c = vs_logs();
    c.args(["--addr", addr, "--retries", "0"]);
    c
}

#[test]
fn connection_refused_names_the_address() {
    let addr = refused_addr();
    let o = run(cmd(&addr).args(["errors", "--password", PASSWORD]));
    assert_eq!(o.code, 3);
    assert!(o.stderr.starts_with("vs-logs: "), "{}", o.stderr);
    assert!(o.stderr.contains(&addr), "{}", o.stderr);
    assert!(o.stderr.contains("LOKI_ADDR"), "{}", o.stderr);
    assert!(!o.stderr.contains(PASSWORD));
}

#[test]
fn bad_request_shows_lokis_message_and_is_not_retried() {
    let body = fixture("40-err-syntax.txt");
    let stub = LokiStub::canned(vec![Reply::new(
        400,
        "text/plain; charset=utf-8",
        body.clone(),
    )]);
    let mut c = vs_logs();
    c.args([
        "--addr",
        &stub.url(),
        "--retries",
        "3",
        "query",
        "{app=\"vulnsentinel\"} | json | level=",
    ]);
    let o = run(&mut c);
    assert_eq!(o.code, 5);
    assert!(
        o.stderr.contains(String::from_utf8_lossy(&body).trim()),
        "{}",
        o.stderr
    );
    assert_eq!(stub.requests().len(), 1, "a 400 must not be retried");
}

#[test]
fn unauthorized_never_echoes_the_secret() {
    let body = format!("unauthorized: bad credentials {PASSWORD} {TOKEN}");
    let stub = LokiStub::canned(vec![Reply::new(
        401,
        "text/plain",
        body.clone().into_bytes(),
    )]);
    for (flag, secret) in [("--password", PASSWORD), ("--bearer-token", TOKEN)] {
        let o = run(cmd(&stub.url()).args(["--username", "u", flag, secret, "errors"]));
        assert_eq!(o.code, 4);
        assert!(o.stderr.contains("authentication failed"), "{}", o.stderr);
        assert!(
            !o.stderr.contains(secret) && !o.stdout.contains(secret),
            "{}",
            o.stderr
        );
    }
}

#[test]
fn rate_limited_then_success() {
    let stub = LokiStub::canned(vec![
        Reply::new(429, "text/plain", b"too many outstanding requests".to_vec())
            .with_header("Retry-After", "0"),
        Reply::json_bytes(&fixture("04-qr-engine-rate-limit.json")),
    ]);
    let mut c = vs_logs();
    c.args([
        "--addr",
        &stub.url(),
        "--retries",
        "2",
        "rate-limits",
        "-o",
        "raw",
    ]);
    let o = run(&mut c);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("rate limit"));
    assert_eq!(stub.requests().len(), 2);
}

#[test]
fn server_error() {
    let stub = LokiStub::canned(vec![Reply::new(
        500,
        "text/plain",
        b"rpc error: code = Internal".to_vec(),
    )]);
    let o = run(cmd(&stub.url()).arg("5xx"));
    assert_eq!(o.code, 6);
    assert!(o.stderr.contains("500"), "{}", o.stderr);
    assert!(o.stderr.contains("rpc error"), "{}", o.stderr);
}

#[test]
fn html_504_is_summarised() {
    let page = b"<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body><center><h1>504 Gateway Time-out</h1></center><hr><center>nginx</center></body></html>\r\n";
    let stub = LokiStub::canned(vec![Reply::new(504, "text/html", page.to_vec())]);
    let o = run(cmd(&stub.url()).arg("errors"));
    assert_eq!(o.code, 6);
    assert!(o.stderr.contains("504 Gateway Time-out"), "{}", o.stderr);
    assert!(
        !o.stderr.contains("<html>") && !o.stderr.contains("<center>"),
        "{}",
        o.stderr
    );
}

#[test]
fn timeout_says_after_how_long() {
    let stub = LokiStub::start();
    stub.push_fault(Fault::Hang);
    let o = run(cmd(&stub.url()).args(["--timeout", "1s", "errors"]));
    assert_eq!(o.code, 3);
    assert!(
        o.stderr.contains("did not answer within 1s"),
        "{}",
        o.stderr
    );
}

#[test]
fn truncated_body_is_an_error_not_an_empty_result() {
    // Content-Length promises the whole capture; half of it is sent.
    let full = fixture("04-qr-engine-rate-limit.json");
    let stub = LokiStub::canned(vec![Reply::json_bytes(&full)]);
    stub.push_fault(Fault::CloseMidBody);
    let o = run(cmd(&stub.url()).args(["rate-limits", "-o", "raw"]));
    assert_eq!(o.code, 3, "{}", o.stderr);
    assert!(o.stderr.starts_with("vs-logs: "), "{}", o.stderr);
    assert!(o.stdout.is_empty());
}

#[test]
fn secrets_never_appear_in_any_output() {
    let stub = LokiStub::canned(vec![Reply::json_bytes(&fixture(
        "02-qr-ag456-forward.json",
    ))]);
    for format in ["text", "json", "jsonl", "raw"] {
        let o = run(cmd(&stub.url())
            .env("LOKI_PASSWORD", PASSWORD)
            .env("LOKI_BEARER_TOKEN", TOKEN)
            .args([
                "--username",
                "u",
                "query",
                "{app=\"vulnsentinel\"}",
                "-o",
                format,
            ]));
        assert_eq!(o.code, 0, "{}", o.stderr);
        for s in [PASSWORD, TOKEN] {
            assert!(!o.stdout.contains(s) && !o.stderr.contains(s), "{format}");
        }
    }
    // --help shows that the variables exist, not their values.
    let o = run(vs_logs()
        .env("LOKI_PASSWORD", PASSWORD)
        .env("LOKI_BEARER_TOKEN", TOKEN)
        .arg("--help"));
    assert!(!o.stdout.contains(PASSWORD) && !o.stdout.contains(TOKEN));
    // The credentials did go to the server, as basic auth.
    let head = &stub.requests()[0].head.to_ascii_lowercase();
    assert!(head.contains("authorization: "), "{head}");
}

#[test]
fn env_then_flag_precedence_for_the_address() {
    let stub = LokiStub::canned(vec![Reply::json_bytes(&fixture(
        "04-qr-engine-rate-limit.json",
    ))]);
    let refused = refused_addr();
    // Env alone is used.
    let o = run(vs_logs()
        .env("LOKI_ADDR", stub.url())
        .args(["--retries", "0", "rate-limits"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    // The flag beats the env.
    let o = run(vs_logs().env("LOKI_ADDR", stub.url()).args([
        "--retries",
        "0",
        "--addr",
        &refused,
        "rate-limits",
    ]));
    assert_eq!(o.code, 3);
    assert!(o.stderr.contains(&refused), "{}", o.stderr);
    // The env beats the profile.
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(
        &cfg,
        format!(
            "default_profile = \"p\"\n[profiles.p]\naddr = \"{refused}\"\norg_id = \"tenant-7\"\n"
        ),
    )
    .unwrap();
    let o = run(vs_logs()
        .env("LOKI_ADDR", stub.url())
        .arg("--config")
        .arg(&cfg)
        .args(["--retries", "0", "rate-limits"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let head = stub.requests().last().unwrap().head.to_ascii_lowercase();
    assert!(head.contains("x-scope-orgid: tenant-7"), "{head}");
    // The profile beats the default.
    let o = run(vs_logs()
        .arg("--config")
        .arg(&cfg)
        .args(["--retries", "0", "rate-limits"]));
    assert!(o.stderr.contains(&refused), "{}", o.stderr);
}

/// Issue 12 rule 2: one redaction path for URL userinfo, echoed headers (their base64 too),
/// `--header` values and env values in `--help`.
#[test]
fn no_secret_is_printed_from_addr_headers_or_echoes() {
    // userinfo in the address: refused connection, error names the host, not the password.
    let refused = refused_addr();
    let with_info = refused.replacen("://", "://admin:s3cr3t-pw@", 1);
    let o = run(cmd(&with_info).args(["labels"]));
    assert_ne!(o.code, 0);
    assert!(!o.stderr.contains("s3cr3t-pw"), "{}", o.stderr);
    assert!(o.stderr.contains("***@"), "{}", o.stderr);

    // A server echoing the request's headers back in a 500.
    let basic = base64_of("u:echo-pass-991");
    let echo = format!(
        "request had Authorization: Basic {basic}\nX-Custom-Auth: hdr-secret-123\n\
         {{\"cookie\":\"sid=cookie-secret-4\"}}"
    );
    for extra in [
        vec!["--username", "u", "--password", "echo-pass-991"],
        vec!["--header", "X-Custom-Auth: hdr-secret-123"],
    ] {
        let stub = LokiStub::canned(vec![Reply::text(500, &echo)]);
        let o = run(cmd(&stub.url()).args(extra).args(["labels"]));
        assert_ne!(o.code, 0, "{}", o.stderr);
        for s in [
            &basic[..],
            "echo-pass-991",
            "hdr-secret-123",
            "cookie-secret-4",
        ] {
            assert!(!o.stderr.contains(s), "{s} in {}", o.stderr);
        }
        assert!(o.stderr.contains("HTTP 500"), "{}", o.stderr);
    }

    // --help shows that LOKI_ADDR / LOKI_HTTP_HEADER exist, not their values.
    let o = run(vs_logs()
        .env("LOKI_ADDR", &with_info)
        .env("LOKI_HTTP_HEADER", "Authorization: Bearer env-hdr-77")
        .arg("--help"));
    assert!(!o.stdout.contains("s3cr3t-pw") && !o.stdout.contains("env-hdr-77"));
}

fn base64_of(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// Issue 12 rule 3: a body (or a gzip bomb) past `--max-body-mb` after decoding is refused
/// with a message naming the limit.
#[test]
fn oversized_and_gzip_bomb_bodies_are_capped() {
    use std::io::Write as _;
    let big = format!(
        "{{\"status\":\"success\",\"data\":[\"{}\"]}}",
        "a".repeat(3 << 20)
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(big.as_bytes()).unwrap();
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 1 << 20);
    for reply in [
        Reply::new(200, "application/json", big.clone().into_bytes()),
        Reply::new(200, "application/json", bomb).with_header("Content-Encoding", "gzip"),
    ] {
        let stub = LokiStub::canned(vec![reply]);
        let o = run(cmd(&stub.url()).args(["--max-body-mb", "1", "labels"]));
        assert_eq!(o.code, 6, "{}", o.stderr);
        assert!(o.stderr.contains("1 MiB limit"), "{}", o.stderr);
        assert!(!o.stderr.contains("is --addr a Loki"), "{}", o.stderr);
    }
    // Under the default limit the same answer is fine.
    let stub = LokiStub::canned(vec![Reply::new(200, "application/json", big.into_bytes())]);
    let o = run(cmd(&stub.url()).args(["labels"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
}

#[test]
fn control_characters_in_credentials_are_a_usage_error_before_any_request() {
    let stub = LokiStub::start();
    let cases: [(&str, String, &str); 3] = [
        ("--bearer-token", format!("{TOKEN}\u{1}"), "--bearer-token"),
        ("--bearer-token", format!("{TOKEN}\t"), "--bearer-token"),
        (
            "--header",
            format!("X-Api-Key: {TOKEN}\u{85}x"),
            "--header \"X-Api-Key\"",
        ),
    ];
    for (flag, value, named) in cases {
        for command in [&["labels"][..], &["tail", "{app=\"x\"}"][..]] {
            let mut c = vs_logs();
            c.args(["--addr", &stub.url(), "--retries", "3", flag, &value]);
            let o = run(c.args(command));
            assert_eq!(o.code, 2, "{flag} {command:?}: {}", o.stderr);
            assert!(o.stderr.contains(named), "{}", o.stderr);
            assert!(o.stderr.contains("control character"), "{}", o.stderr);
            assert!(
                !o.stderr.contains(TOKEN) && !o.stdout.contains(TOKEN),
                "{}",
                o.stderr
            );
        }
    }
    assert!(stub.requests().is_empty(), "nothing may be sent");
}
