package com.cpaas.reseller

import org.slf4j.ILoggerFactory
import org.slf4j.Logger
import org.slf4j.Marker
import org.slf4j.event.Level
import org.slf4j.event.LoggingEvent
import org.slf4j.helpers.BasicMarkerFactory
import org.slf4j.helpers.LegacyAbstractLogger
import org.slf4j.helpers.NOPMDCAdapter
import org.slf4j.spi.LoggingEventAware
import org.slf4j.spi.SLF4JServiceProvider
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList

/** One event an SLF4J logger received: its level, message and key-value pairs. */
data class CapturedEvent(val logger: String, val level: Level, val message: String, val keyValues: Map<String, Any?>) {
    /** Everything a log backend could print of it. */
    fun text(): String = "$level $logger $message $keyValues"
}

/**
 * A tiny SLF4J 2 binding for the tests (found through `META-INF/services`): every logger keeps
 * its events in [events]; [threshold] is the least severe level enabled.
 */
object Captured {
    @Volatile
    var threshold: Level = Level.INFO
    val events: MutableList<CapturedEvent> = CopyOnWriteArrayList()

    fun reset() {
        threshold = Level.INFO
        events.clear()
    }
}

class CapturingSlf4jProvider : SLF4JServiceProvider {
    private val loggers = ConcurrentHashMap<String, Logger>()
    private val factory = ILoggerFactory { name -> loggers.computeIfAbsent(name, ::CapturingLogger) }
    private val markers = BasicMarkerFactory()
    private val mdc = NOPMDCAdapter()

    override fun getLoggerFactory(): ILoggerFactory = factory
    override fun getMarkerFactory() = markers
    override fun getMDCAdapter() = mdc
    override fun getRequestedApiVersion(): String = "2.0.99"
    override fun initialize() {}
}

private class CapturingLogger(private val loggerName: String) : LegacyAbstractLogger(), LoggingEventAware {
    private fun on(level: Level) = level.toInt() >= Captured.threshold.toInt()

    override fun getName(): String = loggerName
    override fun isTraceEnabled() = on(Level.TRACE)
    override fun isDebugEnabled() = on(Level.DEBUG)
    override fun isInfoEnabled() = on(Level.INFO)
    override fun isWarnEnabled() = on(Level.WARN)
    override fun isErrorEnabled() = on(Level.ERROR)
    override fun getFullyQualifiedCallerName(): String? = null

    /** The fluent API (`atWarn().addKeyValue(...)`). */
    override fun log(event: LoggingEvent) {
        val pairs = event.keyValuePairs.orEmpty().associate { it.key to it.value }
        Captured.events += CapturedEvent(loggerName, event.level, event.message, pairs)
    }

    /** The classic API (`warn("...")`). */
    override fun handleNormalizedLoggingCall(
        level: Level,
        marker: Marker?,
        messagePattern: String?,
        arguments: Array<out Any?>?,
        throwable: Throwable?,
    ) {
        Captured.events += CapturedEvent(loggerName, level, messagePattern.orEmpty(), emptyMap())
    }
}
