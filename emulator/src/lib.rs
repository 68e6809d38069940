//! Offline emulator of the Reseller Services API (work in progress).
