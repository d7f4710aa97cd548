import Hummingbird

extension RequestContext {
    /// A positive integer path parameter; anything else means the thing does not exist.
    func id(_ name: String, _ what: String) throws -> Int {
        let raw = self.parameters.get(name) ?? ""
        guard let id = Int(raw), id > 0 else { throw Problem.notFound("There is no \(what) '\(raw)'.") }
        return id
    }
}
