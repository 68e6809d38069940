#!/usr/bin/env bash
# Android release artifact: dist/android/cpaas-reseller-<version>.aar with the native library for
# arm64-v8a, armeabi-v7a and x86_64 (cargo-ndk) under jni/<abi>/, and classes.jar: the Kotlin
# bindings and the Java facade as Maven compiles them for the jar (the generated code is the same
# for every platform; the host library is built only to generate it). Depend on it together with
# net.java.dev.jna:jna:<version>@aar and kotlinx-coroutines-android. Needs an Android NDK
# ($ANDROID_NDK_HOME; GitHub's Linux runners have one) and installs cargo-ndk and the Rust
# targets when missing. Not runnable here: no NDK can be had on this machine (DISTRIBUTION.md).
set -euo pipefail

cd "$(dirname "$0")/.."
log() { printf 'android-aar: %s\n' "$*" >&2; }

ndk="${ANDROID_NDK_HOME:-${ANDROID_NDK_ROOT:-}}"
[[ -n "$ndk" && -d "$ndk" ]] || { log "set ANDROID_NDK_HOME to an Android NDK"; exit 2; }
command -v cargo-ndk >/dev/null 2>&1 || cargo install cargo-ndk --locked
rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android

build=build/android
out=dist/android
rm -rf "$build" && mkdir -p "$build/aar/jni" "$out"
log "cargo ndk (arm64-v8a, armeabi-v7a, x86_64) rustc --release -p cpaas-reseller-uniffi --crate-type cdylib"
# The library alone as a cdylib: with its declared rlib too, cargo would not pass the release
# profile's fat LTO (DISTRIBUTION.md, "Apple frameworks"). Unverified here (no NDK).
ANDROID_NDK_HOME="$ndk" cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 -o "$build/aar/jni" \
    rustc --locked --release -p cpaas-reseller-uniffi --lib --crate-type cdylib

bash scripts/build-uniffi.sh
bash scripts/mvn.sh -q -DskipTests -Ddokka.skip=true package
classes=kotlin/target/classes
# The JVM jar's classes without its desktop native folders (linux-x86-64/, darwin-*/, win32-*/).
(cd "$classes" && zip -qr "$OLDPWD/$build/aar/classes.jar" com META-INF)

pkgid="$(cargo pkgid --offline -p cpaas-reseller)"
version="${pkgid##*[#@]}"
cat >"$build/aar/AndroidManifest.xml" <<MANIFEST
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.cpaas.reseller">
    <!-- CompletableFuture (JavaClient) needs API 24. -->
    <uses-sdk android:minSdkVersion="24" />
    <uses-permission android:name="android.permission.INTERNET" />
</manifest>
MANIFEST
: >"$build/aar/R.txt"
for abi in arm64-v8a armeabi-v7a x86_64; do
    [[ -f "$build/aar/jni/$abi/libcpaas_reseller_uniffi.so" ]] || { log "missing $abi library"; exit 1; }
done
aar="$out/cpaas-reseller-$version.aar"
rm -f "$aar"
(cd "$build/aar" && zip -qr "$OLDPWD/$aar" AndroidManifest.xml classes.jar R.txt jni)
log "$aar ($(du -h "$aar" | cut -f1))"
