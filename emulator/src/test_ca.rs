//! A throwaway certificate authority for the HTTPS mode: the core's tests and every binding's
//! emulator (`tls=True` in Python, `EmulatorOptions.tls` in Kotlin and Swift) serve with a
//! certificate from one, so a client must be told to trust it (its CA option, `SSL_CERT_FILE`)
//! and refuses it otherwise. The key lives only in memory.

use crate::{EmulatorConfig, TlsIdentity};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use std::io;

/// A CA that signs server certificates; a new key pair every time.
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl std::fmt::Debug for TestCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestCa").finish_non_exhaustive()
    }
}

fn invalid(error: rcgen::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, error)
}

impl TestCa {
    /// A self-signed CA with this common name.
    pub fn new(name: &str) -> io::Result<Self> {
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(invalid)?;
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate().map_err(invalid)?;
        let issuer = CertifiedIssuer::self_signed(params, key).map_err(invalid)?;
        Ok(Self { issuer })
    }

    /// The CA certificate, PEM: what a client adds as a root.
    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A server identity for `names` (host names or IP addresses), signed by this CA: leaf then
    /// CA in the chain.
    pub fn server(&self, names: &[&str]) -> io::Result<TlsIdentity> {
        let key = KeyPair::generate().map_err(invalid)?;
        let names = names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        let leaf = CertificateParams::new(names)
            .map_err(invalid)?
            .signed_by(&key, &self.issuer)
            .map_err(invalid)?;
        Ok(TlsIdentity {
            cert_chain_pem: format!("{}{}", leaf.pem(), self.pem()),
            key_pem: key.serialize_pem(),
        })
    }

    /// A server identity for the emulator's own URLs: `127.0.0.1` and `localhost`.
    pub fn loopback_server(&self) -> io::Result<TlsIdentity> {
        self.server(&["127.0.0.1", "localhost"])
    }
}

impl EmulatorConfig {
    /// Serves HTTPS with a loopback certificate from a fresh [`TestCa`]; returns the CA's PEM,
    /// which a client must be told to trust. What the bindings' `tls` option does.
    pub fn serve_test_https(&mut self) -> io::Result<String> {
        let ca = TestCa::new("cpaas-reseller emulator test CA")?;
        self.tls = Some(ca.loopback_server()?);
        Ok(ca.pem())
    }
}
