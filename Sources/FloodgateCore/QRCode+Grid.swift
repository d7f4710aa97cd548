extension QRCode {
    /// A symbol being drawn: which modules are dark, and which belong to function patterns (finders, separators,
    /// timing, alignment, format and version information, the dark module), which the data and its mask go around.
    struct Grid: Sendable {
        let version: Int
        let size: Int
        // Row after row, as in QRCode.
        private(set) var dark: [Bool]
        private var reserved: [Bool]

        init(version: Int) {
            self.version = version
            self.size = 4 * version + 17
            self.dark = Array(repeating: false, count: self.size * self.size)
            self.reserved = self.dark
        }

        subscript(x: Int, y: Int) -> Bool { self.dark[y * self.size + x] }

        private mutating func setFunction(_ x: Int, _ y: Int, _ isDark: Bool) {
            self.dark[y * self.size + x] = isDark
            self.reserved[y * self.size + x] = true
        }

        /// Everything but the data and the format bits, whose modules are kept for `drawFormat(_:)`.
        mutating func drawFunctionPatterns() {
            for i in 0..<self.size {
                self.setFunction(6, i, i % 2 == 0)
                self.setFunction(i, 6, i % 2 == 0)
            }
            self.drawFinder(centreX: 3, centreY: 3)
            self.drawFinder(centreX: self.size - 4, centreY: 3)
            self.drawFinder(centreX: 3, centreY: self.size - 4)

            let positions = QRCode.alignmentPositions(version: self.version)
            let last = positions.count - 1
            for (i, x) in positions.enumerated() {
                for (j, y) in positions.enumerated() {
                    // The three corners that hold finder patterns get no alignment pattern.
                    if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                    self.drawAlignment(centreX: x, centreY: y)
                }
            }

            self.drawFormat(0)
            if self.version >= 7 { self.drawVersion(QRCode.versionBits(version: self.version)) }
        }

        /// A finder pattern with its light separator, clipped at the symbol's edges.
        private mutating func drawFinder(centreX: Int, centreY: Int) {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = centreX + dx
                    let y = centreY + dy
                    guard x >= 0, y >= 0, x < self.size, y < self.size else { continue }
                    let ring = max(abs(dx), abs(dy))
                    self.setFunction(x, y, ring != 2 && ring != 4)
                }
            }
        }

        private mutating func drawAlignment(centreX: Int, centreY: Int) {
            for dy in -2...2 {
                for dx in -2...2 { self.setFunction(centreX + dx, centreY + dy, max(abs(dx), abs(dy)) != 1) }
            }
        }

        /// The 15 format bits, twice (around the top left finder, and split between the other two), and the dark
        /// module beside the bottom left finder.
        mutating func drawFormat(_ bits: Int) {
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            for i in 0...5 { self.setFunction(8, i, bit(i)) }
            self.setFunction(8, 7, bit(6))
            self.setFunction(8, 8, bit(7))
            self.setFunction(7, 8, bit(8))
            for i in 9..<15 { self.setFunction(14 - i, 8, bit(i)) }

            for i in 0..<8 { self.setFunction(self.size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { self.setFunction(8, self.size - 15 + i, bit(i)) }
            self.setFunction(8, self.size - 8, true)
        }

        /// The 18 version bits, in the 6×3 block above the bottom left finder and the 3×6 block left of the top right.
        private mutating func drawVersion(_ bits: Int) {
            for i in 0..<18 {
                let isDark = (bits >> i) & 1 == 1
                let a = self.size - 11 + i % 3
                let b = i / 3
                self.setFunction(a, b, isDark)
                self.setFunction(b, a, isDark)
            }
        }

        /// The codewords, most significant bit first, up and down two-module columns from the bottom right, skipping
        /// function modules and the vertical timing column. Remainder modules stay light until masked.
        mutating func place(_ codewords: [UInt8]) {
            let bitCount = codewords.count * 8
            var index = 0
            var right = self.size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                let upward = (right + 1) & 2 == 0
                for step in 0..<self.size {
                    let y = upward ? self.size - 1 - step : step
                    for x in [right, right - 1] where !self.reserved[y * self.size + x] && index < bitCount {
                        self.dark[y * self.size + x] = (codewords[index >> 3] >> UInt8(7 - (index & 7))) & 1 == 1
                        index += 1
                    }
                }
                right -= 2
            }
        }

        /// Flips every data module that data mask `mask` (0 to 7) selects.
        mutating func apply(mask: Int) {
            for y in 0..<self.size {
                for x in 0..<self.size where !self.reserved[y * self.size + x] {
                    let flip =
                        switch mask {
                        case 0: (x + y) % 2 == 0
                        case 1: y % 2 == 0
                        case 2: x % 3 == 0
                        case 3: (x + y) % 3 == 0
                        case 4: (x / 3 + y / 2) % 2 == 0
                        case 5: x * y % 2 + x * y % 3 == 0
                        case 6: (x * y % 2 + x * y % 3) % 2 == 0
                        default: ((x + y) % 2 + x * y % 3) % 2 == 0
                        }
                    if flip { self.dark[y * self.size + x].toggle() }
                }
            }
        }
    }
}
