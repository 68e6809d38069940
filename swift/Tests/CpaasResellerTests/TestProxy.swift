import Foundation

#if canImport(Glibc)
import Glibc
private let streamSocket = Int32(SOCK_STREAM.rawValue)
#else
import Darwin
private let streamSocket = SOCK_STREAM
#endif

/// A forward proxy on 127.0.0.1 (POSIX sockets, one thread per connection): it forwards
/// absolute-form `http://` requests to the host they name and records each request line with its
/// `Proxy-Authorization`; with `expected`, any other `Proxy-Authorization` gets a 407.
final class TestProxy: @unchecked Sendable {
    private let listener: Int32
    private let expected: String?
    private let lock = NSLock()
    private var requests: [(line: String, authorization: String?)] = []
    private var stopped = false
    let port: UInt16

    var url: String { "http://127.0.0.1:\(port)" }

    var seen: [(line: String, authorization: String?)] {
        lock.lock()
        defer { lock.unlock() }
        return requests
    }

    init(expected: String?) throws {
        let listener = socket(AF_INET, streamSocket, 0)
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 16) == 0
                    && getsockname(listener, $0, &length) == 0
            }
        }
        guard listener >= 0, bound else {
            close(listener)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        self.listener = listener
        self.expected = expected
        port = UInt16(bigEndian: address.sin_port)
        // Only this thread closes the listener, once it no longer accepts: a descriptor closed
        // elsewhere could be reused by the next proxy while this thread still accepts on it.
        Thread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 || isStopped {
                    if client >= 0 { close(client) }
                    close(listener)
                    return
                }
                Thread { [self] in handle(client) }.start()
            }
        }.start()
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// Stops accepting (connections already carried finish on their own).
    func stop() {
        lock.lock()
        let first = !stopped
        stopped = true
        lock.unlock()
        if first { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    private func handle(_ client: Int32) {
        defer { close(client) }
        var head = [UInt8]()
        var byte: UInt8 = 0
        while !head.ends(with: [13, 10, 13, 10]) {
            guard read(client, &byte, 1) == 1, head.count < 65536 else { return }
            head.append(byte)
        }
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let authorization = lines.dropFirst()
            .first { $0.lowercased().hasPrefix("proxy-authorization:") }
            .map { $0.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces) }
        lock.lock()
        requests.append((lines[0], authorization))
        lock.unlock()
        if let expected, authorization != expected {
            send(client, Array("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            return
        }
        // `POST http://127.0.0.1:PORT/path HTTP/1.1`: only loopback upstreams, by port.
        let target = lines[0].split(separator: " ").dropFirst().first.map(String.init) ?? ""
        guard let port = URL(string: target)?.port.flatMap({ UInt16(exactly: $0) }) else { return }
        let upstream = socket(AF_INET, streamSocket, 0)
        defer { close(upstream) }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { return }
        send(upstream, head)
        let back = Thread { pump(from: upstream, to: client) }
        back.start()
        pump(from: client, to: upstream)
        // Wait for the answer to finish before closing both sockets.
        while !back.isFinished { usleep(1000) }
    }
}

private func loopback(port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

private func send(_ socket: Int32, _ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(socket, $0.baseAddress, $0.count) }
        if written <= 0 { return }
        offset += written
    }
}

/// Copies until `from` ends, then ends the writing side of `to`.
private func pump(from: Int32, to: Int32) {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = read(from, &buffer, buffer.count)
        if count <= 0 { break }
        send(to, Array(buffer[0..<count]))
    }
    shutdown(to, Int32(SHUT_WR))
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}
