// Hand-written (not generated): the fields that several `ResellerError` cases share, readable
// without matching a case, e.g. `error.http?.status`, `error.outcomeUnknown`, `error.message`.
// Each is nil (or the neutral value) for a case that does not carry it.

extension ResellerError {
    /// The service's answer (status, errorType, message, detailJson, bodyExcerpt, ...) of
    /// `BadRequest`, `Authentication`, `Server`, `GatewayTimeout` and `UnexpectedResponse`; nil
    /// for `Validation`, `Timeout` and `Transport`.
    public var http: HttpError? {
        switch self {
        case .BadRequest(let http, _), .Authentication(let http, _), .Server(let http, _),
            .GatewayTimeout(let http, _), .UnexpectedResponse(let http, _):
            http
        case .Validation, .Timeout, .Transport:
            nil
        }
    }

    /// The vendor method (`AllocateCredit`); nil for an invalid client configuration.
    public var method: String? {
        switch self {
        case .Validation(let method, _, _, _): method
        case .Timeout(let method, _, _, _, _), .Transport(let method, _, _, _, _): method
        default: http?.method
        }
    }

    /// `Validation`: the field as the vendor spells it (PascalCase, as on the wire) or the option.
    public var field: String? {
        if case .Validation(_, let field, _, _) = self { field } else { nil }
    }

    /// What went wrong: the validation message, the vendor's `ErrorDetail.Message` (nil when the
    /// body had none), or the timeout/transport failure.
    public var message: String? {
        switch self {
        case .Validation(_, _, let message, _), .Timeout(_, let message, _, _, _),
            .Transport(_, let message, _, _, _):
            message
        default: http?.message
        }
    }

    /// True when a mutating call may have been applied although it failed: reconcile with a read
    /// (for credit, by `reference`) before repeating it. Same as `isOutcomeUnknown()`.
    public var outcomeUnknown: Bool {
        switch self {
        case .Timeout(_, _, let unknown, _, _), .Transport(_, _, let unknown, _, _): unknown
        default: http?.outcomeUnknown ?? false
        }
    }

    /// Attempts made, retries included; 0 for `Validation` (nothing was sent).
    public var attempts: UInt32 {
        switch self {
        case .Timeout(_, _, _, let attempts, _), .Transport(_, _, _, let attempts, _): attempts
        default: http?.attempts ?? 0
        }
    }
}
