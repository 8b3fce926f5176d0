#!/usr/bin/env python3
"""Sync-to-reply latency of the steward binary on the local Synapse, and its RSS after the run.

    scripts/matrix-test-server.sh start
    swift build -c release
    .venv-matrix/bin/python Benchmarks/matrix/matrix_latency.py [--messages 5000] [--rate 20] [--binary .build/release/steward]

A user sends `/help` at a steady rate into a direct chat; latency is the homeserver's timestamp of each answer
minus that of its question (both stamped by the same Synapse), so it covers /sync pickup, storage, the answer,
the outbox and the send. Steward's account has the homeserver's rate limit lifted, as a bot account would.
"""
import argparse, concurrent.futures, hashlib, hmac, json, os, subprocess, sys, tempfile, time, urllib.parse, urllib.request, uuid, base64, socket

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def env():
    values = {}
    with open(os.path.join(ROOT, ".build-matrix/synapse.env")) as handle:
        for line in handle:
            key, _, value = line.strip().partition("=")
            values[key] = value
    return values["MATRIX_TEST_HOMESERVER_URL"], values["MATRIX_TEST_SHARED_SECRET"]


def call(base, method, path, token=None, body=None):
    target = path if path.startswith("/_") else "/_matrix/client/v3" + path
    data = json.dumps(body if body is not None else {}).encode() if method != "GET" else None
    request = urllib.request.Request(base + target, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}")


def register(base, secret, name, admin=False):
    username = f"{name}-{uuid.uuid4().hex[:8]}"
    password = "pw-" + uuid.uuid4().hex
    nonce = call(base, "GET", "/_synapse/admin/v1/register")["nonce"]
    message = "\0".join([nonce, username, password, "admin" if admin else "notadmin"]).encode()
    mac = hmac.new(secret.encode(), message, hashlib.sha1).hexdigest()
    answer = call(base, "POST", "/_synapse/admin/v1/register", body={
        "nonce": nonce, "username": username, "password": password, "admin": admin, "mac": mac})
    return answer["user_id"], password, answer["access_token"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--rooms", type=int, default=1, help="users, each in a DM with Steward; sends go round-robin")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/steward"))
    args = parser.parse_args()
    base, secret = env()
    admin_id, _, admin_token = register(base, secret, "admin", admin=True)
    bot_id, bot_password, bot_token = register(base, secret, "steward")
    users = [register(base, secret, f"user{n}") for n in range(args.rooms)]
    for who in [bot_id] + [u[0] for u in users]:
        call(base, "POST", f"/_synapse/admin/v1/users/{urllib.parse.quote(who)}/override_ratelimit", admin_token,
             {"messages_per_second": 0, "burst_count": 0})
    workdir = tempfile.mkdtemp(prefix="steward-matrix-bench-")
    environment = {"PATH": "/usr/bin:/bin", "USER": "bench", "STEWARD_DATA_DIR": os.path.join(workdir, "data"),
                   "MATRIX_HOMESERVER_URL": base, "MATRIX_ACCESS_TOKEN": bot_token,
                   "STEWARD_OWNERS": ",".join(f"matrix:{u[0]}" for u in users), "STEWARD_HTTP_PORT": str(free_port()),
                   "STEWARD_LOG_LEVEL": "error", "STEWARD_TIMEZONE": "Europe/Berlin"}
    steward = subprocess.Popen([args.binary], cwd=workdir, env=environment, stdin=subprocess.DEVNULL)
    try:
        rooms = []
        for user_id, _, user_token in users:
            room = call(base, "POST", "/createRoom", user_token, {"preset": "trusted_private_chat", "is_direct": True,
                                                                  "invite": [bot_id]})["room_id"]
            rooms.append((user_id, user_token, urllib.parse.quote(room)))
        deadline = time.time() + 60
        while time.time() < deadline:
            if all(bot_id in call(base, "GET", f"/rooms/{q}/joined_members", t)["joined"] for _, t, q in rooms):
                break
            time.sleep(0.1)
        else:
            sys.exit("Steward did not join the rooms")
        interval = 1.0 / args.rate
        start = time.monotonic()
        # A send takes longer than the interval on Synapse with SQLite: a few senders keep the schedule.
        # Pairs are matched in the room's order, which is the order Steward answers in.
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            for index in range(args.messages):
                delay = start + index * interval - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                _, token, quoted = rooms[index % len(rooms)]
                pool.submit(call, base, "PUT", f"/rooms/{quoted}/send/m.room.message/b{index}", token,
                            {"msgtype": "m.text", "body": "/help"})
        sent_seconds = time.monotonic() - start

        def events_of(quoted, token):
            events, position = [], None
            while True:
                path = f"/rooms/{quoted}/messages?dir=b&limit=1000" + (f"&from={urllib.parse.quote(position)}" if position else "")
                page = call(base, "GET", path, token)
                events += page.get("chunk", [])
                position = page.get("end")
                if not page.get("chunk") or not position:
                    return list(reversed(events))

        expected = {q: len(range(n, args.messages, len(rooms))) for n, (_, _, q) in enumerate(rooms)}
        deadline = time.time() + 900
        latencies, answered = [], 0
        while True:
            latencies, answered = [], 0
            for user_id, token, quoted in rooms:
                events = events_of(quoted, token)
                answers = [e for e in events if e["sender"] == bot_id and e["type"] == "m.room.message"]
                asks = [e for e in events if e["sender"] == user_id and e["type"] == "m.room.message"]
                answered += len(answers)
                latencies += [a["origin_server_ts"] - q["origin_server_ts"] for q, a in zip(asks, answers)]
            if answered >= args.messages or time.time() > deadline:
                break
            time.sleep(2)
        latencies.sort()
        answers = range(answered)
        with open(f"/proc/{steward.pid}/status") as handle:
            rss = next(line.split()[1] for line in handle if line.startswith("VmRSS"))
        pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
        print(f"matrix sync-to-reply: {len(answers)}/{args.messages} answered at {args.messages / sent_seconds:.1f} msg/s sent; "
              f"{len(rooms)} room(s); p50 {pick(0.5)} ms, p99 {pick(0.99)} ms, max {latencies[-1]} ms; steward RSS {int(rss) // 1024} MB "
              f"after {len(answers)} messages ({os.path.basename(args.binary)} build {os.path.dirname(args.binary)})")
    finally:
        steward.kill()
        steward.wait()


if __name__ == "__main__":
    main()
