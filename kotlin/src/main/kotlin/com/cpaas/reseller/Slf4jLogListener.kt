package com.cpaas.reseller

import org.slf4j.Logger
import org.slf4j.LoggerFactory
import org.slf4j.event.Level

/**
 * A [LogListener] that writes each [LogRecord] to an SLF4J 2 [Logger] (by default the
 * `cpaas_reseller` logger): WARN for a retried or outcome-unknown attempt, DEBUG for the other
 * attempts, TRACE for the redacted bodies. The message is the record's text; its fields are
 * SLF4J key-value pairs: `method`, `attempt`, `status`, `duration_ms`, `retry`, `wait_ms`,
 * `outcome_unknown` and `reason` for an attempt, `method`, `attempt`, `direction` and `body` for
 * a body. No record carries the password or the `Authorization` header.
 *
 * `org.slf4j:slf4j-api` is an optional dependency of this library: add it (2.0 or newer) and a
 * binding to use this class. Install it with [install]; records arrive asynchronously, on the
 * library's delivery thread (see [setLogListener] and [flushLogs]).
 */
public class Slf4jLogListener @JvmOverloads constructor(
    private val logger: Logger = LoggerFactory.getLogger(LOGGER_NAME),
) : LogListener {
    override fun onLog(record: LogRecord) {
        var event = logger.atLevel(slf4jLevel(record.level))
            .addKeyValue("method", record.method)
            .addKeyValue("attempt", record.attempt.toLong())
        if (record.body != null) {
            event = event.addKeyValue("direction", record.direction).addKeyValue("body", record.body)
        } else {
            event = event.addKeyValue("status", record.status?.toInt())
                .addKeyValue("duration_ms", record.durationMs.toLong())
                .addKeyValue("retry", record.retry)
                .addKeyValue("wait_ms", record.waitMs?.toLong())
                .addKeyValue("outcome_unknown", record.outcomeUnknown)
                .addKeyValue("reason", record.reason)
        }
        event.log(record.message)
    }

    /** The most verbose level the logger has enabled now; null when even WARN is off. */
    public fun enabledLevel(): LogLevel? = when {
        logger.isTraceEnabled -> LogLevel.TRACE
        logger.isDebugEnabled -> LogLevel.DEBUG
        logger.isWarnEnabled -> LogLevel.WARN
        else -> null
    }

    public companion object {
        /** The logger [install] writes to unless given another. */
        public const val LOGGER_NAME: String = "cpaas_reseller"

        /**
         * Installs a listener for [logger] at the most verbose level it has enabled now, so the
         * library builds nothing the logger would discard; when even WARN is off, removes the
         * listener instead. SLF4J cannot tell when a level changes: call it again after that.
         * Throws [ResellerException.Validation] (field `listener`) when another Rust `tracing`
         * subscriber owns the process.
         */
        @JvmStatic
        @JvmOverloads
        @Throws(ResellerException::class)
        public fun install(logger: Logger = LoggerFactory.getLogger(LOGGER_NAME)): Slf4jLogListener {
            val listener = Slf4jLogListener(logger)
            val level = listener.enabledLevel()
            if (level == null) clearLogListener() else setLogListener(listener, level)
            return listener
        }

        private fun slf4jLevel(level: LogLevel): Level = when (level) {
            LogLevel.WARN -> Level.WARN
            LogLevel.DEBUG -> Level.DEBUG
            LogLevel.TRACE -> Level.TRACE
        }
    }
}
