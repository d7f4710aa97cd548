/// A weekly pattern tours are generated from: "Tuesday and Friday, 9–13, North and Centre, 40 orders,
/// cut-off 18:00 the day before".
public struct TourTemplate: Hashable, Sendable, Codable {
    public var id: Int
    public var storeID: Int
    /// ISO weekdays, 1 = Monday … 7 = Sunday.
    public var weekdays: [Int]
    /// `HH:MM`
    public var from: String
    /// `HH:MM`
    public var to: String
    public var capacity: Int
    public var zoneIDs: [Int]
    /// How many days before the tour orders stop (0: the same day).
    public var cutoffDaysBefore: Int
    /// `HH:MM` on that day.
    public var cutoffTime: String
    public var active: Bool

    public init(
        id: Int, storeID: Int, weekdays: [Int], from: String, to: String, capacity: Int, zoneIDs: [Int],
        cutoffDaysBefore: Int,
        cutoffTime: String, active: Bool = true
    ) {
        self.id = id
        self.storeID = storeID
        self.weekdays = weekdays
        self.from = from
        self.to = to
        self.capacity = capacity
        self.zoneIDs = zoneIDs
        self.cutoffDaysBefore = cutoffDaysBefore
        self.cutoffTime = cutoffTime
        self.active = active
    }

    /// The tours this template gives on the `days` days starting at `first` (ids 0: not stored yet).
    public func tours(from first: CivilDate, days: Int) -> [DeliveryWindow] {
        guard self.active else { return [] }
        return (0..<max(0, days)).map { first.adding(days: $0) }.filter { self.weekdays.contains($0.weekday) }.map {
            date in
            DeliveryWindow(
                id: 0, storeID: self.storeID, date: date.description, from: self.from, to: self.to,
                capacity: self.capacity,
                reserved: 0, cutoff: "\(date.adding(days: -self.cutoffDaysBefore)) \(self.cutoffTime)",
                zoneIDs: self.zoneIDs,
                templateID: self.id
            )
        }
    }

    /// Weekday names for the back-office, Monday first.
    public static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
}
