//! Secret text (passwords) that never shows in `Debug`, and so never in Kotlin's `toString()` or
//! Swift's `debugDescription` of the records that hold it (they export the Rust `Debug`).

/// A secret string: a plain string in Kotlin and Swift, shown as `***` by the records holding it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(pub String);

uniffi::custom_type!(Secret, String, {
    lower: |secret| secret.0,
    try_lift: |text| Ok(Secret(text)),
});

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl From<Secret> for cpaas_reseller::Secret {
    fn from(secret: Secret) -> Self {
        cpaas_reseller::Secret::new(secret.0)
    }
}
