//! `uniffi-bindgen` built from the workspace's pinned uniffi, so the generated Kotlin and Swift
//! always match the scaffolding compiled into `cpaas-reseller-uniffi`.
//!
//! `scripts/build-uniffi.sh` runs it in library mode:
//! `uniffi-bindgen generate --library target/debug/libcpaas_reseller_uniffi.so --language kotlin ...`

fn main() {
    uniffi::uniffi_bindgen_main()
}
