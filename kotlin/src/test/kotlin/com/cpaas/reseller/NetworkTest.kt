package com.cpaas.reseller

import java.io.ByteArrayOutputStream
import java.io.IOException
import java.net.InetAddress
import java.net.ServerSocket
import java.net.Socket
import java.util.Base64
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.concurrent.thread
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

private const val PROXY_PASSWORD = "proxy-PLUGH-secret"

private fun basic(user: String, password: String) = "Basic " + Base64.getEncoder().encodeToString("$user:$password".toByteArray())

/** A forward proxy on loopback: forwards absolute-form requests, records them with their `Proxy-Authorization`. */
private class TestProxy(private val expected: String?) : AutoCloseable {
    private val server = ServerSocket(0, 50, InetAddress.getLoopbackAddress())
    val seen = CopyOnWriteArrayList<Pair<String, String?>>()
    val url: String get() = "http://127.0.0.1:${server.localPort}"

    init {
        thread(isDaemon = true) {
            while (!server.isClosed) {
                val socket = try { server.accept() } catch (_: IOException) { break }
                thread(isDaemon = true) { socket.use { handle(it) } }
            }
        }
    }

    private fun handle(client: Socket) {
        val input = client.getInputStream()
        val head = ByteArrayOutputStream()
        while (!head.toString(Charsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            val byte = input.read()
            if (byte < 0) return
            head.write(byte)
        }
        val lines = head.toString(Charsets.ISO_8859_1).split("\r\n")
        val (method, target) = lines[0].split(" ")
        val authorization = lines.drop(1).firstOrNull { it.lowercase().startsWith("proxy-authorization:") }
            ?.substringAfter(":")?.trim()
        seen += "$method $target" to authorization
        if (expected != null && authorization != expected) {
            client.getOutputStream().write("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".toByteArray())
            return
        }
        val authority = target.removePrefix("http://").substringBefore("/")
        Socket(authority.substringBeforeLast(":"), authority.substringAfterLast(":").toInt()).use { upstream ->
            upstream.getOutputStream().write(head.toByteArray())
            val back = thread(isDaemon = true) {
                try { upstream.getInputStream().copyTo(client.getOutputStream()) } catch (_: IOException) {}
                try { client.shutdownOutput() } catch (_: IOException) {}
            }
            try { input.copyTo(upstream.getOutputStream()) } catch (_: IOException) {}
            try { upstream.shutdownOutput() } catch (_: IOException) {}
            back.join(5000)
        }
    }

    override fun close() = server.close()
}

class NetworkTest : EmulatorTest() {
    @Test
    fun `calls go through an explicit proxy with its credentials`(): Unit = blocking {
        TestProxy(basic("proxy-user", PROXY_PASSWORD)).use { proxy ->
            val config = emulator.clientConfig().copy(proxy = proxy.url, proxyUsername = "proxy-user", proxyPassword = PROXY_PASSWORD)
            assertFalse(config.toString().contains("PLUGH"), config.toString())
            Client(config).use { assertEquals(5, it.getRoles(GetRolesRequest()).roles.size) }
            assertEquals(listOf("POST ${emulator.baseUrl()}/GetRoles" to basic("proxy-user", PROXY_PASSWORD)), proxy.seen.toList())
        }
    }

    @Test
    fun `refused proxy credentials fail before the service and stay secret`(): Unit = blocking {
        TestProxy(basic("proxy-user", PROXY_PASSWORD)).use { proxy ->
            client { copy(proxy = proxy.url, proxyUsername = "proxy-user", proxyPassword = "wrong-XYZZY", maxRetries = 0u) }.use { client ->
                val error = assertFailsWith<ResellerException> { client.getRoles(GetRolesRequest()) }
                assertFalse(error.toString().contains("XYZZY"), error.toString())
            }
            assertTrue(proxy.seen.isNotEmpty())
            assertEquals(0, emulator.journal().count { it.method == "GetRoles" })
        }
        val bad = assertFailsWith<ResellerException.Validation> { Client(emulator.clientConfig().copy(proxy = "socks5://u:XYZZY@127.0.0.1:1")) }
        assertFalse(bad.toString().contains("XYZZY"))
        assertFailsWith<ResellerException.Validation> { Client(emulator.clientConfig().copy(rootCertificatesPem = listOf("not a certificate"))) }
    }

    @Test
    fun `credentials left out come from CPAAS_RESELLER variables`(): Unit = blocking {
        // Set for the test JVM by kotlin/pom.xml (surefire): the emulator's default user.
        assertEquals("reseller", System.getenv("CPAAS_RESELLER_USERNAME"))
        Client(ClientConfig(baseUrl = emulator.baseUrl())).use { assertEquals(5, it.getRoles(GetRolesRequest()).roles.size) }
        JavaClientBuilder().baseUrl(emulator.baseUrl()).build().use { assertEquals(5, it.getRoles(GetRolesRequest()).roles.size) }
        // Explicit credentials still win.
        Client(ClientConfig(username = "reseller", password = "wrong-Passw0rd", baseUrl = emulator.baseUrl(), maxRetries = 0u)).use {
            assertFailsWith<ResellerException.Authentication> { it.getRoles(GetRolesRequest()) }
        }
    }

    @Test
    fun `half a pair of credentials names the missing half`() {
        val base = emulator.clientConfig()
        for ((config, field) in listOf(
            base.copy(password = null) to "password",
            base.copy(username = null) to "username",
            base.copy(proxy = "http://127.0.0.1:1", proxyUsername = "proxy-user") to "proxy_password",
            base.copy(proxy = "http://127.0.0.1:1", proxyPassword = "XYZZY") to "proxy_username",
        )) {
            val error = assertFailsWith<ResellerException.Validation> { Client(config) }
            assertEquals(field, error.field)
            assertTrue(error.toString().contains("go together") && !error.toString().contains("XYZZY"), error.toString())
        }
    }
}
