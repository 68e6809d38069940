package com.cpaas.reseller

// Hand-written (not generated): what several ResellerException subclasses carry, readable on any
// of them without a `when`. A subclass's own property (BadRequest's `http`, Timeout's
// `outcomeUnknown`, ...) takes precedence where the static type is that subclass.

/**
 * The error's full text, the Rust core's `Display` (also what [ResellerException.toString]
 * returns): method, status, vendor error type and message, hint, and whether the outcome of a
 * mutating call is unknown. Every variant also carries it as its own `description` field.
 */
val ResellerException.description: String
    get() = toString()

/**
 * The service's answer ([HttpError]: status, error type, message, detail, body excerpt, ...) of
 * [ResellerException.BadRequest], [ResellerException.Authentication], [ResellerException.Server],
 * [ResellerException.GatewayTimeout] and [ResellerException.UnexpectedResponse]; null for the
 * failures without one (validation, timeout, transport).
 */
val ResellerException.http: HttpError?
    get() = when (this) {
        is ResellerException.BadRequest -> http
        is ResellerException.Authentication -> http
        is ResellerException.Server -> http
        is ResellerException.GatewayTimeout -> http
        is ResellerException.UnexpectedResponse -> http
        is ResellerException.Validation, is ResellerException.Timeout, is ResellerException.Transport -> null
    }

/**
 * True when a mutating call may have been applied although it failed (a timeout, a dropped
 * connection, a 504, an unreadable success body): reconcile with a read (for credit, by
 * `reference`) before repeating it. The same as [ResellerException.isOutcomeUnknown].
 */
val ResellerException.outcomeUnknown: Boolean
    get() = when (this) {
        is ResellerException.Timeout -> outcomeUnknown
        is ResellerException.Transport -> outcomeUnknown
        else -> http?.outcomeUnknown ?: false
    }

/** The vendor method (`AllocateCredit`); null for an invalid client configuration. */
val ResellerException.method: String?
    get() = when (this) {
        is ResellerException.Validation -> method
        is ResellerException.Timeout -> method
        is ResellerException.Transport -> method
        else -> http?.method
    }

/** Attempts made, retries included; 0 for a validation error (nothing was sent). */
val ResellerException.attempts: UInt
    get() = when (this) {
        is ResellerException.Timeout -> attempts
        is ResellerException.Transport -> attempts
        else -> http?.attempts ?: 0u
    }
