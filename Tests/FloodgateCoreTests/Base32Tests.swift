import FloodgateCore
import Testing

@Suite("Base32 (RFC 4648), for two-factor secrets")
struct Base32Tests {
    @Test("The RFC's test vectors, with and without padding, and back")
    func vectors() {
        let vectors = [
            ("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="), ("foob", "MZXW6YQ="),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI======"),
        ]
        for (plain, encoded) in vectors {
            let bytes = Array(plain.utf8)
            #expect(Base32.encode(bytes) == encoded)
            #expect(Base32.encode(bytes, padding: false) == encoded.replacingOccurrences(of: "=", with: ""))
            #expect(Base32.decode(encoded) == bytes)
        }
    }

    @Test("A secret as people type it is read; anything else in it is refused")
    func typed() {
        #expect(Base32.decode("mzxw 6ytb-oi") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW1") == nil, "1 is not in the alphabet")
        #expect(Base32.decode("MZXW6!") == nil)
    }
}
