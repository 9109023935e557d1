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

/// A tail of `{app="t"}` through `client`, with `max_failures` retries allowed.
fn spawn_tail(client: LokiClient, max_failures: u32) -> tokio::sync::mpsc::Receiver<TailEvent> {
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
    spawn_with(Backend::Loki(client), opts, settings)
}

/// The websocket path: the first entry's line, or the message the tail failed with.
async fn tail(cfg: &LokiConfig) -> Result<String, String> {
    let client = LokiClient::new(cfg.clone()).map_err(|e| e.to_string())?;
    let mut rx = spawn_tail(client, 1);
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

/// The tail's events until it ends, with `max_failures` retries allowed.
async fn tail_events(cfg: &LokiConfig, max_failures: u32) -> Vec<TailEvent> {
    let mut rx = spawn_tail(LokiClient::new(cfg.clone()).unwrap(), max_failures);
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

mod client_cert;
mod server_cert;
