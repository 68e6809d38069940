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

    /// What `Timeout` and `Transport` carry (method, message, outcomeUnknown, attempts); nil for
    /// `Validation` and the cases with an HTTP answer.
    public var transport: TransportError? {
        switch self {
        case .Timeout(let transport, _), .Transport(let transport, _):
            transport
        case .Validation, .BadRequest, .Authentication, .Server, .GatewayTimeout, .UnexpectedResponse:
            nil
        }
    }

    /// The vendor method (`AllocateCredit`); nil for an invalid client configuration.
    public var method: String? {
        switch self {
        case .Validation(let method, _, _, _): method
        default: transport?.method ?? http?.method
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
        case .Validation(_, _, let message, _): message
        default: transport?.message ?? http?.message
        }
    }

    /// True when a mutating call may have been applied although it failed: reconcile with a read
    /// (for credit, by `reference`) before repeating it. Same as `isOutcomeUnknown()`.
    public var outcomeUnknown: Bool {
        transport?.outcomeUnknown ?? http?.outcomeUnknown ?? false
    }

    /// Attempts made, retries included; 0 for `Validation` (nothing was sent).
    public var attempts: UInt32 {
        transport?.attempts ?? http?.attempts ?? 0
    }
}
