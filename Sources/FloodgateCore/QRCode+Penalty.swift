extension QRCode.Grid {
    /// The symbol's penalty under ISO/IEC 18004:2015 7.8.3.1 (Table 11), over the complete symbol:
    /// - N1: 3 points for each run of five or more modules of one colour in a row or column, and 1 more for each
    ///   module past five;
    /// - N2: 3 points for each 2×2 block of one colour (blocks may overlap);
    /// - N3: 40 points for each dark-light-dark-dark-dark-light-dark run in a row or column with four light modules
    ///   before or after it;
    /// - N4: 10 points for each full 5 % that the share of dark modules is off 50 %.
    func penalty() -> Int {
        var total = 0
        var line = Array(repeating: false, count: self.size)
        for i in 0..<self.size {
            for j in 0..<self.size { line[j] = self[j, i] }
            total += Self.linePenalty(line)
            for j in 0..<self.size { line[j] = self[i, j] }
            total += Self.linePenalty(line)
        }

        for y in 0..<self.size - 1 {
            for x in 0..<self.size - 1 {
                let colour = self[x, y]
                if colour == self[x + 1, y] && colour == self[x, y + 1] && colour == self[x + 1, y + 1] { total += 3 }
            }
        }

        let darkCount = self.dark.count(where: { $0 })
        let moduleCount = self.size * self.size
        total += 10 * (abs(darkCount * 20 - moduleCount * 10) / moduleCount)
        return total
    }

    private static let finderLike = [true, false, true, true, true, false, true]

    /// N1 and N3 of one row or column.
    private static func linePenalty(_ line: [Bool]) -> Int {
        var penalty = 0
        var runStart = 0
        for i in 1...line.count where i == line.count || line[i] != line[runStart] {
            if i - runStart >= 5 { penalty += i - runStart - 2 }
            runStart = i
        }
        for start in 0...(line.count - 7) where line[start..<start + 7].elementsEqual(Self.finderLike) {
            if Self.isLight(line, start - 4..<start) || Self.isLight(line, start + 7..<start + 11) { penalty += 40 }
        }
        return penalty
    }

    /// Whether `range` of `line` is all light; modules past the symbol's edge lie in the quiet zone, which is light.
    private static func isLight(_ line: [Bool], _ range: Range<Int>) -> Bool {
        range.clamped(to: 0..<line.count).allSatisfy { !line[$0] }
    }
}
