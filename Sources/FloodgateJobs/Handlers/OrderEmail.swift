import FloodgateCore
import FloodgateIntegrations

/// The two emails an order sends: the confirmation to the customer and the notice to the shop.
enum OrderEmail {
    enum Audience {
        case customer
        case shop
    }

    static func message(_ audience: Audience, order: Order, store: Store, orderURL: String) -> MailMessage {
        let from = MailMessage.mailbox(name: store.name, address: store.notifyEmail)
        let window = "\(order.deliveryWindow.date), \(order.deliveryWindow.from)–\(order.deliveryWindow.to)"
        let lines = order.lines.map { line in
            let total = Money(minorUnits: line.lineTotal, currency: order.total.currency).formatted
            let inside = line.composition.map { "\($0.item) (\($0.colour)) × \($0.quantity)" }.joined(separator: ", ")
            return (
                text: "\(line.name) × \(line.quantity) — \(total)\n    \(inside)", name: line.name,
                quantity: line.quantity, total: total, inside: inside
            )
        }
        let card = order.cardMessage.isEmpty ? "" : "\nCard message:\n\(order.cardMessage)\n"
        let details = """
            Order \(order.number)
            \(lines.map(\.text).joined(separator: "\n"))
            Total: \(order.total.formatted)

            Delivery: \(window)
            Recipient: \(order.recipient.name), \(order.recipient.phone)
            Address: \(order.recipient.address)
            \(card)
            """
        let rows = lines.map {
            "<tr><td>\(escape($0.name)) × \($0.quantity)<br><small>\(escape($0.inside))</small></td><td align=\"right\">\(escape($0.total))</td></tr>"
        }.joined()
        let table = """
            <table cellpadding="6" style="border-collapse:collapse">\(rows)\
            <tr><td><strong>Total</strong></td><td align="right"><strong>\(escape(order.total.formatted))</strong></td></tr></table>
            <p><strong>Delivery:</strong> \(escape(window))<br><strong>Recipient:</strong> \(escape(order.recipient.name)), \
            \(escape(order.recipient.phone))<br><strong>Address:</strong> \(escape(order.recipient.address))</p>
            \(order.cardMessage.isEmpty ? "" : "<p><strong>Card message:</strong><br><em>\(escape(order.cardMessage))</em></p>")
            """
        switch audience {
        case .customer:
            return MailMessage(
                from: from, to: [order.customer.email], subject: "\(store.name): your order \(order.number)",
                text:
                    "Hello \(order.customer.name),\n\nthank you for your order.\n\n\(details)\nSee your order at any time: \(orderURL)\n",
                html:
                    "<p>Hello \(escape(order.customer.name)),</p><p>thank you for your order.</p><h2>Order \(escape(order.number))</h2>\(table)"
                    + "<p><a href=\"\(escape(orderURL))\">See your order</a></p>"
            )
        case .shop:
            return MailMessage(
                from: from, to: [store.notifyEmail], subject: "New order \(order.number) for \(window)",
                text:
                    "New order from \(order.customer.name) (\(order.customer.phone), \(order.customer.email)).\n\n\(details)",
                html:
                    "<p>New order from \(escape(order.customer.name)) (\(escape(order.customer.phone)), \(escape(order.customer.email))).</p>"
                    + "<h2>Order \(escape(order.number))</h2>\(table)"
            )
        }
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "\n": out += "<br>"
            default: out.append(character)
            }
        }
        return out
    }
}
