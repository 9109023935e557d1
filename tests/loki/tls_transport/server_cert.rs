//! Verifying the server: unknown and private CAs, `--tls-skip-verify`, host names, expiry,
//! self-signed certificates given as `--ca-cert`, and the CLI flags that set them.

use super::*;

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
