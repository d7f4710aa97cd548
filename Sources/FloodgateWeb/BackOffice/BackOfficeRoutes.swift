import FloodgateCore
import FloodgateStore
import Hummingbird

/// The back-office's route groups: `/admin` with the staff session read (``StaffSessionMiddleware``), the sign-in
/// form on it, and every other page on a signed-in group whose handlers take a ``StaffRequestContext`` — a
/// context that cannot be made without a session. A route added to that group is closed whatever its path.
/// A store's pages hang on `/admin/{store}`, whose ``StoreMiddleware`` finds the store once.
struct BackOfficeRoutes {
    let shell: BackOfficeShell
    let repositories: Repositories
    let sessions: StaffSessions
    /// `Secure` cookies: the shop is served over HTTPS.
    let secureCookies: Bool
    /// Where uploaded photos are written.
    let photosDirectory: String
    /// How many days ahead tours are generated from weekly templates.
    let tourDaysAhead: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        let repos = self.repositories
        let backOffice = router.group("admin").add(middleware: StaffSessionMiddleware(sessions: self.sessions))
        let signedIn = backOffice.group().add(middleware: SignInRequired()).group(context: StaffRequestContext.self)
        // One throttle for passwords and second-factor codes: by account and address, whichever is guessed.
        let throttle = LoginThrottle()
        LoginController(
            shell: self.shell, sessions: self.sessions, secureCookies: self.secureCookies, throttle: throttle
        )
        .addRoutes(login: backOffice, signedIn: signedIn)
        SecondFactorController(
            shell: self.shell, sessions: self.sessions, throttle: throttle, secureCookies: self.secureCookies
        ).addRoutes(to: backOffice)
        // A store's pages, `/admin/{store}/…`: the store is found once, and the person's access to it, before any
        // handler; each route then hangs on the group of the permission it needs.
        let store = StoreGroups(
            store: signedIn.group(":store").add(middleware: StoreMiddleware<StaffRequestContext>(stores: repos.stores))
                .add(middleware: StoreAccess()))
        OrdersBackOfficeController(
            shell: self.shell, orders: repos.orders, admin: repos.orderAdmin, tours: repos.tours,
            waitlists: repos.waitlists, audit: repos.audit
        )
        .addRoutes(to: store)
        PrintController(
            shell: self.shell, orders: repos.orders, admin: repos.orderAdmin, windows: repos.windows, tours: repos.tours
        )
        .addRoutes(to: store)
        DeliveryBackOfficeController(
            shell: self.shell, tours: repos.tours, windows: repos.windows, waitlists: repos.waitlists,
            daysAhead: self.tourDaysAhead
        ).addRoutes(to: store)
        CatalogBackOfficeController(
            shell: self.shell, catalog: repos.catalog, audit: repos.audit, photosDirectory: self.photosDirectory
        )
        .addRoutes(to: store)
        ExportsController(shell: self.shell, catalog: repos.catalog, admin: repos.orderAdmin).addRoutes(to: store)
        StaffBackOfficeController(shell: self.shell, staff: repos.staff, policy: self.sessions.policy)
            .addRoutes(to: store)
        AuditBackOfficeController(shell: self.shell, audit: repos.audit, staff: repos.staff).addRoutes(to: store)
    }
}
