extension QRCode {
    /// The symbol as one SVG element: a white background and one black path, in units of modules (the `viewBox`)
    /// scaled to `moduleSize` pixels a module, with `quietZone` light modules around it (the standard asks for four).
    ///
    /// It has no `style` attribute and no script, so a page whose Content Security Policy forbids inline styles can
    /// embed it as it is; each run of dark modules in a row is one rectangle of the path.
    public func svg(moduleSize: Int = 4, quietZone: Int = 4) -> String {
        let quietZone = max(0, quietZone)
        let side = self.size + 2 * quietZone
        let pixels = side * max(1, moduleSize)
        var path = ""
        for y in 0..<self.size {
            var x = 0
            while x < self.size {
                guard self[x, y] else {
                    x += 1
                    continue
                }
                let start = x
                while x < self.size && self[x, y] { x += 1 }
                path += "M\(start + quietZone) \(y + quietZone)h\(x - start)v1h-\(x - start)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" width="\(pixels)" height="\(pixels)" \
            role="img" aria-label="QR code" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }
}
