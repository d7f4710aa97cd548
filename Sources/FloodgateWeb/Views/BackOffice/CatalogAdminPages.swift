import FloodgateCore
import FloodgateStore

/// `/admin/{store}/products`
struct ProductListPage: PageModel {
    static let template = "admin-products"

    struct Row {
        var name: String
        var url: String
        var price: String
        var available: Bool
        var photo: String?
    }

    var chrome: AdminChrome
    var newURL: String
    var products: [Row]

    init(chrome: AdminChrome, store: Store, products: [Product]) {
        self.chrome = chrome
        self.newURL = "/admin/\(store.slug)/products/new"
        self.products = products.map {
            Row(
                name: $0.name, url: "/admin/\(store.slug)/products/\($0.id)", price: $0.price.formatted,
                available: $0.available, photo: $0.photos.first)
        }
    }
}

/// `/admin/{store}/products/{id}` (or `new`): the product form, re-shown with messages.
struct ProductEditPage: PageModel {
    static let template = "admin-product"
    /// The product's history from the audit log (its price history among it), newest first.
    var rows: [AuditRow] = []

    /// What the owner typed, kept when the form is shown again.
    struct Values {
        var name = ""
        var description = ""
        var price = ""
        var composition = ""
        var available = true

        init() {}

        init(_ product: Product) {
            self.name = product.name
            self.description = product.description
            self.price = CatalogCSV.price(product.price.minorUnits)
            self.composition = product.composition.map(\.written).joined(separator: "\n")
            self.available = product.available
        }
    }

    struct Field {
        var name: String
        var label: String
        var value: String
        var multiline: Bool
        var hint: String?
        var errors: [String]
        var hasError: Bool
    }

    var chrome: AdminChrome
    var heading: String
    var action: String
    var listURL: String
    var fields: [Field]
    var available: Bool
    var hasErrors: Bool
    var hasPhotoForm: Bool
    var photoAction: String
    var photos: [String]

    init(chrome: AdminChrome, store: Store, product: Product?, values: Values, errors: [FieldError] = []) {
        func field(
            _ name: String, _ label: String, _ value: String, multiline: Bool = false, hint: String = ""
        ) -> Field {
            let messages = errors.filter { $0.field == name }.map(\.message)
            return Field(
                name: name, label: label, value: value, multiline: multiline, hint: hint.nonEmpty, errors: messages,
                hasError: !messages.isEmpty)
        }
        self.chrome = chrome
        let base = "/admin/\(store.slug)/products"
        self.heading = product.map { "Edit \($0.name)" } ?? "Add a product"
        self.action = product.map { "\(base)/\($0.id)" } ?? "\(base)/new"
        self.listURL = base
        self.fields = [
            field("name", "Name", values.name),
            field("description", "Description", values.description, multiline: true),
            field("price", "Price (\(store.currency))", values.price, hint: "Like 4500 or 4500.50"),
            field(
                "composition", "Composition", values.composition, multiline: true,
                hint: "One line each: item | colour | quantity"),
        ]
        self.available = values.available
        self.hasErrors = !errors.isEmpty
        self.hasPhotoForm = product != nil
        self.photoAction = product.map { "\(base)/\($0.id)/photo" } ?? ""
        self.photos = product?.photos ?? []
    }
}

/// `/admin/{store}/exports`: orders CSV by delivery dates, catalog CSV out and in.
struct ExportsPage: PageModel {
    static let template = "admin-exports"
    var chrome: AdminChrome
    var ordersAction: String
    var catalogURL: String
    var importAction: String
    var from: String
    var to: String
    var errors: [String]
    var hasErrors: Bool
    var errorCount: Int

    init(chrome: AdminChrome, store: Store, errors: [String] = []) {
        self.chrome = chrome
        let base = "/admin/\(store.slug)/exports"
        self.ordersAction = "\(base)/orders.csv"
        self.catalogURL = "\(base)/catalog.csv"
        self.importAction = "\(base)/catalog"
        self.from = LocalTime.date(daysFromNow: -30, in: store.timeZone)
        self.to = LocalTime.now(in: store.timeZone).date
        self.errors = errors
        self.hasErrors = !errors.isEmpty
        self.errorCount = errors.count
    }
}
