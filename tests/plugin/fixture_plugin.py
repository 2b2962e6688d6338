#!/usr/bin/env python3
"""A provider plugin in Python with the standard library only: the protocol without idform's headers.

It manages groups (description and members) in a JSON file named by its `state` setting. The
first argument may ask it to misbehave, for the tests of how idform copes: crash-on-apply,
hang-on-read, garbage-on-read, exit-on-hello; or to work slowly until the host cancels the
request (slow-apply, slow-read), or to ignore the cancel (ignore-cancel).
"""
import json, os, select, sys, time

mode = sys.argv[1] if len(sys.argv) > 1 else ""
state_file, groups = None, {}


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def cancelled(request):
    """Works on `request` until the host cancels it (a minute at most); answers the cancel."""
    if mode == "ignore-cancel":
        time.sleep(3600)
    ready, _, _ = select.select([sys.stdin], [], [], 60)
    if ready and json.loads(sys.stdin.readline() or "{}").get("type") == "cancel":
        send({"type": "error", "request": request, "category": "cancelled", "retryable": False,
              "summary": "stopped: the host cancelled the request"})
        return True
    return False


def save():
    with open(state_file, "w") as out:
        json.dump(groups, out)


for line in sys.stdin:
    message = json.loads(line)
    kind, request = message["type"], message.get("request", 0)
    if kind == "hello":
        if mode == "exit-on-hello":
            sys.exit(3)
        send({"type": "hello", "protocol_version": 1, "name": "fixture", "version": "1.0",
              "capabilities": {"kinds": [{"kind": "Group", "fields": ["description", "members"]}]},
              "settings_schema": {"type": "object", "required": ["state"], "additionalProperties": False,
                                  "properties": {"state": {"type": "string"}}}})
    elif kind == "configure":
        state_file = os.path.join(message.get("config_root", "."), message["settings"]["state"])
        groups = json.load(open(state_file)) if os.path.exists(state_file) else {}
        send({"type": "configured", "request": request})
    elif kind == "read":
        if mode == "hang-on-read":
            time.sleep(3600)
        if mode == "slow-read" and cancelled(request):
            continue
        if mode == "garbage-on-read":
            print("Traceback (most recent call last): something went wrong", flush=True)
        for group_id, group in sorted(groups.items()):
            send({"type": "resource", "request": request, "resource": {
                "kind": "Group", "name": group["name"], "id": group_id,
                "spec": {"description": group["description"], "members": group["members"]}}})
        send({"type": "read_done", "request": request, "resources": len(groups), "users": 0})
    elif kind == "apply":
        if mode == "crash-on-apply":
            os.abort()
        if mode in ("slow-apply", "ignore-cancel") and cancelled(request):
            continue
        change = message["change"]
        group_id = change.get("id") or "fx-%d" % (len(groups) + 1)
        if change["action"] == "delete":
            groups.pop(group_id, None)
        else:
            desired = change["desired"]
            groups[group_id] = {"name": change["name"], "description": desired.get("description", ""),
                                "members": desired.get("members", [])}
        save()
        send({"type": "applied", "request": request, "id": group_id})
    elif kind == "shutdown":
        send({"type": "goodbye", "request": request})
        break
    else:
        send({"type": "error", "request": request, "category": "invalid", "retryable": False,
              "summary": "unsupported message " + kind})
