//! The Loki client against a misbehaving Loki: refused connections, Loki's 400 texts, auth
//! failures without the secret, 429 retries, 5xx, wrong path prefix, timeouts, truncated
//! bodies, redirects and what credentials follow them.

use std::time::Duration;

use super::client::{client, entries, log_query};
use crate::support::fixture;
use crate::support::loki_stub::{Fault, LokiStub, Reply};
use vs_logs::loki::{LokiClient, LokiConfig};
use vs_logs::model::{Direction, QueryRange};
use vs_logs::secret::Secret;

#[tokio::test]
async fn refused_connection_names_the_address() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = LokiClient::new(LokiConfig {
        addr: format!("http://127.0.0.1:{port}"),
        retries: 0,
        ..LokiConfig::default()
    })
    .unwrap();
    let e = c.labels(0, 1).await.unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains(&format!("127.0.0.1:{port}")), "{msg}");
    assert!(msg.contains("--addr") && msg.contains("LOKI_ADDR"), "{msg}");
    assert!(msg.to_lowercase().contains("refused"), "{msg}");
    assert_eq!(e.exit_code(), 3);
}

#[tokio::test]
async fn bad_request_shows_loki_text_and_is_not_retried() {
    let stub = LokiStub::start();
    let text = String::from_utf8(fixture("40-err-syntax.txt")).unwrap();
    stub.push_fault(Fault::bad_request(&text));
    let c = client(&stub, |cfg| cfg.retries = 3);
    let e = entries(
        &c,
        &log_query(
            "{app=\"x\"} | json | level=",
            0,
            10,
            10,
            Direction::Backward,
        ),
    )
    .await
    .unwrap_err();
    assert!(
        e.to_string()
            .ends_with("parse error at line 1, col 37: syntax error: unexpected $end"),
        "{e}"
    );
    assert_eq!(stub.request_count("/loki/api/v1/query_range"), 1);
    assert_eq!(e.exit_code(), 5);
}

#[tokio::test]
async fn instant_log_query_shows_loki_refusal() {
    let stub = LokiStub::start();
    let c = client(&stub, |_| {});
    let e = c
        .query(
            &QueryRange {
                instant: true,
                ..log_query("{app=\"x\"}", 0, 10, 10, Direction::Backward)
            },
            &|_| {},
        )
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("log queries are not supported as an instant query type")
    );
}

#[tokio::test]
async fn auth_failure_never_echoes_the_secret() {
    let stub = LokiStub::start();
    stub.push_fault(Fault::reply(
        401,
        "text/plain; charset=utf-8",
        "invalid credentials for s3cr3t-pw",
    ));
    let c = client(&stub, |cfg| {
        cfg.username = Some("bob".into());
        cfg.password = Some(Secret::new("s3cr3t-pw"));
    });
    let e = c.labels(0, 1).await.unwrap_err();
    let (msg, dbg) = (e.to_string(), format!("{e:?} {c:?}"));
    assert!(msg.contains("authentication failed (HTTP 401)"), "{msg}");
    assert!(
        msg.contains("--username") && msg.contains("LOKI_BEARER_TOKEN"),
        "{msg}"
    );
    assert!(
        !msg.contains("s3cr3t-pw") && !dbg.contains("s3cr3t-pw"),
        "{msg} {dbg}"
    );
    assert_eq!(e.exit_code(), 4);
    // The credentials did go out, as basic auth.
    assert!(
        stub.requests()[0]
            .header("authorization")
            .unwrap()
            .starts_with("Basic ")
    );
}

#[tokio::test]
async fn rate_limit_then_success_is_retried() {
    let stub = LokiStub::start();
    stub.add_stream(&[("app", "x")], [(5, "hello".into())]);
    stub.fail_next(2, Fault::too_many_requests(0));
    let c = client(&stub, |cfg| cfg.retries = 3);
    let es = entries(
        &c,
        &log_query("{app=\"x\"}", 0, 10, 10, Direction::Backward),
    )
    .await
    .unwrap();
    assert_eq!(es.len(), 1);
    assert_eq!((es[0].ts, es[0].line.as_str()), (5, "hello"));
    assert_eq!(stub.request_count("/loki/api/v1/query_range"), 3);
    // Exhausted retries: a 429 message.
    stub.fail_next(3, Fault::too_many_requests(0));
    let c = client(&stub, |cfg| cfg.retries = 2);
    let e = c.labels(0, 10).await.unwrap_err();
    assert!(
        e.to_string().contains("rate limiting requests (HTTP 429)"),
        "{e}"
    );
    assert!(e.to_string().contains("3 attempts"), "{e}");
}

#[tokio::test]
async fn server_errors() {
    let stub = LokiStub::start();
    stub.add_stream(&[("app", "x")], [(5, "hello".into())]);
    // 500 is not retried.
    stub.push_fault(Fault::internal_error("rpc error: code = Unavailable"));
    let c = client(&stub, |cfg| cfg.retries = 3);
    let e = c.labels(0, 10).await.unwrap_err();
    assert!(
        e.to_string()
            .contains("HTTP 500: rpc error: code = Unavailable"),
        "{e}"
    );
    assert_eq!(stub.request_count("/loki/api/v1/labels"), 1);
    // 502 is retried.
    stub.push_fault(Fault::bad_gateway());
    assert_eq!(c.labels(0, 10).await.unwrap(), ["app"]);
    // An HTML 504 page from a proxy is summarised.
    stub.fail_next(4, Fault::html_504());
    let e = c.labels(0, 10).await.unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("HTTP 504") && msg.contains("\"504 Gateway Time-out\""),
        "{msg}"
    );
    assert!(
        !msg.contains("<html>") && !msg.contains("<center>"),
        "{msg}"
    );
    assert_eq!(e.exit_code(), 6);
}

#[tokio::test]
async fn missing_endpoint_suggests_the_path_prefix() {
    let stub = LokiStub::start();
    let c = LokiClient::new(LokiConfig {
        addr: format!("{}/wrong-prefix", stub.url()),
        retries: 3,
        ..LokiConfig::default()
    })
    .unwrap();
    let e = c.labels(0, 10).await.unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("/loki/api/v1/labels not found"), "{msg}");
    assert!(
        msg.contains("is this a Loki server") && msg.contains("path prefix"),
        "{msg}"
    );
    assert_eq!(stub.requests()[0].path, "/wrong-prefix/loki/api/v1/labels");
    assert_eq!(stub.requests().len(), 1, "404 is not retried");
}

#[tokio::test]
async fn timeout_says_after_how_long() {
    let stub = LokiStub::start();
    stub.push_fault(Fault::Delay(Duration::from_secs(3)));
    let c = client(&stub, |cfg| cfg.timeout = Duration::from_millis(300));
    let e = c.labels(0, 10).await.unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("did not answer within 0.3s"), "{msg}");
    assert!(msg.contains("--timeout"), "{msg}");
}

/// A body that starts and then stops arriving said "did not answer within Ns … narrow the
/// query", which was not true: Loki answered, the answer stalled.
#[tokio::test]
async fn a_body_that_stalls_half_way_says_so() {
    let stub = LokiStub::start();
    stub.push_fault(Fault::StallMidBody);
    let c = client(&stub, |cfg| cfg.timeout = Duration::from_millis(800));
    let e = c.labels(0, 10).await.unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("began answering (HTTP 200) but the answer stopped arriving"),
        "{msg}"
    );
    assert!(msg.contains("0.8s timeout ran out"), "{msg}");
    assert!(!msg.contains("did not answer"), "{msg}");
    assert_eq!(e.exit_code(), 3);
}

#[tokio::test]
async fn truncated_bodies_are_clear_errors() {
    let stub = LokiStub::start();
    stub.add_stream(&[("app", "x")], (0..50).map(|i| (i, format!("line {i}"))));
    stub.push_fault(Fault::TruncatedJson);
    let c = client(&stub, |_| {});
    let q = log_query("{app=\"x\"}", 0, 100, 100, Direction::Backward);
    let msg = entries(&c, &q).await.unwrap_err().to_string();
    assert!(
        msg.contains("could not read Loki's answer to /loki/api/v1/query_range"),
        "{msg}"
    );
    assert!(msg.contains("cut short"), "{msg}");
    stub.push_fault(Fault::CloseMidBody);
    let msg = entries(&c, &q).await.unwrap_err().to_string();
    assert!(msg.contains("network error talking to Loki"), "{msg}");
}

#[tokio::test]
async fn redirect_to_another_host_drops_credentials_and_tenant() {
    let target = LokiStub::start();
    target.add_stream(&[("app", "x")], [(5, "hello".into())]);
    let front = LokiStub::start();
    front.redirect_to(Some(target.url()));
    let c = client(&front, |cfg| {
        cfg.org_id = Some("tenant-1".into());
        cfg.bearer_token = Some(Secret::new("tok-123"));
        cfg.headers = vec![("X-Custom".into(), "v".into())];
    });
    assert_eq!(c.labels(0, 10).await.unwrap(), ["app"]);
    let first = &front.requests()[0];
    assert_eq!(first.header("authorization"), Some("Bearer tok-123"));
    assert_eq!(first.header("x-scope-orgid"), Some("tenant-1"));
    let second = &target.requests()[0];
    assert_eq!(second.path, "/loki/api/v1/labels");
    assert_eq!(second.header("authorization"), None);
    assert_eq!(second.header("x-scope-orgid"), None);
    assert_eq!(second.header("x-custom"), None);
}

#[tokio::test]
async fn redirect_on_the_same_host_keeps_credentials() {
    let stub = LokiStub::start();
    stub.add_stream(&[("app", "x")], [(5, "hello".into())]);
    let mut moved = Reply::new(307, "text/plain; charset=utf-8", Vec::new());
    moved.headers.push((
        "Location".into(),
        "/loki/api/v1/labels?start=0&end=10".into(),
    ));
    stub.push_fault(Fault::Reply(moved));
    let c = client(&stub, |cfg| {
        cfg.org_id = Some("tenant-1".into());
        cfg.username = Some("bob".into());
        cfg.password = Some(Secret::new("pw"));
    });
    assert_eq!(c.labels(0, 10).await.unwrap(), ["app"]);
    let reqs = stub.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].header("x-scope-orgid"), Some("tenant-1"));
    assert!(
        reqs[1]
            .header("authorization")
            .unwrap()
            .starts_with("Basic ")
    );
}

/// A listener whose accept queue is full, so the kernel drops further SYNs: a connection to it
/// is never made (like a firewalled host), deterministically and without the internet. The
/// returned values keep the listener and the connection filling its queue alive.
pub(crate) async fn unanswered_addr() -> (String, tokio::net::TcpListener, std::net::TcpStream) {
    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = sock.listen(0).unwrap();
    let at = listener.local_addr().unwrap();
    // With a backlog of 0 the first connection fills the queue; it is never accepted.
    let filler = std::net::TcpStream::connect(at).unwrap();
    (format!("http://{at}"), listener, filler)
}

#[tokio::test]
async fn a_connect_timeout_says_it_never_connected_and_is_retried() {
    let (addr, _listener, _filler) = unanswered_addr().await;
    let c = LokiClient::new(LokiConfig {
        addr: addr.clone(),
        timeout: Duration::from_secs(2),
        retries: 0,
        ..LokiConfig::default()
    })
    .unwrap();
    let e = c.labels(0, 1).await.unwrap_err();
    let msg = e.to_string();
    assert!(
        matches!(e, vs_logs::loki::LokiError::Connect { .. }),
        "{e:?}"
    );
    assert!(msg.contains("cannot connect to Loki at"), "{msg}");
    assert!(msg.contains("no connection within 1s"), "{msg}");
    assert!(!msg.contains("narrow the query"), "{msg}");
    assert!(!msg.contains("did not answer"), "{msg}");
    assert!(e.is_retryable(), "a connect timeout is transient: {msg}");
    assert_eq!(e.exit_code(), 3);
}
