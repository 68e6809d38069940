package com.cpaas.reseller

// Hand-written (not generated): what several ResellerException subclasses carry, readable on any
// of them without a `when`. A subclass's own property (BadRequest's `http`, Timeout's
// `transport`) takes precedence where the static type is that subclass.

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
 * What [ResellerException.Timeout] and [ResellerException.Transport] carry ([TransportError]:
 * method, message, outcome unknown, attempts); null for the failures with an HTTP answer and for
 * validation.
 */
val ResellerException.transport: TransportError?
    get() = when (this) {
        is ResellerException.Timeout -> transport
        is ResellerException.Transport -> transport
        is ResellerException.Validation, is ResellerException.BadRequest, is ResellerException.Authentication,
        is ResellerException.Server, is ResellerException.GatewayTimeout, is ResellerException.UnexpectedResponse,
        -> null
    }

/**
 * True when a mutating call may have been applied although it failed (a timeout, a dropped
 * connection, a 504, an unreadable success body): reconcile with a read (for credit, by
 * `reference`) before repeating it. The same as [ResellerException.isOutcomeUnknown].
 */
val ResellerException.outcomeUnknown: Boolean
    get() = transport?.outcomeUnknown ?: http?.outcomeUnknown ?: false

/** The vendor method (`AllocateCredit`); null for an invalid client configuration. */
val ResellerException.method: String?
    get() = when (this) {
        is ResellerException.Validation -> method
        else -> transport?.method ?: http?.method
    }

/** Attempts made, retries included; 0 for a validation error (nothing was sent). */
val ResellerException.attempts: UInt
    get() = transport?.attempts ?: http?.attempts ?: 0u
