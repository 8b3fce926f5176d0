import Foundation
import Testing
@testable import StewardCore

/// "move my 2pm to thursday 10am", "cancel Standup" and their commands, read on Saturday 21 Nov 2026 at
/// 10:00 in Berlin.
@Suite struct EventChangeParsingTests {
    private let context = ParseContext(now: CoreWorld.now, timeZone: CoreWorld.berlin)

    private func message(_ text: String) -> Intent { IntentParser().parse(.message(text), context: context) }
    private func command(_ name: String, _ arguments: String) -> Intent {
        IntentParser().parse(.command(name: name, arguments: arguments), context: context)
    }
    private func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date { CoreWorld.at(2026, 11, day, hour, minute) }
    private func day(_ day: Int) -> DateInterval { DateInterval(start: at(day, 0), end: at(day + 1, 0)) }
    private func usage(_ intent: Intent) -> String? {
        if case .usage(let text) = intent { text } else { nil }
    }

    @Test(arguments: [
        ("move my 2pm to thursday 10am", EventReference(when: .timeOfDay(14 * 60)), MoveTarget.instant(CoreWorld.at(2026, 11, 26, 10))),
        ("Move Dentist to friday 15:00", EventReference(title: "Dentist"), .instant(CoreWorld.at(2026, 11, 27, 15))),
        ("reschedule Design review to tuesday 9am", EventReference(title: "Design review"), .instant(CoreWorld.at(2026, 11, 24, 9))),
        ("please move my 10:00 meeting to tomorrow 11:00", EventReference(when: .timeOfDay(10 * 60)), .instant(CoreWorld.at(2026, 11, 22, 11))),
        ("move Talk to Bob to friday 3pm", EventReference(title: "Talk to Bob"), .instant(CoreWorld.at(2026, 11, 27, 15))),
        ("move Dentist to friday", EventReference(title: "Dentist"), .day(DateInterval(start: CoreWorld.at(2026, 11, 27, 0), end: CoreWorld.at(2026, 11, 28, 0)))),
        ("push my 2pm back to 4pm", EventReference(when: .timeOfDay(14 * 60)), .instant(CoreWorld.at(2026, 11, 21, 16))),
        ("move the dentist on friday to monday 9:00", EventReference(title: "dentist", when: .day(DateInterval(start: CoreWorld.at(2026, 11, 27, 0), end: CoreWorld.at(2026, 11, 28, 0)))), .instant(CoreWorld.at(2026, 11, 23, 9))),
        ("move tomorrow's 10:00 to 11:30", EventReference(when: .instant(CoreWorld.at(2026, 11, 22, 10))), .instant(CoreWorld.at(2026, 11, 21, 11, 30))),
        ("move Review 2 to friday 10am", EventReference(title: "Review 2"), .instant(CoreWorld.at(2026, 11, 27, 10))),
    ])
    func moves(_ text: String, _ reference: EventReference, _ target: MoveTarget) {
        #expect(message(text) == .move(reference, to: target, notify: true), "\(text)")
    }

    @Test(arguments: [
        ("cancel Standup", EventReference(title: "Standup")),
        ("Cancel my 2pm", EventReference(when: .timeOfDay(14 * 60))),
        ("delete Dentist from my calendar", EventReference(title: "Dentist")),
        ("cancel the 9:30", EventReference(when: .timeOfDay(9 * 60 + 30))),
        ("remove my friday 3pm call", EventReference(when: .instant(CoreWorld.at(2026, 11, 27, 15)))),
        ("call off friday drinks", EventReference(title: "drinks", when: .day(DateInterval(start: CoreWorld.at(2026, 11, 27, 0), end: CoreWorld.at(2026, 11, 28, 0))))),
        ("cancel my dentist appointment", EventReference(title: "dentist appointment")),
    ])
    func cancels(_ text: String, _ reference: EventReference) {
        #expect(message(text) == .cancel(reference, notify: true), "\(text)")
    }

    @Test func notifyingCanBeSwitchedOffInTheWording() {
        let twoPM = EventReference(when: .timeOfDay(14 * 60))
        let thursday = MoveTarget.instant(at(26, 10))
        #expect(message("move my 2pm to thursday 10am without notifying anyone") == .move(twoPM, to: thursday, notify: false))
        #expect(message("quietly move my 2pm to thursday 10am") == .move(twoPM, to: thursday, notify: false))
        #expect(message("move my 2pm to thursday 10am and don't notify them") == .move(twoPM, to: thursday, notify: false))
        #expect(message("cancel Standup, don't notify the attendees") == .cancel(EventReference(title: "Standup"), notify: false))
        #expect(message("cancel Standup quietly") == .cancel(EventReference(title: "Standup"), notify: false))
        #expect(message("cancel Standup and notify everyone") == .cancel(EventReference(title: "Standup"), notify: true))
        #expect(command("book", "Review tomorrow 15:00 with bob@example.com quietly")
                == .book(title: "Review", start: at(22, 15), minutes: nil, attendees: ["bob@example.com"], notify: false))
        #expect(command("book", "Review tomorrow 15:00 with bob@example.com")
                == .book(title: "Review", start: at(22, 15), minutes: nil, attendees: ["bob@example.com"], notify: true))
    }

    @Test func commandsReadTheSameAndExplainWhatIsMissing() {
        #expect(command("move", "my 2pm to thursday 10am") == .move(EventReference(when: .timeOfDay(840)), to: .instant(at(26, 10))))
        #expect(command("cancel", "Dentist") == .cancel(EventReference(title: "Dentist")))
        // A day alone names the event on that day (a list to choose from when there are several).
        #expect(command("cancel", "tomorrow") == .cancel(EventReference(when: .day(day(22)))))
        for (name, arguments, expected) in [
            ("move", "", "Which event, and to when?"), ("move", "Dentist", "with \"to\""),
            ("move", "Dentist to yesterday 9am", "already past"), ("move", "Dentist to next week", "more than one day"),
            ("move", "my 2pm to whenever", "with \"to\""), ("cancel", "", "Which event?"),
            ("cancel", "next week", "Which event next week?"),
        ] {
            let text = usage(command(name, arguments))
            #expect(text?.contains(expected) == true, "/\(name) \(arguments): \(text ?? "no usage")")
            #expect(text?.contains("Usage: /\(name)") == true)
        }
    }

    @Test func otherTextIsNotMistakenForAChange() {
        for text in ["cancel", "cancel it", "move on", "move the meeting", "change my mind", "push it",
                     "delete everything", "what's on tomorrow"] {
            if case .move = message(text) { Issue.record("\(text) read as a move") }
            if case .cancel = message(text) { Issue.record("\(text) read as a cancel") }
        }
        // A past target is understood, and answered, not passed on.
        #expect(usage(message("move Dentist to yesterday 3pm"))?.contains("already past") == true)
    }

    @Test func theCatalogueKeepsTelegramsLimits() {
        #expect(ChatCommand.all.count <= 100)
        for entry in ChatCommand.all {
            #expect((1...32).contains(entry.name.count) && entry.name.allSatisfy { $0.isLowercase || $0 == "_" })
            #expect((1...256).contains(entry.summary.count))
        }
        #expect(ChatCommand.named("move")?.usage == "/move <event> to <when>")
        #expect(ChatCommand.named("cancel")?.usage == "/cancel <event>")
    }
}
