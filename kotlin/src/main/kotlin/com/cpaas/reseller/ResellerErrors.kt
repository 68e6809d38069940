package com.cpaas.reseller

/**
 * The error's full text, the Rust core's `Display` (also what [ResellerException.toString]
 * returns): method, status, vendor error type and message, hint, and whether the outcome of a
 * mutating call is unknown. Every variant also carries it as its own `description` field.
 */
val ResellerException.description: String
    get() = toString()
