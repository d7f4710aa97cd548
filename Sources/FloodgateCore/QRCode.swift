/// A QR code (ISO/IEC 18004, Model 2) holding bytes in byte mode: the back office shows one to enrol an authenticator
/// app, drawn on the server so that the secret in the `otpauth://` link goes to no other service.
///
/// The encoder takes the smallest version (1 to 40) that holds the bytes at the asked error correction level, and the
/// data mask whose symbol scores the lowest penalty under the standard's four rules (the lowest mask number on a tie).
public struct QRCode: Sendable, Hashable {
    /// How much damage the symbol survives: the share of codewords that may be lost and still read.
    public enum Correction: Sendable, Hashable, CaseIterable {
        /// Level L: about 7 %.
        case low
        /// Level M: about 15 %.
        case medium
        /// Level Q: about 25 %.
        case quartile
        /// Level H: about 30 %.
        case high
    }

    /// The bytes do not fit in the largest symbol (version 40) at the asked level.
    public struct TooLong: Error, Hashable, Sendable {
        /// How many bytes were to be encoded.
        public let byteCount: Int
        /// The most bytes that a version 40 symbol holds at the asked level.
        public let capacity: Int
    }

    /// Modules on a side, without the quiet zone: 21 for version 1, four more a version.
    public let size: Int
    /// The symbol's version, 1 to 40.
    public let version: Int
    /// The data mask used, 0 to 7.
    public let mask: Int
    /// The error correction level.
    public let correction: Correction
    // Row after row; true is dark.
    private let modules: [Bool]

    /// The symbol of `bytes` in byte mode, in the smallest version that holds them at `correction`.
    ///
    /// - Throws: `TooLong` when not even version 40 holds them.
    public init(bytes: [UInt8], correction: Correction = .medium) throws(TooLong) {
        try self.init(bytes: bytes, correction: correction, fixedMask: nil)
    }

    /// The symbol of `text`'s UTF-8 bytes (with no ECI header: readers take byte mode as UTF-8 when it decodes as such).
    ///
    /// - Throws: `TooLong` when not even version 40 holds them.
    public init(text: String, correction: Correction = .medium) throws(TooLong) {
        try self.init(bytes: Array(text.utf8), correction: correction, fixedMask: nil)
    }

    /// As `init(bytes:correction:)`, with `fixedMask` (0 to 7) in place of the best one when it is not nil: for
    /// comparing symbols with another encoder's at the same mask.
    init(bytes: [UInt8], correction: Correction, fixedMask: Int?) throws(TooLong) {
        precondition(fixedMask.map { (0..<8).contains($0) } ?? true, "a QR code's masks are 0 to 7")
        let smallest = (1...40).first { Self.byteCapacity(version: $0, correction: correction) >= bytes.count }
        guard let version = smallest else {
            throw TooLong(byteCount: bytes.count, capacity: Self.byteCapacity(version: 40, correction: correction))
        }
        let data = Self.dataCodewords(bytes, version: version, correction: correction)
        var grid = Grid(version: version)
        grid.drawFunctionPatterns()
        grid.place(Self.interleave(data, version: version, correction: correction))

        var best: (mask: Int, penalty: Int, grid: Grid)?
        for mask in fixedMask.map({ [$0] }) ?? Array(0..<8) {
            var candidate = grid
            candidate.apply(mask: mask)
            // ISO/IEC 18004:2015 7.8.3.1: the complete symbol is evaluated, so the format bits of this mask are in it.
            candidate.drawFormat(Self.formatBits(correction: correction, mask: mask))
            let penalty = fixedMask == nil ? candidate.penalty() : 0
            if best.map({ penalty < $0.penalty }) ?? true { best = (mask, penalty, candidate) }
        }
        let chosen = best ?? (0, 0, grid)
        self.size = grid.size
        self.version = version
        self.mask = chosen.mask
        self.correction = correction
        self.modules = chosen.grid.dark
    }

    /// Whether the module in column `x`, row `y` (from the top left, 0 based) is dark; false outside the symbol, as
    /// the quiet zone around it is light.
    public subscript(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < self.size, y < self.size else { return false }
        return self.modules[y * self.size + x]
    }

    /// The most bytes that `version` holds at `correction` in byte mode.
    static func byteCapacity(version: Int, correction: Correction) -> Int {
        let bits = Self.dataCodewordCount(version: version, correction: correction) * 8
        return (bits - 4 - Self.countBits(version: version)) / 8
    }

    /// Bits of the byte mode's character count: 8 up to version 9, 16 from version 10 on.
    static func countBits(version: Int) -> Int { version < 10 ? 8 : 16 }

    /// The data codewords: mode, count, bytes, terminator, then the pad codewords up to the version's data capacity.
    static func dataCodewords(_ bytes: [UInt8], version: Int, correction: Correction) -> [UInt8] {
        var writer = BitWriter()
        writer.append(0b0100, bits: 4)
        writer.append(bytes.count, bits: Self.countBits(version: version))
        for byte in bytes { writer.append(Int(byte), bits: 8) }
        let capacity = Self.dataCodewordCount(version: version, correction: correction)
        writer.append(0, bits: min(4, capacity * 8 - writer.count))
        writer.append(0, bits: (8 - writer.count % 8) % 8)
        var codewords = writer.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacity {
            codewords.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        return codewords
    }

    /// The final message: the data split into the version's blocks (the short ones first), each given its
    /// Reed–Solomon codewords, then read column by column, data before error correction.
    static func interleave(_ data: [UInt8], version: Int, correction: Correction) -> [UInt8] {
        let blockCount = Self.blockCount(version: version, correction: correction)
        let eccLength = Self.eccCodewordsPerBlock(version: version, correction: correction)
        let rawCodewords = Self.rawDataModules(version: version) / 8
        let shortBlockCount = blockCount - rawCodewords % blockCount
        let shortDataLength = rawCodewords / blockCount - eccLength
        let generator = ReedSolomon.generator(degree: eccLength)

        var dataBlocks: [ArraySlice<UInt8>] = []
        var eccBlocks: [[UInt8]] = []
        var start = 0
        for block in 0..<blockCount {
            let end = start + shortDataLength + (block < shortBlockCount ? 0 : 1)
            dataBlocks.append(data[start..<end])
            eccBlocks.append(ReedSolomon.remainder(of: data[start..<end], generator: generator))
            start = end
        }

        var result: [UInt8] = []
        result.reserveCapacity(rawCodewords)
        for column in 0...shortDataLength {
            for block in dataBlocks where column < block.count {
                result.append(block[block.startIndex + column])
            }
        }
        for column in 0..<eccLength {
            for block in eccBlocks { result.append(block[column]) }
        }
        return result
    }

    /// The 15 format bits: level and mask, a BCH(15,5) code, and the mask 0x5412 that keeps them from being all light.
    static func formatBits(correction: Correction, mask: Int) -> Int {
        let level =
            switch correction {
            case .low: 0b01
            case .medium: 0b00
            case .quartile: 0b11
            case .high: 0b10
            }
        let data = level << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The 18 version bits of versions 7 and up: the version and a BCH(18,6) code.
    static func versionBits(version: Int) -> Int {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return version << 12 | remainder
    }
}

/// Bits appended most significant first, packed into bytes.
private struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, bits: Int) {
        for shift in stride(from: bits - 1, through: 0, by: -1) {
            if self.count % 8 == 0 { self.bytes.append(0) }
            if (value >> shift) & 1 == 1 { self.bytes[self.bytes.count - 1] |= 0x80 >> UInt8(self.count % 8) }
            self.count += 1
        }
    }
}
