import FloodgateCore
import PostgresKit

/// PostgreSQL's checkout write for an order priced from memory: ``OneStatementOrder``, whose place is taken only
/// if the catalog and the tour are still as they were remembered.
///
/// The checks of a checkout read the cart's products and its tour first, two round trips before the write. On a
/// busy day every round trip waits for a core at each end, so a checkout priced and checked from this process's
/// catalog and tours (the pages' caches, ``CheckoutMemory``) sends one statement instead of three. That statement
/// takes the place only if every line's product is still available with the remembered name, price,
/// composition and photo, and the tour is still the store's, on the remembered date, times and cut-off, with no
/// zones; otherwise it writes nothing. So an order is never written from a stale memory: the checkout goes the
/// careful way instead, reading the database (``SQLOrderRepository``).
struct ConfirmingOrder: PostgresPreparedStatement {
    typealias Row = Int

    static let name = "floodgate_checkout_confirming"
    static let sql = OneStatementOrder.statement(confirming: true)

    let base: OneStatementOrder
    /// The tour as it was remembered when the order was checked.
    let window: DeliveryWindow

    /// Takes a place as ``SQLDeliveryWindowRepository/reservePlaceStatement`` does, and only if the memory holds.
    /// `$1` is the window; `$2`…`$8` the order's lines (product, name, unit price, quantity, composition, photo,
    /// has a photo), as the write binds them; `$9`…`$13` what is remembered of the tour (``appendRemembered``).
    static let takeConfirmedPlace = NumberedSQL(
        """
        UPDATE delivery_windows SET reserved = reserved + 1 WHERE id = $1 AND reserved + held < capacity \
        AND store_id = $9 AND date = $10 AND time_from = $11 AND time_to = $12 AND cutoff IS NOT DISTINCT FROM $13 \
        AND NOT EXISTS (SELECT 1 FROM tour_zones WHERE tour_zones.window_id = $1) \
        AND NOT EXISTS (SELECT 1 FROM unnest($2, $3, $4, $5, $6, $7, $8) \
        AS l(product_id, name, unit_price, quantity, composition, photo, has_photo) \
        WHERE NOT EXISTS (SELECT 1 FROM products WHERE products.id = l.product_id AND products.store_id = $9 \
        AND products.available = 1 AND products.name = l.name AND products.price = l.unit_price \
        AND products.composition = l.composition \
        AND (products.photos::json ->> 0) IS NOT DISTINCT FROM CASE WHEN l.has_photo THEN l.photo END)) \
        RETURNING id
        """
    )

    /// How many values ``appendRemembered(_:to:)`` binds.
    static let rememberedCount = 5

    /// What the order's check relied on of its tour: the store, the date, the times and the cut-off.
    static func appendRemembered(_ window: DeliveryWindow, to bindings: inout PostgresBindings) {
        bindings.append(window.storeID)
        bindings.append(window.date)
        bindings.append(window.from)
        bindings.append(window.to)
        bindings.append(window.cutoff)
    }

    func makeBindings() throws -> PostgresBindings {
        try self.base.bindings(confirming: self.window)
    }

    func decodeRow(_ row: PostgresRow) throws -> Int {
        try row.decode(Int.self)
    }
}
