import FloodgateCore
import SQLKit

/// What the back-office asks of orders: lists to work through, status changes with their history, and the
/// orders behind assembly sheets and courier manifests.
public protocol OrderAdminRepository: Sendable {
    /// One page of a store's orders, newest first, and the cursor for the next page (nil: the last page).
    func list(_ filter: OrderFilter) async throws -> OrderListing
    /// Moves an order one step on (or cancels it, freeing its place for the waiting list), recorded with who
    /// did it. Throws ``StatusChangeError``; nil if the store has no such order.
    func changeStatus(
        storeID: Int, orderID: Int, to target: OrderStatus, reason: String, by staff: Actor
    ) async throws -> OrderStatus?
    /// An order's status changes, oldest first.
    func events(orderID: Int) async throws -> [OrderEvent]
    /// Every order of a tour (cancelled ones left out), by delivery address for the courier.
    func orders(windowID: Int) async throws -> [Order]
    /// Every order to deliver on a local date (cancelled ones left out), tour by tour.
    func orders(storeID: Int, date: String) async throws -> [Order]
    /// Orders delivered between two local dates (inclusive), for export, in pages of `limit` after `afterID`.
    func orders(storeID: Int, fromDate: String, toDate: String, afterID: Int, limit: Int) async throws -> [Order]
}

/// Which orders a back-office list shows.
public struct OrderFilter: Hashable, Sendable {
    public var storeID: Int
    /// Local delivery date, `YYYY-MM-DD`.
    public var date: String?
    public var windowID: Int?
    public var status: OrderStatus?
    /// An order number, part of a phone number, or part of a customer's or recipient's name.
    public var text: String?
    /// Keyset cursor: only orders with a smaller id.
    public var before: Int?
    public var limit: Int

    public init(
        storeID: Int, date: String? = nil, windowID: Int? = nil, status: OrderStatus? = nil, text: String? = nil,
        before: Int? = nil, limit: Int = 50
    ) {
        self.storeID = storeID
        self.date = date
        self.windowID = windowID
        self.status = status
        self.text = text
        self.before = before
        self.limit = limit
    }
}

/// A row of the order list.
public struct OrderSummary: Hashable, Sendable {
    public var id: Int
    public var status: OrderStatus
    public var total: Money
    public var window: WindowSnapshot
    public var customerName: String
    public var customerPhone: String
    public var recipientName: String
    public var recipientPhone: String
    public var address: String
    public var createdAt: Int64
}

/// A page of the order list.
public struct OrderListing: Hashable, Sendable {
    public var orders: [OrderSummary]
    /// Pass as `before` for the next page; nil on the last one.
    public var next: Int?
}

/// One step in an order's history.
public struct OrderEvent: Hashable, Sendable {
    public var from: OrderStatus
    public var to: OrderStatus
    public var reason: String
    public var staffName: String
    /// Milliseconds since 1970, UTC.
    public var at: Int64
}
