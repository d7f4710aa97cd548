import Testing
import AsyncHTTPClient
@Test func t() {}
