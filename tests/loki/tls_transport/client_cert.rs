//! Client certificates (mutual TLS): required, refused, mismatched with their key, and a tail
//! refused for want of one is not retried.

use super::*;

/// A TLS stub that wants a client certificate from `pki`'s client CA, and one such certificate.
async fn mutual_tls_server(pki: &Pki) -> (String, Leaf) {
    let server = pki
        .server_ca
        .leaf(pki.dir.path(), "server", &["localhost"], false);
    let client = pki
        .client_ca
        .leaf(pki.dir.path(), "client", &["client.example"], false);
    (tls_stub(&server, Some(&pki.client_ca)).await, client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutual_tls_needs_the_client_certificate() {
    let pki = pki();
    let (addr, client) = mutual_tls_server(&pki).await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tail_refused_for_want_of_a_client_certificate_stops_at_once() {
    let pki = pki();
    let (addr, _client) = mutual_tls_server(&pki).await;
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

/// The probe behind HTTPS errors that arrive as a bare closed connection: a fresh handshake
/// hears the server's refusal of a missing client certificate, and nothing when one is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tls_probe_hears_a_refused_client_certificate() {
    use vs_logs::loki::transport::Transport;
    let pki = pki();
    let (addr, client) = mutual_tls_server(&pki).await;
    let without = config(&addr, |c| c.ca_cert = Some(pki.server_ca.pem.clone()));
    let refusal = Transport::new(&without).unwrap().tls_refusal().await;
    assert!(
        matches!(
            refusal,
            Some(rustls::Error::AlertReceived(
                rustls::AlertDescription::CertificateRequired
            ))
        ),
        "{refusal:?}"
    );
    let with_cert = config(&addr, |c| {
        c.ca_cert = Some(pki.server_ca.pem.clone());
        c.client_cert = Some(client.cert_pem.clone());
        c.client_key = Some(client.key_pem.clone());
    });
    let accepted = Transport::new(&with_cert).unwrap().tls_refusal().await;
    assert!(accepted.is_none(), "{accepted:?}");
    let plain = config("http://127.0.0.1:9", |_| {});
    assert!(
        Transport::new(&plain)
            .unwrap()
            .tls_refusal()
            .await
            .is_none()
    );
}
