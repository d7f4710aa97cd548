import Testing

@testable import FloodgateIntegrations

/// Issue 22 (review): a relay's refusal is not an address's, and a shop's name cannot break the `From:` header.
@Suite("Mail: which refusals are the address's, and display names in headers")
struct MailHeaderTests {
    @Test("No such mailbox fails one email; a relay refusing everyone is the relay's failure")
    func refusalsAboutTheAddress() {
        for reply in [
            "550 5.1.1 <x@example.com>: no such mailbox", "550 No such user", "551 User not local",
            "553 5.1.3 Bad address syntax",
        ] {
            #expect(SMTPMailer.refusesTheAddress(reply), "\(reply)")
        }
        for reply in [
            "530 5.7.0 Authentication required", "554 5.7.1 Relay access denied", "550 5.7.1 Relaying denied",
            "552 Mailbox full? try later",
        ] {
            #expect(!SMTPMailer.refusesTheAddress(reply), "\(reply)")
        }
    }

    @Test("A shop's name goes in the From header as a name, whatever it holds")
    func displayNames() {
        #expect(MailMessage.mailbox(name: "Petals", address: "o@p.example") == "Petals <o@p.example>")
        #expect(
            MailMessage.mailbox(name: "Petals, Roses & Co", address: "o@p.example")
                == "\"Petals, Roses & Co\" <o@p.example>")
        #expect(
            MailMessage.mailbox(name: "The \"Best\" \\ Shop", address: "o@p.example")
                == "\"The \\\"Best\\\" \\\\ Shop\" <o@p.example>")
        #expect(
            MailMessage.mailbox(name: "Цветы", address: "o@p.example") == "=?UTF-8?B?0KbQstC10YLRiw==?= <o@p.example>")
        #expect(
            MailMessage.mailbox(name: "Evil\r\nBcc: all@example.com", address: "o@p.example")
                == "\"EvilBcc: all@example.com\" <o@p.example>")
        #expect(MailMessage.mailbox(name: "", address: "o@p.example") == "o@p.example")
    }
}
