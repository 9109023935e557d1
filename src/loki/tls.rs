//! The one rustls client configuration (`--ca-cert`, `--cert`/`--key`, `--tls-skip-verify`)
//! that both the HTTP client and the tail websocket use, on the ring crypto provider only.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::pinned::PinnedLeaf;
use super::{LokiConfig, LokiError};

/// The process's crypto provider: ring, installed as rustls' default once so nothing else in
/// the process can pick a different one.
pub fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    Arc::clone(PROVIDER.get_or_init(|| {
        // Fails only when a default is already installed; then that one is used.
        let _ = rustls::crypto::ring::default_provider().install_default();
        CryptoProvider::get_default()
            .cloned()
            .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()))
    }))
}

/// Accepts any server certificate (`--tls-skip-verify`) but still checks handshake signatures.
#[derive(Debug)]
struct SkipVerify(Arc<CryptoProvider>);

impl ServerCertVerifier for SkipVerify {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

fn config_error(msg: String) -> LokiError {
    LokiError::Config(msg)
}

fn read_certs(path: &Path, what: &str) -> Result<Vec<CertificateDer<'static>>, LokiError> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| config_error(format!("cannot read {what} {}: {e}", path.display())))?;
    if certs.is_empty() {
        return Err(config_error(format!(
            "{what} {} holds no PEM certificate",
            path.display()
        )));
    }
    Ok(certs)
}

/// `--key` could not be read as a PEM private key: which file, and what was expected.
fn key_read_error(key: &Path, e: rustls::pki_types::pem::Error) -> LokiError {
    use rustls::pki_types::pem::Error as Pem;
    let key = key.display();
    config_error(match e {
        Pem::NoItemsFound => format!(
            "--key {key} holds no PEM private key (expected BEGIN PRIVATE KEY, BEGIN RSA \
             PRIVATE KEY or BEGIN EC PRIVATE KEY; an encrypted key must be decrypted first)"
        ),
        other => format!("cannot read --key {key}: {other}"),
    })
}

/// The certificate and key were read but rustls refused the pair: say which file is wrong.
fn client_auth_error(cert: &Path, key: &Path, e: &rustls::Error) -> LokiError {
    use rustls::{CertificateError, InconsistentKeys};
    let (cert, key) = (cert.display(), key.display());
    let webpki_error = match e {
        rustls::Error::InvalidCertificate(CertificateError::Other(o)) => {
            o.0.downcast_ref::<webpki::Error>().cloned()
        }
        _ => None,
    };
    config_error(match (e, webpki_error) {
        (rustls::Error::InconsistentKeys(InconsistentKeys::KeyMismatch), _) => format!(
            "--key {key} is not the private key of --cert {cert} (the certificate holds a \
             different public key): give the key the certificate was issued for"
        ),
        (_, Some(webpki::Error::UnsupportedCertVersion)) => format!(
            "--cert {cert} is an X.509 v1 certificate, which TLS cannot use: issue a v3 \
             certificate (e.g. openssl x509 -req with -extfile or -copy_extensions)"
        ),
        (rustls::Error::InvalidCertificate(_), _) => {
            format!("--cert {cert} cannot be used: {}", describe(e, true))
        }
        (rustls::Error::General(m), _) => format!("--key {key} cannot be used: {m}"),
        _ => format!(
            "--cert {cert} with --key {key} cannot be used: {}",
            describe(e, true)
        ),
    })
}

/// The rustls client configuration for `cfg`. `--ca-cert` replaces the built-in roots (as
/// logcli does); without it the Mozilla roots are used. A self-signed server certificate
/// given with `--ca-cert` is accepted as the server's own (see [`PinnedLeaf`]).
pub fn client_config(cfg: &LokiConfig) -> Result<Arc<ClientConfig>, LokiError> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| config_error(format!("TLS setup failed: {e}")))?;
    let builder = if cfg.tls_skip_verify {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(SkipVerify(provider)))
    } else {
        let mut roots = RootCertStore::empty();
        let mut pinned = Vec::new();
        match &cfg.ca_cert {
            Some(ca) => {
                for c in read_certs(ca, "--ca-cert")? {
                    roots.add(c.clone()).map_err(|e| {
                        config_error(format!(
                            "--ca-cert {}: unusable certificate: {e}",
                            ca.display()
                        ))
                    })?;
                    pinned.push(c);
                }
            }
            None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        let webpki =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
                .build()
                .map_err(|e| config_error(format!("TLS setup failed: {e}")))?;
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(PinnedLeaf::new(webpki, pinned)))
    };
    let config = match (&cfg.client_cert, &cfg.client_key) {
        (Some(cert), Some(key)) => {
            let certs = read_certs(cert, "--cert")?;
            let key_der = PrivateKeyDer::from_pem_file(key).map_err(|e| key_read_error(key, e))?;
            builder
                .with_client_auth_cert(certs, key_der)
                .map_err(|e| client_auth_error(cert, key, &e))?
        }
        (None, None) => builder.with_no_client_auth(),
        _ => {
            return Err(config_error(
                "--cert and --key must be given together".into(),
            ));
        }
    };
    Ok(Arc::new(config))
}

/// The TLS failure inside an error chain (reqwest's or the websocket's), if that is what went
/// wrong: such failures are permanent and want `--ca-cert`/`--cert`, not a retry.
pub fn tls_cause<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut cur: Option<&'a (dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(t) = err.downcast_ref::<rustls::Error>() {
            return Some(t);
        }
        // An io::Error's `source` skips the error it wraps: step into that one instead.
        cur = match err.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    None
}

/// A TLS failure in words: rustls' own text, with what it means where that is not obvious.
/// `client_cert`: whether `--cert` was given (decides what a refusing alert means).
pub fn describe(e: &rustls::Error, client_cert: bool) -> String {
    use rustls::AlertDescription as A;
    if super::pinned::ca_used_as_end_entity(e) {
        return "the server presents a self-signed CA certificate as its own, and it is not the \
                one given with --ca-cert (CaUsedAsEndEntity)"
            .into();
    }
    match e {
        rustls::Error::AlertReceived(a @ A::CertificateRequired) => format!(
            "Loki requires a client certificate (mutual TLS){}: pass --cert and --key (alert \
             {a:?})",
            if client_cert {
                ""
            } else {
                " and none was given"
            }
        ),
        rustls::Error::AlertReceived(
            a @ (A::BadCertificate
            | A::UnknownCA
            | A::CertificateUnknown
            | A::UnsupportedCertificate
            | A::CertificateExpired
            | A::CertificateRevoked
            | A::AccessDenied),
        ) => {
            if client_cert {
                format!(
                    "Loki refused the client certificate given with --cert (alert {a:?}): it \
                     must be valid and issued by a CA Loki trusts"
                )
            } else {
                format!(
                    "Loki refused the connection (alert {a:?}); it probably requires a client \
                     certificate: pass --cert and --key"
                )
            }
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
#[path = "tls_tests.rs"]
mod tests;
