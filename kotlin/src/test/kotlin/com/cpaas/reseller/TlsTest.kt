package com.cpaas.reseller

import java.io.File
import java.util.concurrent.TimeUnit
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking

/**
 * HTTPS: the emulator serving a certificate from a throwaway CA (`EmulatorOptions(tls = true)`).
 * Trusted when the CA comes through `rootCertificatesPem` or `SSL_CERT_FILE` (which the platform's
 * store, rustls-native-certs, reads instead of the system bundle); refused otherwise with a
 * `Transport` error before anything is sent.
 */
class TlsTest {
    private val emulator = Emulator(EmulatorOptions(tls = true))

    @AfterTest
    fun stop() {
        emulator.shutdown()
        emulator.close()
    }

    private fun ca(of: Emulator = emulator): String = assertNotNull(of.caPem()).also {
        assertTrue(it.startsWith("-----BEGIN CERTIFICATE-----"), it)
    }

    @Test
    fun `trusted when the CA is passed`(): Unit = runBlocking {
        assertTrue(emulator.baseUrl().startsWith("https://127.0.0.1:"), emulator.baseUrl())
        val config = emulator.clientConfig().copy(rootCertificatesPem = listOf(ca()))
        Client(config).use { assertEquals(5, it.getRoles(GetRolesRequest()).roles.size) }
        JavaClientBuilder().baseUrl(emulator.baseUrl()).addRootCertificatePem(ca()).build().use { it.getRoles(GetRolesRequest()) }
        assertEquals(2, emulator.journal().count { it.method == "GetRoles" })
    }

    @Test
    fun `refused without the CA with a Transport error`(): Unit = runBlocking {
        val other = Emulator(EmulatorOptions(tls = true))
        try {
            for (roots in listOf(emptyList(), listOf(ca(other)))) {
                Client(emulator.clientConfig().copy(rootCertificatesPem = roots, maxRetries = 0u)).use { client ->
                    val error = assertFailsWith<ResellerException.Transport> { client.getRoles(GetRolesRequest()) }
                    assertTrue(error.toString().lowercase().contains("certificate"), error.toString())
                    assertFalse(error.outcomeUnknown)
                }
            }
        } finally {
            other.shutdown()
        }
        assertEquals(0, emulator.journal().size)
        Emulator().use { assertNull(it.caPem()) }
    }

    @Test
    fun `trusted through SSL_CERT_FILE in a child JVM`() {
        val bundle = File.createTempFile("cpaas-test-ca", ".pem").apply { deleteOnExit(); writeText(ca()) }
        fun probe(sslCertFile: File?): String {
            val java = File(System.getProperty("java.home"), "bin/java").path
            val process = ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), TlsProbe::class.java.name, emulator.baseUrl())
                .redirectErrorStream(true)
                .apply {
                    environment().remove("SSL_CERT_DIR")
                    if (sslCertFile == null) environment().remove("SSL_CERT_FILE") else environment()["SSL_CERT_FILE"] = sslCertFile.path
                }
                .start()
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe finished")
            return process.inputStream.bufferedReader().readText().trim().lines().last()
        }
        assertEquals("5", probe(bundle))
        val refused = probe(null)
        assertTrue(refused.startsWith("refused:") && refused.lowercase().contains("certificate"), refused)
        assertEquals(1, emulator.journal().count { it.method == "GetRoles" })
    }
}

/** Run by [TlsTest] in a child JVM: one call to the base URL in `args[0]` with the credentials
 * from `CPAAS_RESELLER_*`; prints the role count, or `refused:` and the Transport error. */
object TlsProbe {
    @JvmStatic
    fun main(args: Array<String>) = runBlocking {
        Client(ClientConfig(baseUrl = args[0], maxRetries = 0u)).use { client ->
            try {
                println(client.getRoles(GetRolesRequest()).roles.size)
            } catch (error: ResellerException.Transport) {
                println("refused: $error")
            }
        }
    }
}
