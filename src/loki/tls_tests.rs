//! The rustls client configuration: files named in errors, client certificates, TLS failures
//! in words.

use super::*;

#[test]
fn default_and_skip_verify_configs_build() {
    assert!(client_config(&LokiConfig::default()).is_ok());
    let cfg = LokiConfig {
        tls_skip_verify: true,
        ..LokiConfig::default()
    };
    assert!(client_config(&cfg).is_ok());
}

#[test]
fn missing_or_empty_files_are_named() {
    let msg = |cfg: &LokiConfig| client_config(cfg).unwrap_err().to_string();
    let cfg = LokiConfig {
        ca_cert: Some("/nonexistent/ca.pem".into()),
        ..LokiConfig::default()
    };
    let e = msg(&cfg);
    assert!(e.contains("--ca-cert /nonexistent/ca.pem"), "{e}");
    let f = tempfile::NamedTempFile::new().unwrap();
    let cfg = LokiConfig {
        ca_cert: Some(f.path().to_path_buf()),
        ..LokiConfig::default()
    };
    assert!(msg(&cfg).contains("no PEM"));
    let cfg = LokiConfig {
        client_cert: Some(f.path().to_path_buf()),
        ..LokiConfig::default()
    };
    assert!(msg(&cfg).contains("together"));
}

/// An X.509 v1 certificate (`openssl x509 -req` without extensions), EC P-256.
const V1_CERT: &str = "-----BEGIN CERTIFICATE-----
MIIBIzCBywIUbaKbJgwuFvOKeUQncHHiWnsghZkwCgYIKoZIzj0EAwIwFDESMBAG
A1UEAwwJdjEtY2xpZW50MCAXDTI2MTEyOTIwMTg1N1oYDzIxMjYxMTA1MjAxODU3
WjAUMRIwEAYDVQQDDAl2MS1jbGllbnQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AARWiQzIKjgwvwoFZ0UyEdilxs/oAb2O2Xb1kjlWDJvnLV0K5Gpzc4oMkPmnj+xz
6dZWIjiaRFGqeZG1zaQTLssRMAoGCCqGSM49BAMCA0cAMEQCIEqYMUYkbK2Dc9In
GvW7NmErE0XYkS/XPw9HrqpZC5vKAiA1ZMxfO11HokjzatY/L0LHm7BU5Ev5aqTm
5Li86STVbg==
-----END CERTIFICATE-----
";

/// The error `client_config` gives for `--cert cert --key key` (file contents).
fn client_error(cert: &str, key: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let (c, k) = (dir.path().join("c.pem"), dir.path().join("k.pem"));
    std::fs::write(&c, cert).unwrap();
    std::fs::write(&k, key).unwrap();
    let cfg = LokiConfig {
        client_cert: Some(c),
        client_key: Some(k),
        ..LokiConfig::default()
    };
    client_config(&cfg).unwrap_err().to_string()
}

fn cert_and_key() -> (String, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["client.example".to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    (cert.pem(), key.serialize_pem())
}

#[test]
fn a_matching_pair_builds() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = cert_and_key();
    let (c, k) = (dir.path().join("c.pem"), dir.path().join("k.pem"));
    std::fs::write(&c, cert).unwrap();
    std::fs::write(&k, key).unwrap();
    let cfg = LokiConfig {
        client_cert: Some(c),
        client_key: Some(k),
        ..LokiConfig::default()
    };
    assert!(client_config(&cfg).is_ok());
}

#[test]
fn a_key_of_another_certificate_is_named() {
    let (cert, _) = cert_and_key();
    let (_, other_key) = cert_and_key();
    let e = client_error(&cert, &other_key);
    assert!(
        e.contains("k.pem is not the private key of --cert") && e.contains("c.pem"),
        "{e}"
    );
    assert!(
        !e.contains("builder error") && !e.contains("KeyMismatch"),
        "{e}"
    );
}

#[test]
fn a_v1_certificate_is_named() {
    let (_, key) = cert_and_key();
    let e = client_error(V1_CERT, &key);
    assert!(
        e.contains("c.pem is an X.509 v1 certificate") && e.contains("v3"),
        "{e}"
    );
}

#[test]
fn a_file_without_a_key_is_named() {
    let (cert, _) = cert_and_key();
    let e = client_error(&cert, &cert);
    assert!(
        e.contains("--key") && e.contains("k.pem holds no PEM private key"),
        "{e}"
    );
}

#[test]
fn refusing_alerts_say_what_the_server_wants() {
    use rustls::AlertDescription as A;
    let required = rustls::Error::AlertReceived(A::CertificateRequired);
    let m = describe(&required, false);
    assert!(m.contains("requires a client certificate") && m.contains("none was given"));
    assert!(
        m.contains("--cert and --key") && m.contains("CertificateRequired"),
        "{m}"
    );
    let bad = rustls::Error::AlertReceived(A::UnknownCA);
    assert!(describe(&bad, true).contains("refused the client certificate"));
    assert!(describe(&bad, false).contains("probably requires a client certificate"));
    let other = rustls::Error::General("x".into());
    assert_eq!(describe(&other, false), other.to_string());
}

#[test]
fn tls_cause_finds_rustls_errors_behind_io_errors() {
    let io = std::io::Error::other(std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
    ));
    assert!(tls_cause(&io).is_some());
    assert!(tls_cause(&std::io::Error::other("refused")).is_none());
}
