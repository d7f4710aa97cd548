import Foundation
import Hummingbird

/// Serves the API contract, `openapi.yaml`, kept in the repository beside the code it describes.
enum OpenAPIDocument {
    /// Reads the document once; a missing one fails the start.
    static func addRoutes(to api: RouterGroup<AppRequestContext>, resourcesDirectory: String) throws {
        let path = URL(fileURLWithPath: resourcesDirectory).appendingPathComponent("openapi.yaml").path
        let document = try String(contentsOfFile: path, encoding: .utf8)
        api.get("openapi.yaml") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: document))
            )
        }
    }
}
