import Testing
@testable import StewardCore

@Suite struct DurationParserTests {
    @Test(arguments: [
        ("30m", 30), ("30 min", 30), ("30 mins", 30), ("30 minutes", 30), ("1h", 60), ("1 h", 60),
        ("1h30", 90), ("1h30m", 90), ("1h 30m", 90), ("1 h 30", 90), ("1.5h", 90), ("1.5 hours", 90),
        ("90 minutes", 90), ("2 hours", 120), ("2hrs", 120), ("2h15min", 135), ("an hour", 60), ("a hour", 60),
        ("half an hour", 30), ("half hour", 30), ("a half hour", 30), ("an hour and a half", 90),
        ("one and a half hours", 90), ("1 hour and 30 minutes", 90), ("a quarter of an hour", 15),
        ("two hours", 120), ("45", 45), ("45-minute", 45), ("  45M ", 45), ("24h", 1440), ("1440", 1440),
        ("0.25h", 15), ("10 m", 10),
    ])
    func reads(_ text: String, _ minutes: Int) {
        #expect(DurationParser.minutes(text) == minutes, "\(text)")
    }

    @Test(arguments: [
        "", "0", "0m", "0h", "-5", "-1h", "25h", "1441", "1.5m", "0.33h", "soon", "a", "half", "an", "1h70",
        "30m 1h", "1h 1h", "3pm", "12:30", "1:30", "m", "h", "30 apples", "1h30 tomorrow", "1.5.3h", "one",
    ])
    func rejects(_ text: String) {
        #expect(DurationParser.minutes(text) == nil, "\(text)")
    }

    @Test func freeTextDurationsNeedAUnit() {
        #expect(DurationParser.minutes("5", requireUnit: true, maximum: 1440) == nil)
        #expect(DurationParser.minutes("5 min", requireUnit: true, maximum: 1440) == 5)
        #expect(DurationParser.minutes("36 hours", requireUnit: true, maximum: 14 * 1440) == 36 * 60)
    }
}
