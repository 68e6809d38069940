package com.cpaas.reseller

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.TestInstance

/**
 * One emulator (started through the library's exported [Emulator]) per test class; every test
 * starts from the emulator's initial state with no faults and an empty journal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EmulatorTest {
    lateinit var emulator: Emulator
    lateinit var client: Client

    @BeforeAll
    fun startEmulator() {
        emulator = Emulator()
        client = Client(emulator.clientConfig())
    }

    @AfterAll
    fun stopEmulator() {
        client.close()
        emulator.shutdown()
        emulator.close()
    }

    @BeforeEach
    fun resetEmulator() {
        emulator.reset()
    }

    /** A client for this emulator with some options changed. */
    fun client(change: ClientConfig.() -> ClientConfig): Client = Client(emulator.clientConfig().change())

    fun <T> blocking(block: suspend CoroutineScope.() -> T): T = runBlocking(block = block)

    /** The exact body of the last request the emulator received for [method]. */
    fun lastBody(method: String): String = emulator.journal().last { it.method == method }.body

    fun fault(method: String?, kind: EmulatorFaultKind, times: UInt = 1u) =
        emulator.injectFault(EmulatorFault(method = method, times = times, kind = kind))
}
