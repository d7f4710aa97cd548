import Foundation
import Testing

@testable import FloodgateCore
@testable import FloodgateStore
@testable import FloodgateWeb

@Suite("Hand-written formatting on hot paths matches Foundation's")
struct FormattingTests {
    @Test("Zero-padded numbers of local dates and times")
    func padded() {
        for value in [0, 1, 9, 10, 59, 99, 100, 999, 2026, 12345] {
            #expect(LocalTime.padded(value, 2) == String(format: "%02d", value))
            #expect(LocalTime.padded(value, 4) == String(format: "%04d", value))
        }
        // 2026-02-14 08:05 UTC
        let local = LocalTime.now(in: "Europe/Moscow", at: Date(timeIntervalSince1970: 1_771_056_300))
        #expect(local == LocalTime(date: "2026-02-14", time: "11:05"))
    }

    @Test("Lower-case hex of bytes")
    func hex() {
        let bytes: [UInt8] = [0, 1, 15, 16, 127, 128, 171, 255]
        #expect(HexDigits.encode(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
        #expect(HexDigits.encode([UInt8]()) == "")
        for value: UInt64 in [0, 1, 0xff, 0x0123_4567_89ab_cdef, .max] {
            let reference = String(value, radix: 16)
            #expect(HexDigits.encode(value) == String(repeating: "0", count: 16 - reference.count) + reference)
        }
    }
}
