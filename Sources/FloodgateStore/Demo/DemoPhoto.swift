import FloodgateCore

/// Draws a simple, pleasant SVG picture of a product from its composition (demo data has no real photos).
enum DemoPhoto {
    enum Style {
        case bouquet
        case box
    }

    static let palette: [String: String] = [
        "red": "#c8102e", "pink": "#f06292", "blush pink": "#f8bbd0", "pale pink": "#fce4ec", "white": "#fafafa",
        "cream": "#fff3e0", "yellow": "#fdd835", "orange": "#fb8c00", "purple": "#7b1fa2", "lilac": "#ce93d8",
        "blue": "#5c6bc0", "green": "#66bb6a", "silver green": "#a5c4b0", "peach": "#ffab91", "beige": "#d7ccc8",
        "brown": "#8d6e63",
    ]

    static func svg(for composition: [CompositionLine], seed: Int, style: Style) -> String {
        let colours = composition.map { Self.palette[$0.colour] ?? "#ef9a9a" }
        var random = SeededRandom(seed: UInt64(seed + 1))
        var shapes = ""
        switch style {
        case .bouquet:
            shapes += ##"<path d="M170 330 L200 230 L230 330 Z" fill="#558b2f"/>"##
            shapes += ##"<path d="M150 300 Q200 340 250 300 L235 360 Q200 380 165 360 Z" fill="#d7b98e"/>"##
            for index in 0..<18 {
                let x = 120 + Int(random.next() % 160), y = 90 + Int(random.next() % 130)
                let r = 18 + Int(random.next() % 14)
                let colour = colours[index % max(1, colours.count)]
                shapes +=
                    ##"<circle cx="\##(x)" cy="\##(y)" r="\##(r)" fill="\##(colour)" stroke="#00000022" stroke-width="2"/>"##
                shapes += ##"<circle cx="\##(x)" cy="\##(y)" r="\##(r / 3)" fill="#00000018"/>"##
            }
        case .box:
            for index in 0..<12 {
                let x = 110 + Int(random.next() % 180), y = 150 + Int(random.next() % 60)
                let colour = colours[index % max(1, colours.count)]
                shapes +=
                    ##"<ellipse cx="\##(x)" cy="\##(y)" rx="28" ry="22" fill="\##(colour)" stroke="#00000022" stroke-width="2"/>"##
            }
            shapes += ##"<path d="M80 190 L320 190 L300 330 L100 330 Z" fill="#a1887f"/>"##
            shapes += ##"<path d="M80 190 L320 190 L314 215 L86 215 Z" fill="#8d6e63"/>"##
        }
        let background = style == .bouquet ? "#fdf6f0" : "#f1f8e9"
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400">\
            <rect width="400" height="400" fill="\(background)"/>\(shapes)</svg>
            """
    }
}

/// A tiny deterministic generator so the same demo product always gets the same picture.
struct SeededRandom {
    var state: UInt64

    init(seed: UInt64) {
        self.state = seed &* 0x9E37_79B9_7F4A_7C15
    }

    mutating func next() -> UInt64 {
        self.state = self.state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return self.state >> 33
    }
}
