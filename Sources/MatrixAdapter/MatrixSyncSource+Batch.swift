import Foundation
import StewardCore

extension MatrixSyncSource {
    /// One `/sync` answer: invites, the direct-chat list, then the timeline events stored with `next_batch`.
    func handle(_ response: MatrixSyncResponse, botID: String, initial: Bool, generation: Int) async throws {
        var direct = try await directRooms()
        let before = direct
        for event in response.accountData?.events ?? [] where event.type == "m.direct" {
            // The bot's own m.direct (user → rooms) as the homeserver has it now.
            if let map = try? await client.directRooms(userID: botID) {
                for (user, rooms) in map { for room in rooms { direct[room] = user } }
            }
        }
        for (roomID, invited) in response.rooms?.invite ?? [:] {
            try await answerInvite(roomID: roomID, invited, botID: botID, direct: &direct)
        }
        if direct != before { try await saveDirectRooms(direct) }

        let normalizer = MatrixNormalizer(botUserID: botID)
        var events: [InboundEvent] = []
        var undecryptable: [String: Int] = [:]
        if !initial {
            for (roomID, room) in (response.rooms?.join ?? [:]).sorted(by: { $0.key < $1.key }) {
                let timeline = try await timelineEvents(roomID: roomID, room.timeline)
                for event in timeline where event.sender != botID {
                    if event.type == "m.room.encrypted" {
                        undecryptable[roomID, default: 0] += 1
                        continue
                    }
                    var choices: [String: String]?
                    if event.type == "m.reaction", let target = event.content.relatesTo?.eventID {
                        choices = try await cardChoices(target)
                    }
                    if let inbound = normalizer.normalize(event, roomID: roomID, isDirect: direct[roomID] == event.sender,
                                                          cardChoices: choices) {
                        events.append(inbound)
                    }
                }
            }
        }
        guard statusIsCurrent(generation) else { return }
        // The one write that matters: the events and the position together. Only after it is anything answered.
        try await sink.accept(events, position: Self.sinceKey, value: response.nextBatch)
        for (roomID, count) in undecryptable.sorted(by: { $0.key < $1.key }) {
            try await reportUndecryptable(count, in: roomID)
        }
    }

    /// The timeline in order; a `limited` one (the homeserver left a gap) is completed from `/messages`.
    private func timelineEvents(roomID: String, _ timeline: MatrixSyncResponse.Timeline?) async throws -> [MatrixEvent] {
        guard let timeline else { return [] }
        var events = timeline.events ?? []
        guard timeline.limited == true, var from = timeline.prevBatch, configuration.backfillPages > 0 else { return events }
        var older: [MatrixEvent] = []
        for _ in 0..<configuration.backfillPages {
            let page = try await client.messages(roomID: roomID, from: from, limit: configuration.backfillPageSize)
            let chunk = page.chunk ?? []
            older = chunk.reversed() + older
            guard let end = page.end, !chunk.isEmpty else { break }
            from = end
        }
        // Older than what Steward handled before is fine: those are dropped as duplicates by event id.
        let known = Set(events.compactMap(\.eventID))
        events = older.filter { !known.contains($0.eventID ?? "") } + events
        return events
    }

    /// Joins when the inviter is an owner or allowed user; otherwise leaves, once, saying nothing.
    private func answerInvite(roomID: String, _ invited: MatrixSyncResponse.InvitedRoom, botID: String,
                              direct: inout [String: String]) async throws {
        let memberEvents = (invited.inviteState?.events ?? []).filter { $0.type == "m.room.member" && $0.stateKey == botID }
        let invite = memberEvents.last { $0.content.membership == "invite" }
        guard let inviter = invite?.sender, await isAllowed(inviter) else {
            logger.notice("Matrix invite refused: not from an owner or allowed user",
                          metadata: ["inviter": "\(invite?.sender ?? "?")"])
            do { try await client.leave(roomID: roomID) } catch let error as MatrixError where error.status == 403 || error.status == 404 {
                // Already gone (the invite was withdrawn): nothing to leave.
            }
            return
        }
        do {
            try await client.join(roomID: roomID)
        } catch let error as MatrixError where error.status == 403 || error.status == 404 {
            logger.warning("Matrix invite could not be accepted", metadata: ["error": "\(error)"])
            return
        }
        logger.info("Matrix invite accepted", metadata: ["inviter": "\(inviter)", "direct": "\(invite?.content.isDirect == true)"])
        if invite?.content.isDirect == true {
            direct[roomID] = inviter
            // Recorded in the bot's m.direct too, so its clients (and a restart) see the DM as a DM.
            var map = (try? await client.directRooms(userID: botID)) ?? [:]
            if !(map[inviter] ?? []).contains(roomID) {
                map[inviter, default: []].append(roomID)
                do { try await client.setDirectRooms(userID: botID, map) } catch {
                    logger.warning("could not record the DM in m.direct", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Room id → the user it is a direct chat with.
    func directRooms() async throws -> [String: String] {
        if let cached = directCache.withLock({ $0 }) { return cached }
        var rooms: [String: String] = [:]
        if let text = try await state.value(Self.directRoomsKey) {
            rooms = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
        }
        directCache.withLock { $0 = rooms }
        return rooms
    }

    private func saveDirectRooms(_ rooms: [String: String]) async throws {
        // Forgotten first: a failed write must not leave a map the store doesn't have.
        directCache.withLock { $0 = nil }
        try await state.setValue(String(decoding: try JSONEncoder().encode(rooms), as: UTF8.self), for: Self.directRoomsKey)
        directCache.withLock { $0 = rooms }
    }

    /// The choices of a card Steward sent (emoji → token), or nil when `eventID` is no card of Steward's.
    private func cardChoices(_ eventID: String) async throws -> [String: String]? {
        guard let text = try await state.value(MatrixDeliveryChannel.cardKey(eventID)) else { return nil }
        return try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }

    /// Counts events Steward couldn't read and tells the room once, in plain text, why and what to do.
    private func reportUndecryptable(_ count: Int, in roomID: String) async throws {
        let total = (try await state.value(Self.undecryptableKey)).flatMap(Int.init) ?? 0
        try await state.setValue(String(total + count), for: Self.undecryptableKey)
        let noticeKey = Self.encryptedNoticeKey(roomID)
        guard try await state.value(noticeKey) == nil else { return }
        do {
            _ = try await client.send(roomID: roomID, type: "m.room.message",
                                      txnID: MatrixDeliveryChannel.transactionID(for: "encrypted-notice:\(roomID)"),
                                      content: try MatrixRenderer.plainNotice(Self.encryptedNotice))
            try await state.setValue(Date().formatted(.iso8601), for: noticeKey)
        } catch {
            logger.warning("could not tell an encrypted room that its messages are unreadable", metadata: ["error": "\(error)"])
        }
    }
}
