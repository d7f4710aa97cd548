import FloodgateCore
import Testing

@testable import FloodgateWeb

/// Two-factor codes (RFC 6238), checked against the RFC's own test vectors.
@Suite("TOTP: time-based one-time codes")
struct TOTPTests {
    static let sha1Seed = Array("12345678901234567890".utf8)
    static let sha256Seed = Array("12345678901234567890123456789012".utf8)
    static let sha512Seed = Array("1234567890123456789012345678901234567890123456789012345678901234".utf8)

    @Test("RFC 6238 Appendix B: eight-digit codes for SHA-1, SHA-256 and SHA-512 at the RFC's times")
    func rfcVectors() {
        let times: [Int64] = [59, 1_111_111_109, 1_111_111_111, 1_234_567_890, 2_000_000_000, 20_000_000_000]
        let expected: [(TOTP, [String])] = [
            (
                TOTP(secret: Self.sha1Seed, digits: 8, algorithm: .sha1),
                ["94287082", "07081804", "14050471", "89005924", "69279037", "65353130"]
            ),
            (
                TOTP(secret: Self.sha256Seed, digits: 8, algorithm: .sha256),
                ["46119246", "68084774", "67062674", "91819424", "90698825", "77737706"]
            ),
            (
                TOTP(secret: Self.sha512Seed, digits: 8, algorithm: .sha512),
                ["90693936", "25091201", "99943326", "93441116", "38618901", "47863826"]
            ),
        ]
        for (totp, codes) in expected {
            #expect(times.map { totp.code(at: $0) } == codes, "\(totp.algorithm)")
        }
    }

    @Test("A code is accepted a step either side of now, never twice, and never a wrong one")
    func verify() {
        let totp = TOTP(secret: Self.sha1Seed)
        let now: Int64 = 1_234_567_890
        let step = totp.step(at: now)
        #expect(totp.code(at: now).count == 6)
        #expect(totp.verify(totp.code(at: now), at: now, after: nil) == step)
        #expect(totp.verify(totp.code(at: now - 30), at: now, after: nil) == step - 1, "the clock behind by a step")
        #expect(totp.verify(totp.code(at: now + 30), at: now, after: nil) == step + 1, "the clock ahead by a step")
        #expect(totp.verify(totp.code(at: now - 90), at: now, after: nil) == nil, "three steps old")
        #expect(totp.verify(totp.code(at: now), at: now, after: step) == nil, "the same code again is a replay")
        #expect(totp.verify(totp.code(at: now - 30), at: now, after: step) == nil, "an older code after a newer one")
        let wrong = String(format: "%06d", (Int(totp.code(at: now))! + 1) % 1_000_000)
        #expect(totp.verify(wrong, at: now, after: nil) == nil)
        #expect(totp.verify("12345", at: now, after: nil) == nil)
        #expect(totp.verify("", at: now, after: nil) == nil)
    }

    @Test("The enrolment link carries the secret in Base32, escaped names and the parameters")
    func link() {
        let totp = TOTP(secret: Array("foobar".utf8))
        #expect(
            totp.link(issuer: "Petals & Co", account: "anna@example.com")
                == "otpauth://totp/Petals%20%26%20Co:anna%40example.com?secret=MZXW6YTBOI&issuer=Petals%20%26%20Co&algorithm=SHA1&digits=6&period=30"
        )
        #expect(TOTP.newSecret().count == 20 && TOTP.newSecret() != TOTP.newSecret())
    }
}
