import FloodgateCore
import Mustache
import Testing

@testable import FloodgateWeb

/// A page model read into ``TemplateValue``s draws exactly what Mustache draws from the structs themselves.
@Suite("Templates: page models read once draw the same")
struct TemplateValueTests {
    struct Row {
        var name: String
        var note: String?
        var shown: Bool
        var count: Int
        var tags: [String]
    }

    struct Page {
        var title: String
        var note: String
        var empty: String
        var missing: String?
        var rows: [Row]
        var none: [Row]
        var date: CivilDate
        var nested: Row?
        var absent: Row?
        var ratio: Double
    }

    static let template = """
        <h1>{{title}}</h1>{{#rows}}<p>{{name}}|{{note}}|{{#shown}}shown{{/shown}}{{^shown}}hidden{{/shown}}|{{count}}|\
        {{#tags}}[{{.}}]{{/tags}}|{{#missing}}never{{/missing}}{{^missing}}no note{{/missing}}|{{title}}</p>{{/rows}}\
        {{^none}}nothing{{/none}}|{{#empty}}empty is set{{/empty}}|{{date}}|{{#nested}}{{name}}:{{count}}{{/nested}}|\
        {{#absent}}never{{/absent}}{{^absent}}absent{{/absent}}|{{nested.name}}|{{ratio}}|{{{note}}}|{{& note}}
        """

    @Test("Fields, optional fields (missing ones looked up outside), arrays, booleans, dates and nesting")
    func sameOutput() throws {
        let page = Page(
            title: "Orders <today>", note: "a & b", empty: "", missing: nil,
            rows: [
                Row(name: "Anna", note: "ring twice", shown: true, count: 2, tags: ["red", "white"]),
                Row(name: "Boris", note: nil, shown: false, count: 0, tags: []),
            ],
            none: [], date: try #require(CivilDate("2026-02-14")),
            nested: Row(name: "Vera", note: nil, shown: true, count: 7, tags: []),
            absent: nil, ratio: 1.5
        )
        let template = try MustacheTemplate(string: Self.template)
        let expected = template.render(page)
        let drawn = template.render(TemplateValue.wrap(page) as Any)
        #expect(drawn == expected)
        // The comparison is only worth something if the template draws every case.
        #expect(expected.contains("Anna|ring twice|shown|2|[red][white]|no note|Orders &lt;today&gt;"))
        #expect(expected.contains("Boris|a &amp; b|hidden|0||no note"), "a missing note is looked up on the page")
        #expect(expected.contains("nothing|empty is set|2026-02-14|Vera:7|absent|Vera|1.5|a & b|a & b"))
    }
}
