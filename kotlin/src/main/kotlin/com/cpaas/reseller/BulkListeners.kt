package com.cpaas.reseller

/**
 * A [BulkListener] from functions; each one left out does nothing. For example
 * `BulkOptions(listener = bulkListener(onProgress = { println("${it.done}/${it.total}") }))`.
 *
 * The functions are called from the coroutine awaiting the run, one call at a time; an exception
 * they throw is ignored and the run goes on.
 */
fun bulkListener(
    onProgress: (BulkProgress) -> Unit = {},
    onRow: (BulkRowUpdate) -> Unit = {},
    onWarning: (String) -> Unit = {},
): BulkListener {
    val progressFn = onProgress
    val rowFn = onRow
    val warningFn = onWarning
    return object : BulkListener {
        override fun onProgress(progress: BulkProgress) = progressFn(progress)
        override fun onRow(row: BulkRowUpdate) = rowFn(row)
        override fun onWarning(message: String) = warningFn(message)
    }
}
