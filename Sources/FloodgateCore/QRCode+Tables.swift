// ISO/IEC 18004:2015 Table 9 (error correction characteristics), as two tables indexed [level][version], and the
// geometry that the other tables of the standard follow from.
extension QRCode {
    /// Reed–Solomon codewords in each block of `version` at `correction`.
    static func eccCodewordsPerBlock(version: Int, correction: Correction) -> Int {
        Self.eccCodewordsPerBlock[correction.tableIndex][version]
    }

    /// Reed–Solomon blocks that `version`'s codewords are split into at `correction`.
    static func blockCount(version: Int, correction: Correction) -> Int {
        Self.blockCounts[correction.tableIndex][version]
    }

    /// Data codewords that `version` holds at `correction`: all its codewords less the error correction ones.
    static func dataCodewordCount(version: Int, correction: Correction) -> Int {
        Self.rawDataModules(version: version) / 8
            - Self.eccCodewordsPerBlock(version: version, correction: correction)
            * Self.blockCount(version: version, correction: correction)
    }

    /// Modules left for codewords (and the remainder bits) once the function patterns and the format and version
    /// information are drawn.
    static func rawDataModules(version: Int) -> Int {
        var modules = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignmentCount = version / 7 + 2
            modules -= (25 * alignmentCount - 10) * alignmentCount - 55
            if version >= 7 { modules -= 36 }
        }
        return modules
    }

    /// The rows (and columns) of the alignment patterns' centres (Annex E): 6, then evenly spaced (even steps, the
    /// uneven part at the start) up to `size - 7`.
    static func alignmentPositions(version: Int) -> [Int] {
        guard version >= 2 else { return [] }
        let count = version / 7 + 2
        let size = 4 * version + 17
        // Version 32 is the one whose steps the standard does not round this way.
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        return [6] + (0..<count - 1).reversed().map { size - 7 - $0 * step }
    }

    // Index 0 of each row is no version.
    private static let eccCodewordsPerBlock: [[Int]] = [
        [
            0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
            28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
            26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        ],
        [
            0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
            28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
            30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
    ]

    private static let blockCounts: [[Int]] = [
        [
            0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
            8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
        ],
        [
            0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
            17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
        ],
        [
            0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
            23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
        ],
        [
            0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
            25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
        ],
    ]
}

extension QRCode.Correction {
    fileprivate var tableIndex: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }
}
