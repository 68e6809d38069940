//! The client object: one async method per operation of the core's catalogue, expanded from its
//! table (`cpaas_reseller::for_each_operation!`), plus `call`.

use crate::config::ClientConfig;
use crate::errors::ResellerError;
use crate::records::{facade_type, ToFacade};
use crate::requests::FacadeRequest;
use async_compat::Compat;
use cpaas_reseller::Operation;
use std::sync::Arc;

/// A client of the Reseller Services API. One client serves a whole application: calls share
/// its connection pool and may run concurrently.
///
/// Async methods run on a tokio runtime inside the library (Kotlin `suspend`, Swift `async`);
/// cancelling the caller's coroutine or task drops the call.
#[derive(Debug, uniffi::Object)]
pub struct Client {
    inner: cpaas_reseller::Client,
}

impl Client {
    /// The core client, for the other exported blocks of methods (`bulk`).
    pub(crate) fn core(&self) -> &cpaas_reseller::Client {
        &self.inner
    }
}

// Each method runs the core's local validation (`Operation::check`) before the sending, which
// alone is wrapped in the tokio runtime's context (`Compat`): a request failing validation fails
// on the first poll without entering the runtime (`async_runtime = "tokio"` would enter it on
// every poll of every call). `send` checks again; that costs nanoseconds.
macro_rules! operations {
    ($(
        $(#[$doc:meta])*
        $area:ident $method:ident => $function:ident -> $output:ty [$($key:tt)*], $kind:ident, $status:ident;
    )*) => {
        #[uniffi::export]
        impl Client {
            /// Builds a client; fails with `Validation` when an option is invalid (missing
            /// credentials, a plain `http://` URL to a non-loopback host, a bad proxy or PEM).
            #[uniffi::constructor]
            pub fn new(config: ClientConfig) -> Result<Arc<Self>, ResellerError> {
                crate::signals::ignore_sigpipe();
                let inner = config.builder()?.build()?;
                Ok(Arc::new(Self { inner }))
            }

            /// The base URL calls go to.
            pub fn base_url(&self) -> String {
                self.inner.base_url().to_owned()
            }

            /// The raw escape hatch: calls any vendor method (`GetAccount`) with a JSON object
            /// body (`{}` when none), through the same authentication, retries and errors, and
            /// returns the response body as JSON text (`null` for an empty body). Numbers keep
            /// every digit. A method missing from the catalogue is treated as mutating.
            pub async fn call(
                &self,
                method: String,
                json_body: Option<String>,
            ) -> Result<String, ResellerError> {
                let body = json_body
                    .map(|text| {
                        serde_json::from_str::<serde_json::Value>(&text).map_err(|error| {
                            ResellerError::invalid("json_body", format!("is not JSON: {error}"))
                        })
                    })
                    .transpose()?;
                let value = Compat::new(self.inner.call(&method, body.as_ref())).await?;
                Ok(value.to_string())
            }

            $(
                // uniffi reads only literal docs: the row's, which say what the method does.
                $(#[$doc])*
                pub async fn $function(
                    &self,
                    request: <cpaas_reseller::requests::$method as FacadeRequest>::Facade,
                ) -> Result<facade_type!($($key)*), ResellerError> {
                    let request = request.into_core()?;
                    request.check()?;
                    let output = Compat::new(self.inner.$function(&request)).await?;
                    Ok(output.to_facade())
                }
            )*
        }
    };
}

cpaas_reseller::for_each_operation!(operations);
