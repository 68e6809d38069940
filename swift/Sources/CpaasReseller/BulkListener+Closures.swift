// Hand-written (not generated): conveniences for following a bulk run.
import Foundation

/// Empty implementations, so a listener implements only the methods it needs.
extension BulkListener {
    public func onProgress(progress: BulkProgress) throws {}
    public func onRow(row: BulkRowUpdate) throws {}
    public func onWarning(message: String) throws {}
}

/// A `BulkListener` from closures; each one left out does nothing. For example
/// `BulkOptions(listener: bulkListener(onProgress: { print("\($0.done)/\($0.total)") }))`.
///
/// The closures are called from the task awaiting the run, one call at a time; an error they
/// throw is ignored and the run goes on.
public func bulkListener(
    onProgress: (@Sendable (BulkProgress) throws -> Void)? = nil,
    onRow: (@Sendable (BulkRowUpdate) throws -> Void)? = nil,
    onWarning: (@Sendable (String) throws -> Void)? = nil
) -> any BulkListener {
    ClosureBulkListener(progress: onProgress, row: onRow, warning: onWarning)
}

private final class ClosureBulkListener: BulkListener {
    let progress: (@Sendable (BulkProgress) throws -> Void)?
    let row: (@Sendable (BulkRowUpdate) throws -> Void)?
    let warning: (@Sendable (String) throws -> Void)?

    init(
        progress: (@Sendable (BulkProgress) throws -> Void)?,
        row: (@Sendable (BulkRowUpdate) throws -> Void)?,
        warning: (@Sendable (String) throws -> Void)?
    ) {
        self.progress = progress
        self.row = row
        self.warning = warning
    }

    func onProgress(progress: BulkProgress) throws { try self.progress?(progress) }
    func onRow(row: BulkRowUpdate) throws { try self.row?(row) }
    func onWarning(message: String) throws { try warning?(message) }
}
