import Foundation
import StewardCore
import Testing

/// An answer that claims a save nobody made is corrected in the same answer; an honest one is left alone.
@Suite struct SaveClaimCheckTests {
    @Test(arguments: [
        "I've saved that for you.", "Got it — I'll remember that you prefer mornings.", "Noted that Bob is vegetarian.",
        "Added to memory: the Wi-Fi code.", "I\u{2019}ve saved it.", "Sure! I will remember.", "Noted.",
        "I have stored that in my memory.", "Okay, I've made a note of it.",
    ])
    func aClaimWithoutASaveIsCorrected(answer: String) {
        let checked = SaveClaimCheck.checked(answer, saved: false)
        #expect(checked.hasPrefix(answer))
        #expect(checked.hasSuffix("Correction: nothing was saved to memory. Send /remember <fact> to store it."))
    }

    @Test(arguments: [
        "You have three meetings tomorrow.", "Nothing was saved to memory.", "I haven't saved anything.",
        "I can't remember things between chats unless you use /remember.", "Your saved items are in Drafts.",
        "I did not store that.", "The piano lesson is at 5.", "As noted in the invite, bring a laptop.",
    ])
    func anAnswerThatClaimsNoSaveIsLeftAlone(answer: String) {
        #expect(SaveClaimCheck.checked(answer, saved: false) == answer)
    }

    @Test func aRealSaveNeedsNoCorrection() {
        #expect(SaveClaimCheck.checked("I've saved that.", saved: true) == "I've saved that.")
    }

    @Test func aFactWaitingOnACardIsNotCalledSaved() {
        let checked = SaveClaimCheck.checked("I'll remember that.", saved: false, pending: true)
        #expect(checked.hasSuffix("Correction: nothing was saved to memory yet; it waits for your Approve on the card."))
    }

    @Test func aHugeAnswerIsCheckedQuickly() {
        let answer = String(repeating: "not saved it, ", count: 20_000)
        #expect(SaveClaimCheck.checked(answer, saved: false) == answer)
    }
}
