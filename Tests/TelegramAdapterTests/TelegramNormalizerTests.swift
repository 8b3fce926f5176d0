import Foundation
import StewardCore
import Testing
@testable import TelegramAdapter

/// Updates shaped like the ones Telegram really sends (fields Steward ignores included), each named
/// with what it must become.
enum RecordedUpdate: String, CaseIterable {
    case privateText = """
    {"update_id":812345001,"message":{"message_id":51,"from":{"id":1001,"is_bot":false,"first_name":"Alice","last_name":"Archer","username":"alice","language_code":"en"},"chat":{"id":1001,"first_name":"Alice","last_name":"Archer","username":"alice","type":"private"},"date":1767225600,"text":"what's on tomorrow?"}}
    """
    case privateCommandWithArguments = """
    {"update_id":812345002,"message":{"message_id":52,"from":{"id":1001,"is_bot":false,"first_name":"Alice","username":"alice"},"chat":{"id":1001,"first_name":"Alice","type":"private"},"date":1767225601,"text":"/agenda  next friday ","entities":[{"offset":0,"length":7,"type":"bot_command"}]}}
    """
    case groupCommandForUs = """
    {"update_id":812345003,"message":{"message_id":310,"from":{"id":1002,"is_bot":false,"first_name":"Bob","username":"bob"},"chat":{"id":-1001234567890,"title":"Team","type":"supergroup"},"date":1767225602,"text":"/TODAY@stewardtestbot","entities":[{"offset":0,"length":21,"type":"bot_command"}]}}
    """
    case groupCommandForAnotherBot = """
    {"update_id":812345004,"message":{"message_id":311,"from":{"id":1002,"is_bot":false,"first_name":"Bob"},"chat":{"id":-1001234567890,"title":"Team","type":"supergroup"},"date":1767225603,"text":"/today@OtherBot","entities":[{"offset":0,"length":15,"type":"bot_command"}]}}
    """
    case groupMention = """
    {"update_id":812345005,"message":{"message_id":312,"from":{"id":1002,"is_bot":false,"first_name":"Bob"},"chat":{"id":-4001,"title":"Team","type":"group","all_members_are_administrators":true},"date":1767225604,"text":"@StewardTestBot when am I free friday?","entities":[{"offset":0,"length":15,"type":"mention"}]}}
    """
    case groupChatter = """
    {"update_id":812345006,"message":{"message_id":313,"from":{"id":1002,"is_bot":false,"first_name":"Bob"},"chat":{"id":-4001,"title":"Team","type":"group"},"date":1767225605,"text":"lunch anyone? cc @StewardTestBotFan"}}
    """
    case groupReplyToBot = """
    {"update_id":812345007,"message":{"message_id":314,"from":{"id":1002,"is_bot":false,"first_name":"Bob"},"chat":{"id":-4001,"title":"Team","type":"group"},"date":1767225606,"text":"and on monday?","reply_to_message":{"message_id":300,"from":{"id":7000000001,"is_bot":true,"first_name":"Steward","username":"StewardTestBot"},"chat":{"id":-4001,"title":"Team","type":"group"},"date":1767225000,"text":"Friday: free 14:00–16:00"}}}
    """
    case buttonTap = """
    {"update_id":812345008,"callback_query":{"id":"4382bfdwdsb323b2d9","from":{"id":1001,"is_bot":false,"first_name":"Alice","username":"alice"},"message":{"message_id":77,"from":{"id":7000000001,"is_bot":true,"first_name":"Steward","username":"StewardTestBot"},"chat":{"id":1001,"first_name":"Alice","type":"private"},"date":1767225000,"text":"Add Lunch on Friday 12:00–13:00?","reply_markup":{"inline_keyboard":[[{"text":"Approve","callback_data":"s1:ap_1:a"},{"text":"Reject","callback_data":"s1:ap_1:r"}]]}},"chat_instance":"-88123","data":"s1:ap_1:a"}}
    """
    case editedMessage = """
    {"update_id":812345009,"edited_message":{"message_id":51,"from":{"id":1001,"is_bot":false,"first_name":"Alice"},"chat":{"id":1001,"first_name":"Alice","type":"private"},"date":1767225600,"edit_date":1767225700,"text":"what's on friday?"}}
    """
    case photoWithoutText = """
    {"update_id":812345010,"message":{"message_id":53,"from":{"id":1001,"is_bot":false,"first_name":"Alice"},"chat":{"id":1001,"first_name":"Alice","type":"private"},"date":1767225601,"photo":[{"file_id":"AgAD","file_unique_id":"AQAD","width":90,"height":90,"file_size":1234}],"caption":"look"}}
    """
    case unreadableMessage = """
    {"update_id":812345011,"message":{"message_id":"not-a-number","chat":"?"}}
    """
}

@Suite("TelegramNormalizer: recorded updates to InboundEvent")
struct TelegramNormalizerTests {
    let normalizer = TelegramNormalizer(botUsername: "StewardTestBot", botID: 7_000_000_001)
    let now = Date(timeIntervalSince1970: 1_767_225_610)

    func normalize(_ recorded: RecordedUpdate) throws -> InboundEvent? {
        normalizer.normalize(try decodeUpdate(recorded.rawValue), receivedAt: now)
    }

    @Test func privateTextIsAMessageFromItsSender() throws {
        let event = try #require(try normalize(.privateText))
        #expect(event.id == "telegram:update:812345001")
        #expect(event.kind == .message("what's on tomorrow?"))
        #expect(event.sender == ChatIdentity(platform: .telegram, userID: "1001"))
        #expect(event.senderName == "Alice Archer")
        #expect(event.chat == ChatRef(platform: .telegram, chatID: "1001", isPrivate: true))
        #expect(event.receivedAt == now)
    }

    @Test func commandsAreLowerCasedWithTrimmedArguments() throws {
        #expect(try normalize(.privateCommandWithArguments)?.kind == .command(name: "agenda", arguments: "next friday"))
        let group = try #require(try normalize(.groupCommandForUs))
        #expect(group.kind == .command(name: "today", arguments: ""))
        #expect(group.chat == ChatRef(platform: .telegram, chatID: "-1001234567890", isPrivate: false))
    }

    @Test func commandsForAnotherBotAreNotForUs() throws {
        #expect(try normalize(.groupCommandForAnotherBot) == nil)
        let update = TelegramUpdate(updateID: 1, message: TelegramMessage(
            messageID: 1, from: TelegramUser(id: 5, isBot: false, firstName: "A"),
            chat: TelegramChat(id: 5, type: "private"), date: 0, text: "/help@SomeoneElseBot"))
        #expect(normalizer.normalize(update) == nil, "not even in a private chat")
    }

    @Test func aMentionInAGroupIsAMessageWithoutTheMention() throws {
        #expect(try normalize(.groupMention)?.kind == .message("when am I free friday?"))
        #expect(normalizer.strippingMention(from: "ping @stewardtestbot, /today") == "ping , /today")
        #expect(normalizer.strippingMention(from: "@StewardTestBot /week")
                    .flatMap { normalizer.parseCommand($0) } == .some(.some(.command(name: "week", arguments: ""))))
    }

    @Test func otherGroupChatterIsIgnored() throws {
        #expect(try normalize(.groupChatter) == nil, "@StewardTestBotFan is not a mention of us")
    }

    @Test func aReplyToTheBotInAGroupIsForUs() throws {
        #expect(try normalize(.groupReplyToBot)?.kind == .message("and on monday?"))
    }

    @Test func aButtonTapIsAnActionWithTheCardAndTheReceipt() throws {
        let event = try #require(try normalize(.buttonTap))
        #expect(event.kind == .action(token: "s1:ap_1:a"))
        #expect(event.sourceMessageID == "77")
        #expect(event.actionReceipt == "4382bfdwdsb323b2d9")
        #expect(event.chat == ChatRef(platform: .telegram, chatID: "1001", isPrivate: true))
        #expect(event.sender.userID == "1001")
    }

    @Test func editsPhotosAndUnreadableMessagesYieldNothingButStillDecode() throws {
        #expect(try normalize(.editedMessage) == nil, "answering an edit would run the request twice")
        #expect(try normalize(.photoWithoutText) == nil)
        let unreadable = try decodeUpdate(RecordedUpdate.unreadableMessage.rawValue)
        #expect(unreadable.updateID == 812_345_011, "the update id survives so the offset can move past it")
        #expect(normalizer.normalize(unreadable) == nil)
    }

    @Test func aBatchWithAnOddUpdateStillDecodes() throws {
        let batch = "[" + RecordedUpdate.allCases.map(\.rawValue).joined(separator: ",") + "]"
        let updates = try JSONDecoder().decode([TelegramUpdate].self, from: Data(batch.utf8))
        #expect(updates.count == RecordedUpdate.allCases.count)
        #expect(updates.compactMap { normalizer.normalize($0) }.count == 6)
    }

    @Test func slashTextThatIsNoCommandIsPlainText() {
        #expect(normalizer.parseCommand("/usr/bin is a path") == nil)
        #expect(normalizer.parseCommand("/") == nil)
        #expect(normalizer.parseCommand("hello") == nil)
    }
}
