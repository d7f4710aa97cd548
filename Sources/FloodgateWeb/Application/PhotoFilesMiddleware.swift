import Foundation
import Hummingbird
import Logging

/// Serves the photos folder under `/photos`: pictures only, each as the type its name says, never as a page.
///
/// An upload is stored under a name whose extension comes from its first bytes (``PhotoType``), so for what the shop
/// writes the name tells the type truly. Only names ending in a picture's extension are looked up at all; any other
/// file in the folder (`x.html`, `x.txt`, a folder) is not there as far as visitors can tell (`404`). The type sent
/// comes from ``types``, not from the file's content or a guess, with `nosniff` so browsers take it as sent.
///
/// SVG is served because the demo draws its product photos as SVG (`DemoPhoto`); uploads never are SVG. A
/// drawing opened on its own is a download (`Content-Disposition: attachment`), and every photo carries ``policy``:
/// opened as a document in any way, it runs no script and has no origin of the shop's (`sandbox`). Shown with
/// `<img>`, as the shop shows them, an SVG runs no script anyway.
struct PhotoFilesMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let urlBasePath = "/photos"
    /// The type of each extension served, lower case: the types an upload may have (``PhotoType``), and the demo's SVG.
    static let types: [String: String] = [
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "svg": "image/svg+xml",
    ]
    /// Replaces the pages' policy on photos: nothing loads, nothing runs.
    static let policy = "default-src 'none'; sandbox"

    private let files: FileMiddleware<Context, LocalFileSystem>

    /// Serves `directory` under `/photos`, kept a week in caches (every upload gets a new name).
    init(directory: String, logger: Logger) {
        self.files = FileMiddleware(
            directory, urlBasePath: Self.urlBasePath,
            cacheControl: .init([(MediaType(type: .any), [.public, .maxAge(604_800)])]), logger: logger
        )
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // The path as FileMiddleware reads it (percent-decoded); anything else goes on to the router, which has no such route.
        guard let path = request.uri.path.removingPercentEncoding, path.hasPrefix(Self.urlBasePath + "/"),
            let type = Self.mediaType(of: path)
        else {
            return try await next(request, context)
        }
        var response = try await self.files.handle(request, context: context, next: next)
        response.headers[.contentType] = type
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.contentSecurityPolicy] = Self.policy
        if type == "image/svg+xml" { response.headers[.contentDisposition] = "attachment" }
        return response
    }

    /// The type a photo at `path` is served as, from its extension; nil for any other name.
    static func mediaType(of path: String) -> String? {
        guard let name = path.split(separator: "/", omittingEmptySubsequences: false).last,
            let dot = name.lastIndex(of: ".")
        else {
            return nil
        }
        return Self.types[name[name.index(after: dot)...].lowercased()]
    }
}
