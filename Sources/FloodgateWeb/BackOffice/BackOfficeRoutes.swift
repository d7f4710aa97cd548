import FloodgateCore
import FloodgateStore
import Hummingbird

/// The back-office's route groups: `/admin` with the staff session read (``StaffSessionMiddleware``), the sign-in
/// form on it, and every other page on a signed-in group whose handlers take a ``StaffRequestContext`` — a
/// context that cannot be made without a session. A route added to that group is closed whatever its path.
struct BackOfficeRoutes {
    let shell: BackOfficeShell
    let staff: any StaffRepository
    let clients: ClientLimits
    let orders: any OrderRepository
    let admin: any OrderAdminRepository
    let catalog: any CatalogRepository
    let windows: any DeliveryWindowRepository
    let tours: any TourRepository
    let waitlists: any WaitlistRepository
    let config: AppConfig

    func addRoutes(to router: Router<AppRequestContext>) {
        let backOffice = router.group("admin").add(middleware: StaffSessionMiddleware(staff: self.staff))
        let signedIn = backOffice.group().add(middleware: SignInRequired()).group(context: StaffRequestContext.self)
        LoginController(shell: self.shell, staff: self.staff, clients: self.clients, secureCookies: self.config.publicURL.hasPrefix("https://"))
            .addRoutes(login: backOffice, signedIn: signedIn)
        OrdersBackOfficeController(shell: self.shell, orders: self.orders, admin: self.admin, tours: self.tours, waitlists: self.waitlists)
            .addRoutes(to: signedIn)
        PrintController(shell: self.shell, orders: self.orders, admin: self.admin, windows: self.windows, tours: self.tours).addRoutes(to: signedIn)
        DeliveryBackOfficeController(
            shell: self.shell, tours: self.tours, windows: self.windows, waitlists: self.waitlists, daysAhead: self.config.tourDaysAhead
        ).addRoutes(to: signedIn)
        CatalogBackOfficeController(shell: self.shell, catalog: self.catalog, photosDirectory: self.config.photosDirectory).addRoutes(to: signedIn)
        ExportsController(shell: self.shell, catalog: self.catalog, admin: self.admin).addRoutes(to: signedIn)
    }
}
