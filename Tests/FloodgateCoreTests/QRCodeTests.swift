import Testing

// fixedMask is internal: the comparison at each mask needs it.
@testable import FloodgateCore

/// The encoder against segno 1.6.6, an independent QR code encoder (Python). The fixtures below are what
/// `scripts/qr_fixture.py` prints: run it (its docstring says how) and paste its output over them to make them again.
/// It fixes one known deviation of segno's (an extra zero codeword before the pad codewords, its issue #148) and
/// takes the mask that segno's own penalty scoring gives the lowest score on the complete symbol, as the standard
/// asks; segno's automatic choice scores the symbol before its format information is drawn, and for "HELLO" picks
/// mask 2 where the complete symbol scores lowest with mask 3.
@Suite("QR codes, module for module as segno draws them")
struct QRCodeTests {
    struct Symbol: Sendable {
        let version: Int
        let mask: Int
        /// Hex rows, left to right, four modules a digit, the last digit filled out with light modules.
        let rows: String
    }

    static let otpauth =
        "otpauth://totp/Floodgate:anna%40shop.example?secret=JBSWY3DPEHPK3PXP&issuer=Floodgate"
        + "&algorithm=SHA1&digits=6&period=30"

    /// The inputs of scripts/qr_fixture.py, built the same way.
    static let inputs: [String: (bytes: [UInt8], correction: QRCode.Correction)] = [
        "hello": (Array("HELLO".utf8), .medium),
        "otpauth": (Array(Self.otpauth.utf8), .medium),
        "text100": (
            Array((String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 2) + "0123456789").utf8),
            .quartile
        ),
        "bytes300": ((0..<300).map { UInt8(($0 * 37 + 11) % 256) }, .low),
        "cyrillic": (Array("Привет, мир! Вход в Floodgate".utf8), .high),
    ]

    @Test(
        "Smallest version, the mask of lowest penalty, and every module as segno draws them",
        arguments: ["hello", "otpauth", "text100", "bytes300", "cyrillic"])
    func matchesSegno(name: String) throws {
        let input = try #require(Self.inputs[name])
        let expected = try #require(Self.symbols[name])
        let byteCounts = ["hello": 5, "otpauth": 119, "text100": 100, "bytes300": 300, "cyrillic": 43]
        #expect(input.bytes.count == byteCounts[name])
        let code = try QRCode(bytes: input.bytes, correction: input.correction)
        #expect(code.version == expected.version)
        #expect(code.size == 4 * expected.version + 17)
        #expect(code.mask == expected.mask)
        #expect(code.correction == input.correction)
        #expect(Self.hexRows(code) == expected.rows.split(whereSeparator: \.isWhitespace).map(String.init))
    }

    @Test("Each of the eight data masks draws segno's symbol")
    func everyMask() throws {
        for (mask, rows) in Self.helloMasks.enumerated() {
            let code = try QRCode(bytes: Array("HELLO".utf8), correction: .medium, fixedMask: mask)
            #expect(code.mask == mask)
            #expect(Self.hexRows(code) == rows.split(whereSeparator: \.isWhitespace).map(String.init), "mask \(mask)")
        }
    }

    @Test("The largest symbol, version 40 full at level L, is segno's (compared by a fingerprint of its rows)")
    func largest() throws {
        let code = try QRCode(bytes: (0..<2953).map { UInt8(($0 * 131 + 7) % 256) }, correction: .low)
        #expect(code.version == Self.largest.version)
        #expect(code.size == 177)
        #expect(code.mask == Self.largest.mask)
        let rows = (0..<code.size).map { y in String((0..<code.size).map { code[$0, y] ? "1" : "0" }) }
        #expect(Self.fnv1a(rows.joined(separator: "\n")) == Self.largest.fnv1a)
    }

    @Test("Text is its UTF-8 bytes; equal inputs make equal symbols")
    func text() throws {
        let text = "Привет, мир! Вход в Floodgate"
        #expect(try QRCode(text: text, correction: .high) == QRCode(bytes: Array(text.utf8), correction: .high))
        #expect(try QRCode(text: "HELLO") == QRCode(bytes: Array("HELLO".utf8), correction: .medium))
        #expect(try QRCode(text: "HELLO") != QRCode(text: "HELLO", correction: .high))
    }

    @Test(
        "The version grows by one past a version's capacity (ISO/IEC 18004 Table 7)",
        arguments: [
            (QRCode.Correction.low, 1, 17), (.medium, 1, 14), (.quartile, 1, 11), (.high, 1, 7), (.medium, 9, 180),
            (.medium, 10, 213), (.high, 39, 1219),
        ])
    func capacity(correction: QRCode.Correction, version: Int, bytes: Int) throws {
        let full = try QRCode(bytes: Array(repeating: 0x61, count: bytes), correction: correction)
        let past = try QRCode(bytes: Array(repeating: 0x61, count: bytes + 1), correction: correction)
        #expect(full.version == version)
        #expect(past.version == version + 1)
    }

    @Test(
        "One byte past version 40's capacity is refused with the counts",
        arguments: [(QRCode.Correction.low, 2953), (.medium, 2331), (.quartile, 1663), (.high, 1273)])
    func tooLong(correction: QRCode.Correction, capacity: Int) throws {
        #expect(try QRCode(bytes: Array(repeating: 0xFF, count: capacity), correction: correction).version == 40)
        #expect(throws: QRCode.TooLong(byteCount: capacity + 1, capacity: capacity)) {
            try QRCode(bytes: Array(repeating: 0xFF, count: capacity + 1), correction: correction)
        }
    }

    @Test("Outside the symbol is light, as the quiet zone is")
    func outside() throws {
        let code = try QRCode(text: "HELLO")
        #expect(code[0, 0] && code[20, 0] && code[0, 20])
        #expect(!code[-1, 0] && !code[0, -1] && !code[21, 0] && !code[0, 21])
    }

    @Test("The SVG: one element, a white background, one path whose rectangles are the dark modules, no style")
    func svg() throws {
        let code = try QRCode(text: Self.otpauth)
        let svg = code.svg(moduleSize: 3, quietZone: 4)
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.hasSuffix("</svg>"))
        #expect(!svg.contains("style") && !svg.contains("script") && !svg.contains(" on"))
        #expect(svg.contains(#"viewBox="0 0 53 53" width="159" height="159" role="img" aria-label="QR code""#))
        #expect(svg.contains(##"<rect width="53" height="53" fill="#fff"/>"##))
        #expect(svg.split(separator: "<path").count == 2)

        // Each rectangle is "Mx yhNv1h-Nz", in units of modules, the quiet zone included.
        let path = try #require(svg.split(separator: #"d=""#).last?.split(separator: "\"").first)
        var drawn = Set<[Int]>()
        for rectangle in path.split(separator: "M") {
            let numbers = rectangle.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            try #require(numbers.count == 5 && numbers[2] == numbers[4] && numbers[3] == 1)
            for x in numbers[0]..<numbers[0] + numbers[2] { drawn.insert([x - 4, numbers[1] - 4]) }
        }
        let dark = Set((0..<code.size).flatMap { y in (0..<code.size).filter { code[$0, y] }.map { [$0, y] } })
        #expect(drawn == dark)
    }

    /// FNV-1a (64 bits) of `text`'s UTF-8: a fingerprint that scripts/qr_fixture.py makes too, not a secure hash.
    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }

    static func hexRows(_ code: QRCode) -> [String] {
        let digits = Array("0123456789abcdef")
        return (0..<code.size).map { y in
            String(
                stride(from: 0, to: code.size, by: 4).map { x in
                    digits[(0..<4).reduce(0) { $0 << 1 | (code[x + $1, y] ? 1 : 0) }]
                })
        }
    }

    // Printed by scripts/qr_fixture.py.

    static let symbols: [String: Symbol] = [
        // segno's own choice of mask: 2
        "hello": Symbol(
            version: 1, mask: 3,
            rows: """
                fe93f8 82f208 ba2ae8 baaae8 ba12e8 821a08 feabf8 009800 b75a58 6d7e60 8a5018 b113d0 5f8928 00f228 fe9900
                82a1f0 ba0fd8 bab2f0 bacb20 822588 fea500
                """),
        // segno's own choice of mask: 5
        "otpauth": Symbol(
            version: 7, mask: 5,
            rows: """
                fe0cae3f8bf8 82d6c6b01208 baca51cdd2e8 ba9fe7fddae8 ba195fc63ae8 820fa8f50208 feaaaaaaabf8 00c868cdf800
                828f3f863670 217b77763fb0 53c726aa7e30 18c4fccb8078 0334f4e9b680 4db69e0359a8 ef2028f56b30 00b13be521e8
                36137be52030 edbf33de4c10 dacdfcc693e8 543d940bc3e0 7fed7fa54f88 18e018e7f8f0 2ad74ab0eaa0 28c708cfe8e0
                7fce9f8c8f88 89f1badf4928 32c6a0292cd0 81f635d45370 6a63d0c70c90 50bc65ca5118 0ac85f681288 14e1a58f9230
                f202a1412648 fdf1917761c8 0bcd4469a470 7908cfbebbb0 9bb40faabf88 00e718dfc8b8 fe329ab16aa0 8232a8a468f8
                ba2d4fc35f90 ba0ab0c75118 ba6cf084dee8 824748ae99e0 fea1f1b14b10
                """),
        // segno's own choice of mask: 4
        "text100": Symbol(
            version: 8, mask: 4,
            rows: """
                fe1b1d6fc0bf8 82537c80bba08 ba95167cb9ae8 ba751081652e8 baf03ff6482e8 82adee24ae208 feaaaaaaaabf8
                001dce3b56000 4ac233ef8dda0 69534e069f760 d22a9c325be10 dd443838fbca8 a77e04cade9e0 8dca1d4fcb280
                fbf550b60aee0 0884d87a8cdf0 0a0e88a0bdcf0 e0b8bd7cf6350 fb4373956eae0 a1f66dabe2ca8 1720a7a0babb0
                a15f6b63cb6b8 6fdb03fe13fe0 a880f22fa98f0 dab92aa2d9ab8 f893a637d6890 6fda8bfe0bfb0 588e1df1dc330
                42af3d0688e68 50f511ee57f80 3b66c2a7db8e0 8c5e81fc68630 d36f873a0e228 997b4e2f4aac0 5269ad83db140
                40510f12dc728 33a65205bac28 6dc8531ecec80 47ca526e920a0 7096cb75fc270 e36b0fe6d8fe8 009eea3b078a0
                fe6e0eb8a7ae0 8215c234f98b8 bacb57f3a8fb8 ba7b2b96c3a00 ba49d9974bd60 82fb1cd0f98b0 fe4c9907bf538
                """),
        // segno's own choice of mask: 0
        "bytes300": Symbol(
            version: 11, mask: 0,
            rows: """
                fe76f34203f41bf8 824a25dd50079a08 bada875579c47ae8 ba307d89af5aaae8 ba7e699fbd20f2e8 823c31e8ac966208
                feaaaaaaaaaaabf8 00c16648a2489000 ef9a5d2fed92d620 b064d19817c0b448 533e99d6a2770a28 add6936e419eab28
                ab0060b38a57b080 e0134177bc2de298 976d5aa9cdba12e8 1c6e78a51eab4460 66f4b3c4d92d6df8 0134d90ce57c09e8
                3f1a2f8a14afe518 61a8a758bbd11610 1a5f0e9a25630a28 c9ea345893c2cc50 0b3ab1df04532830 40768b0bc8972b88
                3bf72bed92d6a960 512f8dc68e51d510 c74142b909c475e8 b9826caf0f3245d0 7feee9efd631ffb0 f89d22c8c13c38f0
                8af42d1af6cdba88 389b2648aa4198f0 5f8fbcdfad6a0fc8 a9517cb730e502a0 f20f9044e014cc58 35874a9251066688
                8f60de1f631e5040 a0f00b2fec13dd00 225b42aeafe051e0 98307cf9863bd198 6b81da2656a17558 d473d6467b0e4878
                ae383f11b289ce88 2109304eb3dc8840 1292057bb1e49a88 15d691e116c122b8 3a439255a2768750 0df8c912c19f60a8
                aa42e3b56a164100 95a4c169afb0fd98 3fba43bfcba613a8 e9aa9d7d1feacdf8 f274314f9e49aff8 00f55898fd6c18e8
                fe843f4a94afea98 82bb0068bad518e0 baaf2ecfa1651fe8 ba480c4fe2fb0b30 badb8053c432fec8 82a2cf17dc8e7b10
                fe8b1581e49acbf8
                """),
        // segno's own choice of mask: 4
        "cyrillic": Symbol(
            version: 5, mask: 4,
            rows: """
                fe5b97cbf8 82dc8cf208 ba3c305ae8 ba27d4c2e8 ba4cbb52e8 8282df7208 feaaaaabf8 008ab7b800 0f116e8310
                b5b9f6d898 1f4cf255e8 6459a8c5b0 8f06b44d88 e5ea504f08 8a667b8d78 7c2852e440 1a6c8778c8 2023057418
                978d6fa848 4467001868 761cd62da0 29cdea6f00 ab1444ab70 8cee669a58 22e8d69748 e5dbd878c0 335b781c50
                0d2326d5a0 e7b2672fa8 009025d8f8 feba3a0a88 82d9cb1880 badaf6bfd8 ba1cdae0e0 ba7e599bf0 823129caf0
                fe2dd45bb8
                """),
    ]

    // segno's own choice of mask: 1
    static let largest = (version: 40, mask: 1, fnv1a: 0xa2db15d90e60678a as UInt64)

    /// "HELLO" at level M under each mask, in order.
    static let helloMasks: [String] = [
        """
        fe73f8 82b208 ba22e8 ba32e8 baaae8 826a08 feabf8 005800 aa5090 a86210 0668f8 ad6210 676aa0 00b530 fe1738
        823d80 bab738 ba4330 baa8a8 826290 feab38
        """,
        """
        fea3f8 826208 baf2e8 ba62e8 ba7ae8 82ba08 feabf8 000800 a30128 fd3740 533da8 f83740 323ff0 00e060 fec268
        8268d0 ba6268 ba1660 bafdf8 8237c0 fefe68
        """,
        """
        fe13f8 822a08 bac2e8 baaae8 bacae8 82f208 feabf8 00c000 be33e0 6d7e60 3e8b70 687e60 5f8928 00a940 fe74b0
        82a1f0 bad4b0 badf40 bacb20 827ee0 fec8b0
        """,
        """
        fe93f8 82f208 ba2ae8 baaae8 ba12e8 821a08 feabf8 009800 b75a58 6d7e60 8a5018 b113d0 5f8928 00f228 fe9900
        82a1f0 ba0fd8 bab2f0 bacb20 822588 fea500
        """,
        """
        fed3f8 826a08 ba7ae8 ba92e8 ba8ae8 82b208 feabf8 00f800 8bf7c8 1cb978 b2b390 e44680 2e4e30 00ee58 fecc50
        821910 ba93a8 ba1858 ba73c0 824600 fe8fa8
        """,
        """
        fe23f8 82ea08 bac2e8 bacae8 ba4ae8 823208 feabf8 008000 82b670 559de8 3e8b70 783f60 323ff0 00e840 fe74b0
        824278 ba54b0 ba1e40 ba7df8 823fe0 fec8b0
        """,
        """
        fea3f8 82ea08 bae2e8 ba4ae8 badae8 820208 feabf8 000000 9f94b8 559de8 1a1938 740fa0 323ff0 00ee58 fed020
        82c278 bac6f8 baae80 ba7df8 8239f8 feec20
        """,
        """
        fe73f8 821208 ba32e8 ba32e8 ba0ae8 82fa08 feabf8 007800 96c500 a86210 4f4c68 89f058 676aa0 0091a0 fe0570
        82bd80 ba13a8 bad178 ba28a8 824600 feb970
        """,
    ]
}
