#!/usr/bin/env python3
"""Cuts Google's Calendar v3 or Gmail v1 discovery document down to what the fake Google serves.

Usage: trim-discovery.py path/to/calendar.v3.json > trimmed.json
       trim-discovery.py path/to/gmail.v1.json > trimmed.json
(the documents ship in google-api-python-client: googleapiclient/discovery_cache/documents/)

Keeps the global parameters, the served methods and every schema they reach; drops descriptions and
other prose. Gmail keeps each method's `scopes` too (the fake checks the token against them).
The output is pasted into Sources/StewardTesting/FakeGoogleDiscovery+Document.swift (Calendar) or
FakeGoogleDiscovery+GmailDocument.swift (Gmail).
"""
import json
import sys

# Resource path (dotted for nested resources) → served methods, per API.
SERVED = {
    "calendar": {"calendarList": ["list", "get"], "events": ["list", "get", "insert", "patch", "delete"], "freebusy": ["query"]},
    "gmail": {"users": ["getProfile"], "users.messages": ["list", "get", "modify"], "users.history": ["list"],
              "users.drafts": ["create", "get", "send", "delete"]},
}
KEEP = {"type", "format", "enum", "$ref", "items", "properties", "additionalProperties", "location", "required",
        "repeated", "minimum", "maximum", "default", "annotations", "httpMethod", "path", "parameters", "request",
        "response", "id"}


def strip(node, names_are_keys=False):
    """Keeps structural keys; below `properties` and `parameters` every key is a name and is kept."""
    if isinstance(node, dict):
        if names_are_keys:
            return {key: strip(value) for key, value in node.items()}
        return {key: strip(value, key in ("properties", "parameters")) for key, value in node.items() if key in KEEP}
    if isinstance(node, list):
        return [strip(value) for value in node]
    return node


def emit(node, indent=0, width=150):
    """JSON with short objects kept on one line, so the Swift file stays readable."""
    compact = json.dumps(node, sort_keys=True, separators=(", ", ": "))
    if len(compact) + indent <= width or not isinstance(node, (dict, list)):
        return compact
    pad = " " * (indent + 1)
    if isinstance(node, dict):
        items = [pad + json.dumps(key) + ": " + emit(value, indent + 1, width) for key, value in sorted(node.items())]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    return "[\n" + ",\n".join(pad + emit(value, indent + 1, width) for value in node) + "\n" + " " * indent + "]"


def main():
    document = json.load(open(sys.argv[1]))
    if document["name"] == "gmail":
        KEEP.add("scopes")
    resources = {}
    for path, methods in SERVED[document["name"]].items():
        # Nested resources (Gmail's users.messages) keep their nesting, as in the original document.
        source, target = document, {"resources": resources}
        for name in path.split("."):
            source = source["resources"][name]
            target = target.setdefault("resources", {}).setdefault(name, {})
        target.setdefault("methods", {}).update({name: strip(source["methods"][name]) for name in methods})
    reached = set()

    def collect(node):
        if isinstance(node, dict):
            reference = node.get("$ref")
            if reference and reference not in reached:
                reached.add(reference)
                collect(document["schemas"][reference])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(resources)
    schemas = {name: {k: v for k, v in strip(document["schemas"][name]).items() if k != "id"} for name in sorted(reached)}
    trimmed = {"name": document["name"], "version": document["version"], "revision": document["revision"],
               "rootUrl": document["rootUrl"], "servicePath": document["servicePath"],
               "parameters": strip(document["parameters"], True), "resources": resources, "schemas": schemas}
    print(emit(trimmed))


if __name__ == "__main__":
    main()
