import Foundation
import Testing
@testable import StewardCore

private let berlin = TimeZone(identifier: "Europe/Berlin")!
/// Saturday 21 November 2026, 10:00 in Berlin.
private let now = at(2026, 11, 21, 10)
private let context = ParseContext(now: now, timeZone: berlin)

private func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
    Calendar.gregorian(berlin).date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
}

/// Whole local days, as Foundation computes the midnights.
private func days(_ month: Int, _ day: Int, through last: (month: Int, day: Int)? = nil) -> DateInterval {
    let first = LocalDate(year: 2026, month: month, day: day)
    let end = last.map { LocalDate(year: 2026, month: $0.month, day: $0.day) } ?? first
    return DateInterval(start: first.startOfDay(in: berlin), end: end.adding(days: 1).startOfDay(in: berlin))
}

private func command(_ name: String, _ arguments: String = "") -> Intent {
    IntentParser().parse(.command(name: name, arguments: arguments), context: context)
}

private func message(_ text: String) -> Intent {
    IntentParser().parse(.message(text), context: context)
}

private func usageMessage(_ intent: Intent) -> String? {
    if case .usage(let message) = intent { message } else { nil }
}

@Suite struct IntentParserTests {}

extension IntentParserTests {
    @Suite struct Commands {
        @Test func simpleCommands() {
            #expect(command("start") == .start)
            #expect(command("help") == .help)
            #expect(command("next") == .next)
            #expect(command("inbox") == .inbox)
            #expect(command("digest") == .digest)
            #expect(command("approvals") == .approvals)
            #expect(command("memory") == .memory(nil))
            #expect(command("accounts") == .accounts)
            #expect(command("status") == .status)
            #expect(command("Status") == .status)
            #expect(IntentParser().parse(.action(token: "s1:abc:a"), context: context) == .unknown(""))
        }

        @Test func agendaCommands() {
            #expect(command("today") == .agenda(days(11, 21)))
            #expect(command("tomorrow") == .agenda(days(11, 22)))
            #expect(command("week") == .agenda(days(11, 21, through: (11, 27))))
            #expect(command("agenda", "friday") == .agenda(days(11, 27)))
            #expect(command("agenda", "next week") == .agenda(days(11, 23, through: (11, 29))))
            #expect(command("agenda", "friday 3pm") == .agenda(days(11, 27)))
            #expect(command("agenda", "dec 5") == .agenda(days(12, 5)))
            #expect(usageMessage(command("agenda"))?.contains("/agenda <when>") == true)
            #expect(usageMessage(command("agenda", "someday"))?.contains("e.g. /agenda friday") == true)
        }

        @Test func free() {
            #expect(command("free", "30m") == .findFree(minutes: 30, within: nil, attendees: []))
            #expect(command("free", "30m tomorrow") == .findFree(minutes: 30, within: days(11, 22), attendees: []))
            #expect(command("free", "1 h next week") == .findFree(minutes: 60, within: days(11, 23, through: (11, 29)),
                                                                    attendees: []))
            #expect(command("free", "half an hour friday") == .findFree(minutes: 30, within: days(11, 27), attendees: []))
            #expect(command("free", "45") == .findFree(minutes: 45, within: nil, attendees: []))
            // An instant searches from there to the end of its day.
            #expect(command("free", "1h friday 3pm") == .findFree(
                minutes: 60, within: DateInterval(start: at(2026, 11, 27, 15), end: at(2026, 11, 28, 0)), attendees: []))
            #expect(command("free", "45m tomorrow with a@x.com,B@Y.com") == .findFree(
                minutes: 45, within: days(11, 22), attendees: ["a@x.com", "b@y.com"]))
            #expect(command("free", "30m with a@x.com") == .findFree(minutes: 30, within: nil, attendees: ["a@x.com"]))
        }

        @Test(arguments: ["", "soon", "30m someday", "0m tomorrow", "25h", "30m with a@x", "tomorrow"])
        func freeUsage(_ arguments: String) throws {
            let message = try #require(usageMessage(command("free", arguments)), "\(arguments)")
            #expect(message.contains("/free <duration> [when] [with a@x.com,…]"))
            #expect(message.contains("e.g. /free 30m tomorrow"))
            #expect(!message.contains("\n"))
        }

        @Test func book() {
            #expect(command("book", "Dentist friday 3pm for 45m")
                == .book(title: "Dentist", start: at(2026, 11, 27, 15), minutes: 45, attendees: []))
            #expect(command("book", "Lunch with Sam tomorrow 12:30 for 1h")
                == .book(title: "Lunch with Sam", start: at(2026, 11, 22, 12, 30), minutes: 60, attendees: []))
            #expect(command("book", "Sync tomorrow 10am with a@x.com, B@Y.com for 30m")
                == .book(title: "Sync", start: at(2026, 11, 22, 10), minutes: 30, attendees: ["a@x.com", "b@y.com"]))
            #expect(command("book", "Budget review with cfo@x.com about Q4 on dec 5 at 15:00")
                == .book(title: "Budget review about Q4", start: at(2026, 12, 5, 15), minutes: nil, attendees: ["cfo@x.com"]))
            #expect(command("book", "Dinner for 2 tomorrow 8pm")
                == .book(title: "Dinner for 2", start: at(2026, 11, 22, 20), minutes: nil, attendees: []))
            #expect(command("book", "Friday drinks friday at 6")
                == .book(title: "Friday drinks", start: at(2026, 11, 27, 18), minutes: nil, attendees: []))
            #expect(command("book", "Review at 3") == .book(title: "Review", start: at(2026, 11, 21, 15), minutes: nil,
                                                             attendees: []))
            #expect(command("book", "Party tonight") == .book(title: "Party", start: at(2026, 11, 21, 20), minutes: nil,
                                                               attendees: []))
            #expect(command("book", "Call in 2 hours for 15 minutes")
                == .book(title: "Call", start: at(2026, 11, 21, 12), minutes: 15, attendees: []))
            // A `with` naming people (not addresses) after the time still belongs to the title.
            #expect(command("book", "Sync tomorrow 3pm with Sam for 30m")
                == .book(title: "Sync with Sam", start: at(2026, 11, 22, 15), minutes: 30, attendees: []))
        }

        @Test func bookUsage() throws {
            let noTime = try #require(usageMessage(command("book", "Dentist")))
            #expect(noTime.contains("needs a day and time"))
            #expect(noTime.contains("e.g. /book Dentist friday 3pm for 45m"))
            #expect(noTime.contains("/book <title> <when> [for <duration>] [with a@x.com,…]"))
            // Understood as a day: the answer asks for the time and names the day it read.
            #expect(usageMessage(command("book", "Dentist friday"))?.contains("What time on Fri 27 Nov (\"friday\")") == true)
            #expect(usageMessage(command("book", ""))?.contains("Usage: /book") == true)
            #expect(usageMessage(command("book", "tomorrow 3pm"))?.contains("title") == true)
            #expect(usageMessage(command("book", "Standup today 9am"))?.contains("2026-11-21 09:00 is already past") == true)
            #expect(usageMessage(command("book", "Sync tomorrow 3pm with bob@")) != nil)
        }

        @Test func decideRememberForget() {
            #expect(command("approve") == .decide(approvalID: nil, approve: true))
            #expect(command("approve", "Ab12cd") == .decide(approvalID: "Ab12cd", approve: true))
            #expect(command("reject", "ab12cd") == .decide(approvalID: "ab12cd", approve: false))
            #expect(command("remember", "  I prefer morning meetings ") == .remember("I prefer morning meetings"))
            #expect(usageMessage(command("remember"))?.contains("/remember <fact>") == true)
            #expect(command("forget", "12") == .forget("12"))
            #expect(usageMessage(command("forget"))?.contains("/forget <id>") == true)
        }

        @Test func settings() {
            #expect(command("settings") == .settings(key: nil, value: nil))
            #expect(command("settings", "Hours 09:00-18:00") == .settings(key: "hours", value: "09:00-18:00"))
            #expect(command("settings", "vip add  Boss@X.com ") == .settings(key: "vip", value: "add  Boss@X.com"))
            #expect(command("settings", "timezone") == .settings(key: "timezone", value: nil))
        }

        @Test func connect() {
            // The kinds a server registers; Core itself names none.
            let parser = IntentParser(accountKinds: AccountKinds([
                AccountKind(name: "google", features: [.calendar], linkPurpose: "read your calendar"),
                AccountKind(name: "gmail", features: [.mail], linkPurpose: "triage your mail"),
                AccountKind(name: "caldav", features: [.calendar]), AccountKind(name: "imap", features: [.mail]),
            ]))
            func command(_ name: String, _ arguments: String = "") -> Intent {
                parser.parse(.command(name: name, arguments: arguments), context: context)
            }
            for provider in ["google", "gmail", "caldav", "imap"] {
                #expect(command("connect", provider) == .connect(provider))
            }
            #expect(command("connect", "Google") == .connect("google"))
            #expect(usageMessage(command("connect", "dropbox"))?.contains("/connect google|gmail") == true)
            #expect(usageMessage(command("connect")) != nil)
        }

        @Test func unknownCommand() {
            #expect(command("frobnicate") == .usage(message: "Unknown command /frobnicate. Send /help to see what I can do."))
        }

        @Test func everyCatalogueCommandIsUnderstood() {
            for entry in ChatCommand.all {
                let message = usageMessage(command(entry.name)) ?? ""
                #expect(!message.hasPrefix("Unknown command"), "\(entry.name)")
            }
        }
    }

    @Suite struct Messages {
        @Test(arguments: [
            ("what's on tomorrow", days(11, 22)), ("What do I have today?", days(11, 21)),
            ("what's my schedule for friday", days(11, 27)), ("agenda next week", days(11, 23, through: (11, 29))),
            ("today", days(11, 21)), ("Tomorrow", days(11, 22)), ("next week", days(11, 23, through: (11, 29))),
            ("hey, what's on my calendar this weekend?", days(11, 21, through: (11, 22))),
            ("tomorrow's schedule", days(11, 22)), ("friday's meetings", days(11, 27)),
            ("can you show me my calendar for dec 5 please", days(12, 5)), ("what do I have", days(11, 21)),
            ("anything on friday?", days(11, 27)), ("WHAT'S ON TOMORROW???", days(11, 22)),
            ("what do i have on the 5th", days(12, 5)), ("am I busy tomorrow", days(11, 22)),
            ("what's happening this week", days(11, 16, through: (11, 22))),
            ("my day", days(11, 21)), ("next week's schedule", days(11, 23, through: (11, 29))),
            ("the day after tomorrow", days(11, 23)), ("what's on the day after tomorrow", days(11, 23)),
            ("show my agenda for next friday", days(11, 27)),
        ])
        func agenda(_ text: String, _ interval: DateInterval) {
            #expect(message(text) == .agenda(interval), "\(text)")
        }

        @Test(arguments: ["what's next", "next meeting", "When is my next meeting?", "what's coming up", "next",
                          "whats my next event"])
        func next(_ text: String) {
            #expect(message(text) == .next, "\(text)")
        }

        @Test func checkFree() {
            #expect(message("am I free friday at 3pm") == .checkFree(start: at(2026, 11, 27, 15), minutes: 60))
            #expect(message("am I free at 15:00 tomorrow for 30 minutes") == .checkFree(start: at(2026, 11, 22, 15), minutes: 30))
            #expect(message("Am I available tomorrow at noon for an hour?") == .checkFree(start: at(2026, 11, 22, 12), minutes: 60))
            // A part of the day is checked whole: tonight is 20:00–24:00.
            #expect(message("am i free tonight") == .checkFree(start: at(2026, 11, 21, 20), minutes: 240))
            #expect(message("am I free") == .checkFree(start: now, minutes: 60))
            #expect(message("am I free at 3") == .checkFree(start: at(2026, 11, 21, 15), minutes: 60))
            #expect(message("is 3pm free?") == .checkFree(start: at(2026, 11, 21, 15), minutes: 60))
            // A day without a time asks for the free time that day.
            #expect(message("am I free friday") == .findFree(minutes: 30, within: days(11, 27), attendees: []))
        }

        @Test func findFree() {
            #expect(message("find 45 minutes next week")
                == .findFree(minutes: 45, within: days(11, 23, through: (11, 29)), attendees: []))
            #expect(message("find time for 1h tomorrow") == .findFree(minutes: 60, within: days(11, 22), attendees: []))
            #expect(message("when am I free tomorrow") == .findFree(minutes: 30, within: days(11, 22), attendees: []))
            #expect(message("please find me a free 30 minute slot on friday")
                == .findFree(minutes: 30, within: days(11, 27), attendees: []))
            #expect(message("find an hour with a@x.com tomorrow")
                == .findFree(minutes: 60, within: days(11, 22), attendees: ["a@x.com"]))
            #expect(message("find time") == .findFree(minutes: 30, within: nil, attendees: []))
            #expect(message("can you find half an hour on dec 5?")
                == .findFree(minutes: 30, within: days(12, 5), attendees: []))
        }

        @Test func book() {
            #expect(message("book lunch with Sam tomorrow 12:30 for 1h")
                == .book(title: "Lunch with Sam", start: at(2026, 11, 22, 12, 30), minutes: 60, attendees: []))
            #expect(message("schedule dentist on friday at 3pm")
                == .book(title: "Dentist", start: at(2026, 11, 27, 15), minutes: nil, attendees: []))
            #expect(message("Please add a team sync to my calendar tomorrow at 10am")
                == .book(title: "Team sync", start: at(2026, 11, 22, 10), minutes: nil, attendees: []))
            #expect(message("can you book a table at Luigi's for tomorrow 8pm")
                == .book(title: "Table at Luigi's", start: at(2026, 11, 22, 20), minutes: nil, attendees: []))
            #expect(message("set up a call with bob@x.com next monday at 9 for 30 minutes")
                == .book(title: "Call", start: at(2026, 11, 23, 9), minutes: 30, attendees: ["bob@x.com"]))
        }

        @Test func decide() {
            #expect(message("approve") == .decide(approvalID: nil, approve: true))
            #expect(message("yes approve") == .decide(approvalID: nil, approve: true))
            #expect(message("Yes, approve it.") == .decide(approvalID: nil, approve: true))
            #expect(message("reject") == .decide(approvalID: nil, approve: false))
            #expect(message("approve ab12cd") == .decide(approvalID: "ab12cd", approve: true))
            #expect(message("Reject #AB12CD!") == .decide(approvalID: "AB12CD", approve: false))
            #expect(message("reject that one") == .decide(approvalID: nil, approve: false))
        }

        @Test func helpAndRemember() {
            #expect(message("help") == .help)
            #expect(message("What can you do?") == .help)
            #expect(message("help me") == .help)
            #expect(message("remember that I prefer morning meetings") == .remember("I prefer morning meetings"))
            #expect(message("Please remember: my dentist is Dr. Who") == .remember("my dentist is Dr. Who"))
            #expect(usageMessage(message("remember")) != nil)
            #expect(message("check my email") == .inbox)
            #expect(message("settings") == .settings(key: nil, value: nil))
            #expect(message("set hours 9-17") == .settings(key: "hours", value: "9-17"))
            #expect(message("forget 12") == .forget("12"))
            // Reminders are understood now (FollowUpParsingTests has the rest).
            guard case .followUp(.remind(let task, _, _)) = message("remind me to call mom at 5") else {
                Issue.record("remind me to call mom at 5"); return
            }
            #expect(task == "call mom")
        }

        @Test(arguments: [
            "write me a poem", "forward the email from Bob to Alice", "book lunch", "book dinner yesterday at 8pm",
            "approve the budget increase for Bob", "approve all", "find the invoice from ACME",
            "Bob wrote: approve the invoice and book a meeting tomorrow at 3pm", "what's the weather friday",
            "12/5", "next month", "book standup every day at 9", "forget it", "yes",
        ])
        func unknown(_ text: String) {
            #expect(message(text) == .unknown(text), "\(text)")
        }
    }
}
