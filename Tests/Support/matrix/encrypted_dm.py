#!/usr/bin/env python3
"""A Matrix user with end-to-end encryption (matrix-nio + vodozemac) for the Pantalaimon round trip.

    encrypted_dm.py HOMESERVER USER_ID PASSWORD BOT_ID TEXT EXPECTED

Logs in, opens an encrypted direct chat with BOT_ID, waits for it to join, sends TEXT encrypted, and waits for
an answer from BOT_ID that it can decrypt and that contains EXPECTED. Prints `OK <body>` and exits 0, or
prints why and exits 1 (after 60 s at most).
"""
import asyncio, sys, tempfile, time

from nio import AsyncClient, AsyncClientConfig, RoomMessageNotice, RoomMessageText, MegolmEvent
from nio.api import RoomPreset


async def main(homeserver, user_id, password, bot_id, text, expected):
    store = tempfile.mkdtemp(prefix="nio-store-")
    client = AsyncClient(homeserver, user_id, store_path=store,
                         config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True))
    try:
        await client.login(password)
        await client.sync(timeout=0, full_state=True)
        created = await client.room_create(is_direct=True, invite=[bot_id], preset=RoomPreset.trusted_private_chat,
                                           initial_state=[{"type": "m.room.encryption", "state_key": "",
                                                           "content": {"algorithm": "m.megolm.v1.aes-sha2"}}])
        room_id = created.room_id
        deadline = time.time() + 60
        sent = False
        waiting = []
        while time.time() < deadline:
            response = await client.sync(timeout=1000)
            if client.should_upload_keys:
                await client.keys_upload()
            if client.should_query_keys:
                if client.should_query_keys:
                    await client.keys_query()
            if client.should_claim_keys:
                await client.keys_claim(client.get_users_for_key_claiming())
            room = client.rooms.get(room_id)
            if not sent and room is not None and bot_id in room.users:
                # Steward's device (Pantalaimon's) must be known before the room key can be shared with it.
                if client.should_query_keys:
                    await client.keys_query()
                if not list(client.device_store.active_user_devices(bot_id)):
                    continue
                missing = client.get_missing_sessions(room_id)
                if missing:
                    await client.keys_claim(missing)
                answer = await client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": text},
                                                ignore_unverified_devices=True)
                sent = hasattr(answer, "event_id")
                if not sent:
                    print(f"note: send failed, retrying: {answer}", file=sys.stderr)
                continue
            joined = getattr(response, "rooms", None)
            timeline = joined.join.get(room_id).timeline.events if joined and room_id in joined.join else []
            # A room key may arrive (to-device) after the message it opens: retry the ones kept so far.
            retried = []
            for pending in waiting:
                try:
                    retried.append(client.decrypt_event(pending))
                except Exception:
                    pass
            waiting = [e for e in waiting if not any(getattr(r, "event_id", None) == e.event_id for r in retried)]
            for event in list(timeline) + retried:
                if event.sender != bot_id:
                    continue
                if isinstance(event, (RoomMessageNotice, RoomMessageText)) and expected in event.body:
                    if not event.decrypted:
                        print(f"FAIL the answer came unencrypted: {event.body[:200]}")
                        return 1
                    print(f"OK {event.body[:200]}")
                    return 0
                if isinstance(event, MegolmEvent):
                    waiting.append(event)
        print(f"FAIL no decryptable answer containing {expected!r} within 60 s (sent: {sent})")
        return 1
    finally:
        await client.close()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(*sys.argv[1:7])))
