// Hand-written (not generated): the fields that several `ResellerError` cases share, readable
// without matching every associated value of a case, e.g. `error.outcomeUnknown`, `error.message`.
// Each is nil (or the neutral value) for a case that does not carry it.

extension ResellerError {
    /// The vendor method (`AllocateCredit`); nil for an invalid client configuration.
    public var method: String? {
        switch self {
        case .Validation(let method, _, _, _): method
        case .BadRequest(let method, _, _, _, _, _, _, _, _, _, _),
            .Authentication(let method, _, _, _, _, _, _, _, _, _, _),
            .Server(let method, _, _, _, _, _, _, _, _, _, _),
            .GatewayTimeout(let method, _, _, _, _, _, _, _, _, _, _),
            .UnexpectedResponse(let method, _, _, _, _, _, _, _, _, _, _),
            .Timeout(let method, _, _, _, _),
            .Transport(let method, _, _, _, _):
            method
        }
    }

    /// `Validation`: the field as the vendor spells it (`MobilePhoneNumber`) or the option.
    public var field: String? {
        if case .Validation(_, let field, _, _) = self { field } else { nil }
    }

    /// What went wrong: the validation message, the vendor's `ErrorDetail.Message` (nil when the
    /// body had none), or the timeout/transport failure.
    public var message: String? {
        switch self {
        case .Validation(_, _, let message, _),
            .Timeout(_, let message, _, _, _),
            .Transport(_, let message, _, _, _):
            message
        case .BadRequest(_, _, _, let message, _, _, _, _, _, _, _),
            .Authentication(_, _, _, let message, _, _, _, _, _, _, _),
            .Server(_, _, _, let message, _, _, _, _, _, _, _),
            .GatewayTimeout(_, _, _, let message, _, _, _, _, _, _, _),
            .UnexpectedResponse(_, _, _, let message, _, _, _, _, _, _, _):
            message
        }
    }

    /// The HTTP answer of the cases that have one (`BadRequest` ... `UnexpectedResponse`).
    public var response: Response? {
        switch self {
        case .BadRequest(
            _, let status, let errorType, _, let detailJson, let bodyExcerpt, let contentType, let hint, _, _, _),
            .Authentication(
                _, let status, let errorType, _, let detailJson, let bodyExcerpt, let contentType, let hint, _, _, _),
            .Server(
                _, let status, let errorType, _, let detailJson, let bodyExcerpt, let contentType, let hint, _, _, _),
            .GatewayTimeout(
                _, let status, let errorType, _, let detailJson, let bodyExcerpt, let contentType, let hint, _, _, _),
            .UnexpectedResponse(
                _, let status, let errorType, _, let detailJson, let bodyExcerpt, let contentType, let hint, _, _, _):
            Response(
                status: status, errorType: errorType, detailJson: detailJson,
                bodyExcerpt: bodyExcerpt, contentType: contentType, hint: hint)
        case .Validation, .Timeout, .Transport:
            nil
        }
    }

    /// True when a mutating call may have been applied although it failed: reconcile (e.g. by
    /// `reference` with `getCreditAllocations`) before repeating it.
    public var outcomeUnknown: Bool {
        switch self {
        case .Validation:
            false
        case .BadRequest(_, _, _, _, _, _, _, _, let unknown, _, _),
            .Authentication(_, _, _, _, _, _, _, _, let unknown, _, _),
            .Server(_, _, _, _, _, _, _, _, let unknown, _, _),
            .GatewayTimeout(_, _, _, _, _, _, _, _, let unknown, _, _),
            .UnexpectedResponse(_, _, _, _, _, _, _, _, let unknown, _, _),
            .Timeout(_, _, let unknown, _, _),
            .Transport(_, _, let unknown, _, _):
            unknown
        }
    }

    /// Attempts made, retries included; 0 for `Validation` (nothing was sent).
    public var attempts: UInt32 {
        switch self {
        case .Validation:
            0
        case .BadRequest(_, _, _, _, _, _, _, _, _, let attempts, _),
            .Authentication(_, _, _, _, _, _, _, _, _, let attempts, _),
            .Server(_, _, _, _, _, _, _, _, _, let attempts, _),
            .GatewayTimeout(_, _, _, _, _, _, _, _, _, let attempts, _),
            .UnexpectedResponse(_, _, _, _, _, _, _, _, _, let attempts, _),
            .Timeout(_, _, _, let attempts, _),
            .Transport(_, _, _, let attempts, _):
            attempts
        }
    }

    /// The HTTP answer carried by `BadRequest`, `Authentication`, `Server`, `GatewayTimeout` and
    /// `UnexpectedResponse`.
    public struct Response: Equatable, Hashable, Sendable {
        public var status: UInt16
        /// `ErrorType` of the vendor error body (`ArgumentFaultContract`, ...).
        public var errorType: String?
        /// The whole `ErrorDetail` object as JSON text (`{}` when absent).
        public var detailJson: String
        /// At most 1 KiB of the body, secrets removed.
        public var bodyExcerpt: String
        public var contentType: String?
        /// What to check next (for a 404: the base URL used).
        public var hint: String?
    }
}
