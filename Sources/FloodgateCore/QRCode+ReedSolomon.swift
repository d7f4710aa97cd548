extension QRCode {
    /// Reed–Solomon error correction over GF(256) with the reducing polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D), whose
    /// generator polynomials have the roots α⁰ … αⁿ⁻¹ with α = 2, as QR codes use.
    enum ReedSolomon {
        /// Powers of α: `exponents[i]` is αⁱ, for i in 0..<255.
        private static let exponents: [UInt8] = {
            var table: [UInt8] = []
            var value = 1
            for _ in 0..<255 {
                table.append(UInt8(value))
                value <<= 1
                if value & 0x100 != 0 { value ^= 0x11D }
            }
            return table
        }()

        /// Logarithms to base α: `logarithms[αⁱ]` is i (index 0, whose logarithm is undefined, holds 0).
        private static let logarithms: [Int] = {
            var table = Array(repeating: 0, count: 256)
            for (power, value) in Self.exponents.enumerated() { table[Int(value)] = power }
            return table
        }()

        static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
            guard a != 0, b != 0 else { return 0 }
            return Self.exponents[(Self.logarithms[Int(a)] + Self.logarithms[Int(b)]) % 255]
        }

        /// The coefficients of (x − α⁰)(x − α¹)…(x − αⁿ⁻¹) for n = `degree`, highest power first, without the
        /// leading 1.
        static func generator(degree: Int) -> [UInt8] {
            var coefficients = Array(repeating: UInt8(0), count: degree)
            coefficients[degree - 1] = 1
            var root: UInt8 = 1
            for _ in 0..<degree {
                // Multiply by (x − root); in GF(2⁸) subtracting is adding is xor.
                for j in 0..<degree {
                    coefficients[j] = Self.multiply(coefficients[j], root)
                    if j + 1 < degree { coefficients[j] ^= coefficients[j + 1] }
                }
                root = Self.multiply(root, 2)
            }
            return coefficients
        }

        /// The error correction codewords of `data`: the remainder of data·xⁿ divided by the generator.
        static func remainder(of data: ArraySlice<UInt8>, generator: [UInt8]) -> [UInt8] {
            var result = Array(repeating: UInt8(0), count: generator.count)
            for byte in data {
                let factor = byte ^ result[0]
                result.removeFirst()
                result.append(0)
                for i in generator.indices { result[i] ^= Self.multiply(generator[i], factor) }
            }
            return result
        }
    }
}
