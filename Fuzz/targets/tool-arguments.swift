import Foundation
@testable import StewardCore

// The model's tool calls: arguments are whatever text the model (or a prompt injection in a mail it
// read) produced. The first byte picks the tool. The arguments go through what the planner does with
// them: JSON parsing, schema validation, the date-time format, and for a calendar booking the stored
// payload's round trip (encode, decode, `draft()`), which the approval later executes. The stored
// payload shapes are also decoded straight from the input, as the orchestrator decodes an approval.
// Compiled together with LLMPlanner's JSONValue, JSONSchemaValidator, ToolRegistry(+Steward) and
// ChatTypes (the rest of LLMPlanner needs HTTP, which validation doesn't).
private let registry = ToolRegistry.steward
private let zone = TimeZone(identifier: "Australia/Adelaide")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzToolArguments(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let tool = registry.tools[Int(data[0]) % registry.tools.count]
    let body = Data(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let text = String(decoding: body, as: UTF8.self)

    if let value = JSONValue.parse(text) {
        _ = JSONValue.parse(value.data)
    }
    if case .success(let call) = registry.validate(ToolCall(id: "call_1", name: tool.name, arguments: text)) {
        book(call)
    }
    let decoder = JSONDecoder()
    if let stored = try? decoder.decode(CreateEventArguments.self, from: body) { _ = try? stored.draft() }
    if let stored = try? decoder.decode(MoveEventArguments.self, from: body) { _ = try? stored.spans() }
    if let stored = try? decoder.decode(CancelEventArguments.self, from: body) { _ = try? stored.span() }
    return 0
}

/// What the planner does with a validated booking: times parsed, the approval payload built and read back.
private func book(_ call: ValidatedToolCall) {
    guard call.name == CreateEventArguments.toolName,
          let start = call.arguments["start"]?.stringValue.flatMap(JSONSchemaValidator.parseDateTime),
          let end = call.arguments["end"]?.stringValue.flatMap(JSONSchemaValidator.parseDateTime), end > start
    else { return }
    let attendees = call.arguments["attendees"]?.arrayValue?.compactMap(\.stringValue) ?? []
    let arguments = CreateEventArguments(account: "ics:1", calendar: nil, uid: "fuzz-uid",
                                         title: call.arguments["title"]?.stringValue ?? "",
                                         start: start, end: end, timeZone: zone, attendees: attendees)
    guard let payload = try? arguments.encoded(),
          let stored = try? JSONDecoder().decode(CreateEventArguments.self, from: payload) else { return }
    _ = try? stored.draft()
}
