package com.cpaas.reseller

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.future.future
import kotlinx.coroutines.runBlocking
import java.time.Duration
import java.util.concurrent.CompletableFuture

// What the generated JavaClient (scripts/gen-java-facade.py) builds on, and the Java-friendly
// forms of the values the uniffi bindings type as unsigned (Java cannot call those accessors).

/** The futures' coroutines: pool threads, and one failed call never cancels another. */
private val javaCalls = CoroutineScope(SupervisorJob() + Dispatchers.Default)

/** Runs [call] to completion on the calling thread (JavaClient's blocking methods). */
@JvmSynthetic
internal fun <T> javaBlocking(call: suspend CoroutineScope.() -> T): T = runBlocking(block = call)

/** Starts [call] and returns its future; cancelling the future cancels the call. */
@JvmSynthetic
internal fun <T> javaFuture(call: suspend CoroutineScope.() -> T): CompletableFuture<T> = javaCalls.future(block = call)

/**
 * Builds a [JavaClient]: the options of [ClientConfig] with times as [Duration] (whole
 * milliseconds) and counts as `int` / `long`. The core checks every value when [build] runs;
 * a negative number or duration, which the options cannot hold, is an [IllegalArgumentException].
 */
public class JavaClientBuilder private constructor(private var config: ClientConfig) {
    /** Credentials, every other option at its default. */
    public constructor(username: String, password: String) : this(ClientConfig(username = username, password = password))

    /** Every option at its default: the credentials from `CPAAS_RESELLER_USERNAME` / `_PASSWORD`. */
    public constructor() : this(ClientConfig())

    public companion object {
        /** A builder starting from [config], e.g. `emulator.clientConfig()`. */
        @JvmStatic
        public fun from(config: ClientConfig): JavaClientBuilder = JavaClientBuilder(config)
    }

    /** Defaults to the vendor's method-page URL; must be `https://` except for loopback hosts. */
    public fun baseUrl(url: String?): JavaClientBuilder = apply { config = config.copy(baseUrl = url) }

    /** Total time for one attempt, body included (default 130 s). */
    public fun timeout(timeout: Duration): JavaClientBuilder = apply { config = config.copy(timeoutMs = millis("timeout", timeout)) }

    /** Default 10 s. */
    public fun connectTimeout(timeout: Duration): JavaClientBuilder =
        apply { config = config.copy(connectTimeoutMs = millis("connectTimeout", timeout)) }

    /** Retries after the first attempt (default 2); 0 disables them. */
    public fun maxRetries(retries: Int): JavaClientBuilder = apply {
        require(retries >= 0) { "maxRetries must not be negative, got $retries" }
        config = config.copy(maxRetries = retries.toUInt())
    }

    /** Default 200 ms. */
    public fun initialBackoff(backoff: Duration): JavaClientBuilder =
        apply { config = config.copy(initialBackoffMs = millis("initialBackoff", backoff)) }

    /** Default 10 s. */
    public fun maxBackoff(backoff: Duration): JavaClientBuilder = apply { config = config.copy(maxBackoffMs = millis("maxBackoff", backoff)) }

    /** No retry starts after this much time since the first attempt (default 5 min). */
    public fun maxElapsed(elapsed: Duration): JavaClientBuilder = apply { config = config.copy(maxElapsedMs = millis("maxElapsed", elapsed)) }

    /** Default true. */
    public fun jitter(jitter: Boolean): JavaClientBuilder = apply { config = config.copy(jitter = jitter) }

    /** Appended to the `cpaas-reseller/<version>` user agent. */
    public fun userAgentSuffix(suffix: String?): JavaClientBuilder = apply { config = config.copy(userAgentSuffix = suffix) }

    /** Sends every call through this `http://` or `https://` proxy (default: `HTTPS_PROXY` / `NO_PROXY`). */
    public fun proxy(proxy: String?): JavaClientBuilder = apply { config = config.copy(proxy = proxy) }

    /** The proxy's credentials (`Proxy-Authorization: Basic`); the password is kept secret. */
    public fun proxyCredentials(username: String, password: String): JavaClientBuilder =
        apply { config = config.copy(proxyUsername = username, proxyPassword = password) }

    /** Trusts this PEM certificate (or bundle) besides the platform's trust store. */
    public fun addRootCertificatePem(pem: String): JavaClientBuilder =
        apply { config = config.copy(rootCertificatesPem = config.rootCertificatesPem + pem) }

    /** Response bodies larger than this are refused (default 64 MiB). */
    public fun maxBodySize(bytes: Long): JavaClientBuilder = apply {
        require(bytes >= 0) { "maxBodySize must not be negative, got $bytes" }
        config = config.copy(maxBodySize = bytes.toULong())
    }

    /** The configuration built so far (its `toString()` hides the password and proxy). */
    public fun config(): ClientConfig = config

    /** The client; throws [ResellerException.Validation] naming the option the core refused. */
    @Throws(ResellerException::class)
    public fun build(): JavaClient = JavaClient(config)

    private fun millis(option: String, duration: Duration): ULong {
        require(!duration.isNegative) { "$option must not be negative, got $duration" }
        // Durations beyond Long.MAX_VALUE milliseconds (about 292 million years) saturate.
        return (if (duration.seconds >= Long.MAX_VALUE / 1000) Long.MAX_VALUE else duration.toMillis()).toULong()
    }
}

/**
 * What [ResellerException] carries that Java cannot read from the exception itself: the values
 * Kotlin types as unsigned, as Java numbers, and the accessors written as Kotlin extensions.
 * Everything else (`getField()`, `getErrorMessage()`, `getHttp()` of the HTTP subclasses, `getTransport()`
 * of Timeout and Transport, `kind()`,
 * `isOutcomeUnknown()`, `toString()`) Java reads from the exception.
 */
public object ResellerExceptions {
    /** The service's answer of the HTTP subclasses (BadRequest ... UnexpectedResponse), else null. */
    @JvmStatic
    public fun http(error: ResellerException): HttpError? = error.http

    /** What the Timeout and Transport subclasses carry (method, message, outcome, attempts), else null. */
    @JvmStatic
    public fun transport(error: ResellerException): TransportError? = error.transport

    /** The HTTP status when the service answered, else null (validation, timeout, transport). */
    @JvmStatic
    public fun httpStatus(error: ResellerException): Int? = error.http?.status?.toInt()

    /** The vendor method (`AllocateCredit`); null for an invalid client configuration. */
    @JvmStatic
    public fun method(error: ResellerException): String? = error.method

    /** Attempts made, retries included; 0 for a validation error (nothing was sent). */
    @JvmStatic
    public fun attempts(error: ResellerException): Int = error.attempts.toInt()
}

/**
 * The [Emulator]'s unsigned values for Java. Java drives faults with `injectFaultJson` and reads
 * the journal with `journalJson` (the control endpoint's JSON forms).
 */
public object Emulators {
    /** Starts an emulator with the default options (`new Emulator(null)` is ambiguous in Java). */
    @JvmStatic
    @Throws(ResellerException::class)
    public fun start(): Emulator = Emulator()

    /** How many calls [method] (vendor name) has received. */
    @JvmStatic
    public fun calls(emulator: Emulator, method: String): Long = emulator.calls(method).toLong()
}

/**
 * The log functions ([setLogListener], [clearLogListener], [flushLogs], [droppedLogRecords]) for
 * Java, which sees them only as static methods of the generated file's class, and the unsigned
 * fields of [LogRecord] as Java numbers. [Slf4jLogListener.install] is the usual way in.
 */
public object Logs {
    /** Sends the records at [level] and above to [listener], asynchronously (see [setLogListener]). */
    @JvmStatic
    @Throws(ResellerException::class)
    public fun set(listener: LogListener, level: LogLevel): Unit = setLogListener(listener, level)

    /** Removes the listener; records still queued are discarded. */
    @JvmStatic
    public fun clear(): Unit = clearLogListener()

    /** Waits up to [timeout] until the records queued so far are delivered; whether they were. */
    @JvmStatic
    public fun flush(timeout: Duration): Boolean = flushLogs(timeout)

    /** Records dropped because the listener fell behind. */
    @JvmStatic
    public fun droppedRecords(): Long = droppedLogRecords().toLong()

    @JvmStatic
    public fun attempt(record: LogRecord): Int = record.attempt.toInt()

    /** The HTTP status, null when the service did not answer (and for a body). */
    @JvmStatic
    public fun status(record: LogRecord): Int? = record.status?.toInt()

    @JvmStatic
    public fun durationMs(record: LogRecord): Long = record.durationMs.toLong()

    @JvmStatic
    public fun waitMs(record: LogRecord): Long? = record.waitMs?.toLong()
}
