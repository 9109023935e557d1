//! Real TLS against both paths of the one transport: HTTP requests (`labels`) and the tail
//! websocket, served by a small TLS stub on 127.0.0.1 with certificates made at test time.
//! Verification is on by default; `--ca-cert`, `--tls-skip-verify`, host names, expiry and
//! client certificates (mTLS) each decide the outcome the same way on both paths.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::Role;
use vs_logs::backend::Backend;
use vs_logs::loki::{LokiClient, LokiConfig, LokiError};
use vs_logs::tail::{FollowOptions, TailEvent, TailSettings, spawn_with};

/// A leaf certificate and its key, in DER (for the stub) and PEM files (for the client).
struct Leaf {
    chain: Vec<CertificateDer<'static>>,
    key: PrivatePkcs8KeyDer<'static>,
    cert_pem: PathBuf,
    key_pem: PathBuf,
}

/// A CA that signs leaves, with its certificate as a PEM file.
struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
    pem: PathBuf,
}

impl Ca {
    fn new(dir: &std::path::Path, name: &str) -> Ca {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name.push(DnType::CommonName, name);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let issuer = CertifiedIssuer::self_signed(p, KeyPair::generate().unwrap()).unwrap();
        let pem = dir.join(format!("{name}.pem"));
        std::fs::write(&pem, issuer.pem()).unwrap();
        Ca { issuer, pem }
    }

    /// A leaf for `names`; `expired` puts its validity in the past.
    fn leaf(&self, dir: &std::path::Path, file: &str, names: &[&str], expired: bool) -> Leaf {
        let mut p = CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .unwrap();
        p.distinguished_name.push(DnType::CommonName, file);
        if expired {
            p.not_before = rcgen::date_time_ymd(2020, 1, 1);
            p.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
        let key = KeyPair::generate().unwrap();
        let cert = p.signed_by(&key, &self.issuer).unwrap();
        let (cert_pem, key_pem) = (
            dir.join(format!("{file}.crt")),
            dir.join(format!("{file}.key")),
        );
        std::fs::write(&cert_pem, cert.pem()).unwrap();
        std::fs::write(&key_pem, key.serialize_pem()).unwrap();
        Leaf {
            chain: vec![cert.der().clone()],
            key: PrivatePkcs8KeyDer::from(key.serialize_der()),
            cert_pem,
            key_pem,
        }
    }
}

/// Everything a test needs: the server CA, a second (client) CA, the files.
struct Pki {
    dir: tempfile::TempDir,
    server_ca: Ca,
    client_ca: Ca,
}

fn pki() -> Pki {
    let dir = tempfile::tempdir().unwrap();
    let server_ca = Ca::new(dir.path(), "server-ca");
    let client_ca = Ca::new(dir.path(), "client-ca");
    Pki {
        dir,
        server_ca,
        client_ca,
    }
}

/// A TLS Loki stub: `GET /loki/api/v1/labels` answers `["app"]`; a websocket upgrade on
/// `/loki/api/v1/tail` gets one tail frame with `line`, then pings until the client leaves.
/// With `client_ca`, a client certificate signed by it is required.
async fn tls_stub(server: &Leaf, client_ca: Option<&Ca>) -> String {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = match client_ca {
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            roots.add(ca.issuer.der().clone()).unwrap();
            let verifier =
                rustls::server::WebPkiClientVerifier::builder_with_provider(roots.into(), provider)
                    .build()
                    .unwrap();
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let config = builder
        .with_single_cert(
            server.chain.clone(),
            PrivateKeyDer::Pkcs8(server.key.clone_key()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                serve(tls).await;
            });
        }
    });
    format!("https://localhost:{port}")
}

async fn serve(mut s: tokio_rustls::server::TlsStream<tokio::net::TcpStream>) {
    let mut head = Vec::new();
    let mut b = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if s.read(&mut b).await.unwrap_or(0) == 0 {
            return;
        }
        head.push(b[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let key = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("sec-websocket-key")
            .then(|| v.trim().to_string())
    });
    let Some(key) = key else {
        let body = r#"{"status":"success","data":["app"]}"#;
        let resp = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = s.write_all(resp.as_bytes()).await;
        let _ = s.shutdown().await;
        return;
    };
    let accept = tokio_tungstenite::tungstenite::handshake::derive_accept_key(key.as_bytes());
    let resp = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {accept}\r\n\r\n"
    );
    if s.write_all(resp.as_bytes()).await.is_err() {
        return;
    }
    let mut ws = tokio_tungstenite::WebSocketStream::from_raw_socket(s, Role::Server, None).await;
    use futures_util::SinkExt;
    let frame =
        r#"{"streams":[{"stream":{"app":"t"},"values":[["1795590000000000001","over tls"]]}]}"#;
    if ws.send(Message::text(frame)).await.is_err() {
        return;
    }
    while ws.send(Message::Ping(Vec::new().into())).await.is_ok() {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn config(addr: &str, f: impl FnOnce(&mut LokiConfig)) -> LokiConfig {
    let mut cfg = LokiConfig {
        addr: addr.to_string(),
        timeout: Duration::from_secs(5),
        retries: 0,
        ..LokiConfig::default()
    };
    f(&mut cfg);
    cfg
}

/// The HTTP path: `labels`.
async fn http(cfg: &LokiConfig) -> Result<Vec<String>, LokiError> {
    LokiClient::new(cfg.clone())?.labels(0, 1).await
}

/// The websocket path: the first entry's line, or the message the tail failed with.
async fn tail(cfg: &LokiConfig) -> Result<String, String> {
    let client = LokiClient::new(cfg.clone()).map_err(|e| e.to_string())?;
    let opts = FollowOptions {
        query: r#"{app="t"}"#.into(),
        start_ns: 1_795_590_000_000_000_000,
        limit: 10,
        delay_for_s: 0,
    };
    let settings = TailSettings {
        max_failures: 1,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(10),
        categorize_labels: false,
        ..TailSettings::default()
    };
    let mut rx = spawn_with(Backend::Loki(client), opts, settings);
    let first = async {
        while let Some(ev) = rx.recv().await {
            match ev {
                TailEvent::Entries(v) if !v.is_empty() => return Ok(v[0].line.clone()),
                TailEvent::Failed(m, _) => return Err(m),
                _ => {}
            }
        }
        Err("the tail ended without a message".to_string())
    };
    // A guard against a hang, not a timing assertion.
    tokio::time::timeout(Duration::from_secs(30), first)
        .await
        .expect("the tail neither delivered nor failed")
}

/// Both paths succeed.
async fn both_work(cfg: &LokiConfig) {
    assert_eq!(http(cfg).await.unwrap(), ["app"]);
    assert_eq!(tail(cfg).await.unwrap(), "over tls");
}

/// Both paths fail with a TLS error that says what is wrong (`want` is in rustls' words).
async fn both_refuse(cfg: &LokiConfig, want: &str) {
    let e = http(cfg).await.unwrap_err();
    assert!(matches!(e, LokiError::Tls { .. }), "{e:?}");
    let m = e.to_string();
    assert!(m.contains("TLS with") && m.contains(want), "{m}");
    assert!(m.contains("--ca-cert"), "{m}");
    let m = tail(cfg).await.unwrap_err();
    assert!(m.contains("TLS with") && m.contains(want), "{m}");
    assert!(
        !m.contains("gave up after"),
        "a TLS failure is not retried: {m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_verification_refuses_an_unknown_ca() {
    let pki = pki();
    let server = pki
        .server_ca
        .leaf(pki.dir.path(), "server", &["localhost"], false);
    let addr = tls_stub(&server, None).await;
    both_refuse(&config(&addr, |_| {}), "UnknownIssuer").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ca_cert_makes_the_private_ca_trusted() {
    let pki = pki();
    let server = pki
        .server_ca
        .leaf(pki.dir.path(), "server", &["localhost"], false);
    let addr = tls_stub(&server, None).await;
    both_work(&config(&addr, |c| {
        c.ca_cert = Some(pki.server_ca.pem.clone())
    }))
    .await;
    // Another CA's certificate does not help.
    let other = config(&addr, |c| c.ca_cert = Some(pki.client_ca.pem.clone()));
    both_refuse(&other, "UnknownIssuer").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_skip_verify_accepts_any_certificate() {
    let pki = pki();
    let server = pki
        .server_ca
        .leaf(pki.dir.path(), "server", &["elsewhere.example"], true);
    let addr = tls_stub(&server, None).await;
    both_work(&config(&addr, |c| c.tls_skip_verify = true)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_for_another_host_is_refused() {
    let pki = pki();
    let server = pki
        .server_ca
        .leaf(pki.dir.path(), "server", &["elsewhere.example"], false);
    let addr = tls_stub(&server, None).await;
    let cfg = config(&addr, |c| c.ca_cert = Some(pki.server_ca.pem.clone()));
    both_refuse(&cfg, "not valid for name \"localhost\"").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_certificate_is_refused() {
    let pki = pki();
    let server = pki
        .server_ca
        .leaf(pki.dir.path(), "server", &["localhost"], true);
    let addr = tls_stub(&server, None).await;
    let cfg = config(&addr, |c| c.ca_cert = Some(pki.server_ca.pem.clone()));
    both_refuse(&cfg, "certificate expired").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutual_tls_needs_the_client_certificate() {
    let pki = pki();
    let server = pki
        .server_ca
        .leaf(pki.dir.path(), "server", &["localhost"], false);
    let client = pki
        .client_ca
        .leaf(pki.dir.path(), "client", &["client.example"], false);
    let addr = tls_stub(&server, Some(&pki.client_ca)).await;
    let with_cert = config(&addr, |c| {
        c.ca_cert = Some(pki.server_ca.pem.clone());
        c.client_cert = Some(client.cert_pem.clone());
        c.client_key = Some(client.key_pem.clone());
    });
    both_work(&with_cert).await;
    let without = config(&addr, |c| c.ca_cert = Some(pki.server_ca.pem.clone()));
    both_refuse(&without, "CertificateRequired").await;
    // A certificate from a CA the server does not trust is refused too.
    let stranger = pki
        .server_ca
        .leaf(pki.dir.path(), "stranger", &["client.example"], false);
    let wrong = config(&addr, |c| {
        c.ca_cert = Some(pki.server_ca.pem.clone());
        c.client_cert = Some(stranger.cert_pem.clone());
        c.client_key = Some(stranger.key_pem.clone());
    });
    both_refuse(&wrong, "alert").await;
}

#[test]
fn the_cli_flags_reach_the_transport() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pki = pki();
    let server = pki
        .server_ca
        .leaf(pki.dir.path(), "server", &["localhost"], false);
    let addr = rt.block_on(tls_stub(&server, None));
    let run = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_vs-logs"))
            .args(["--addr", &addr, "--timeout", "5s"])
            .args(extra)
            .arg("labels")
            .env_remove("LOKI_CA_CERT_PATH")
            .env_remove("LOKI_TLS_SKIP_VERIFY")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let ca = pki.server_ca.pem.to_str().unwrap();
    let (code, out, err) = run(&["--ca-cert", ca]);
    assert_eq!((code, out.trim()), (Some(0), "app"), "{err}");
    let (code, out, _) = run(&["--tls-skip-verify"]);
    assert_eq!((code, out.trim()), (Some(0), "app"));
    let (code, _, err) = run(&[]);
    assert_eq!(code, Some(3), "TLS failure exits 3: {err}");
    assert!(
        err.contains("TLS with") && err.contains("--ca-cert"),
        "{err}"
    );
    drop(rt);
}

/// A self-signed server certificate with `CA:TRUE` (what `openssl req -x509` makes), for
/// `names`; its PEM file is what the user passes as `--ca-cert`.
fn self_signed_ca_leaf(dir: &std::path::Path, file: &str, names: &[&str], expired: bool) -> Leaf {
    let mut p =
        CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    p.distinguished_name.push(DnType::CommonName, file);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    if expired {
        p.not_before = rcgen::date_time_ymd(2020, 1, 1);
        p.not_after = rcgen::date_time_ymd(2021, 1, 1);
    }
    let key = KeyPair::generate().unwrap();
    let cert = p.self_signed(&key).unwrap();
    let (cert_pem, key_pem) = (
        dir.join(format!("{file}.crt")),
        dir.join(format!("{file}.key")),
    );
    std::fs::write(&cert_pem, cert.pem()).unwrap();
    std::fs::write(&key_pem, key.serialize_pem()).unwrap();
    Leaf {
        chain: vec![cert.der().clone()],
        key: PrivatePkcs8KeyDer::from(key.serialize_der()),
        cert_pem,
        key_pem,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_ca_certificate_given_as_ca_cert_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let server = self_signed_ca_leaf(dir.path(), "selfsigned", &["localhost"], false);
    let addr = tls_stub(&server, None).await;
    both_work(&config(&addr, |c| {
        c.ca_cert = Some(server.cert_pem.clone())
    }))
    .await;
    // Without it, or with another self-signed certificate, it is still refused, in words.
    let says = "self-signed CA certificate as its own";
    both_refuse(&config(&addr, |_| {}), says).await;
    let other = self_signed_ca_leaf(dir.path(), "other", &["localhost"], false);
    both_refuse(
        &config(&addr, |c| c.ca_cert = Some(other.cert_pem.clone())),
        says,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trusted_self_signed_certificate_still_needs_the_right_name_and_dates() {
    let dir = tempfile::tempdir().unwrap();
    let wrong_name = self_signed_ca_leaf(dir.path(), "elsewhere", &["elsewhere.example"], false);
    let addr = tls_stub(&wrong_name, None).await;
    both_refuse(
        &config(&addr, |c| c.ca_cert = Some(wrong_name.cert_pem.clone())),
        "not valid for name \"localhost\"",
    )
    .await;
    let expired = self_signed_ca_leaf(dir.path(), "expired", &["localhost"], true);
    let addr = tls_stub(&expired, None).await;
    both_refuse(
        &config(&addr, |c| c.ca_cert = Some(expired.cert_pem.clone())),
        "certificate expired",
    )
    .await;
}

#[test]
fn a_client_key_of_another_certificate_exits_2_naming_the_files() {
    let pki = pki();
    let a = pki
        .client_ca
        .leaf(pki.dir.path(), "client-a", &["a.example"], false);
    let b = pki
        .client_ca
        .leaf(pki.dir.path(), "client-b", &["b.example"], false);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vs-logs"))
        .args(["--addr", "https://127.0.0.1:9", "--retries", "0"])
        .arg("--cert")
        .arg(&a.cert_pem)
        .arg("--key")
        .arg(&b.key_pem)
        .arg("labels")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "--key {} is not the private key",
            b.key_pem.display()
        )) && err.contains(&a.cert_pem.display().to_string()),
        "{err}"
    );
}

/// The tail's events until it ends, with `max_failures` retries allowed.
async fn tail_events(cfg: &LokiConfig, max_failures: u32) -> Vec<TailEvent> {
    let client = LokiClient::new(cfg.clone()).unwrap();
    let opts = FollowOptions {
        query: r#"{app="t"}"#.into(),
        start_ns: 1_795_590_000_000_000_000,
        limit: 10,
        delay_for_s: 0,
    };
    let settings = TailSettings {
        max_failures,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(10),
        categorize_labels: false,
        ..TailSettings::default()
    };
    let mut rx = spawn_with(Backend::Loki(client), opts, settings);
    let mut events = Vec::new();
    let all = async {
        while let Some(ev) = rx.recv().await {
            let end = matches!(ev, TailEvent::Failed(..) | TailEvent::Entries(_));
            events.push(ev);
            if end {
                break;
            }
        }
    };
    // A guard against a hang, not a timing assertion.
    tokio::time::timeout(Duration::from_secs(60), all)
        .await
        .expect("the tail neither delivered nor failed");
    events
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tail_refused_for_want_of_a_client_certificate_stops_at_once() {
    let pki = pki();
    let server = pki
        .server_ca
        .leaf(pki.dir.path(), "server", &["localhost"], false);
    let addr = tls_stub(&server, Some(&pki.client_ca)).await;
    let without = config(&addr, |c| c.ca_cert = Some(pki.server_ca.pem.clone()));
    // Several rounds: the server's alert and its closing the connection race each other.
    for _ in 0..10 {
        let events = tail_events(&without, 8).await;
        let retried = events
            .iter()
            .filter(|e| matches!(e, TailEvent::Notice(_)))
            .count();
        let Some(TailEvent::Failed(m, _)) = events.last() else {
            panic!("expected a failure: {events:?}");
        };
        assert_eq!(
            retried, 0,
            "a refused client certificate is not retried: {events:?}"
        );
        assert!(
            m.contains("Loki requires a client certificate (mutual TLS) and none was given"),
            "{m}"
        );
        assert!(
            m.contains("--cert") && m.contains("CertificateRequired"),
            "{m}"
        );
    }
    // The HTTP path says the same, and does not retry either.
    let e = http(&config(&addr, |c| {
        c.ca_cert = Some(pki.server_ca.pem.clone());
        c.retries = 3;
    }))
    .await
    .unwrap_err();
    assert!(!e.is_retryable(), "{e:?}");
    assert!(
        e.to_string()
            .contains("Loki requires a client certificate (mutual TLS) and none was given"),
        "{e}"
    );
}
