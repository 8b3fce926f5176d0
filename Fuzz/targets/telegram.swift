import Foundation
import StewardCore

// A webhook body or one `getUpdates` entry: JSON → `TelegramUpdate` → `InboundEvent`, exactly as the
// webhook receiver does it. Compiled together with TelegramModels.swift and TelegramNormalizer.swift
// (the rest of the adapter needs HTTP, which decoding doesn't).
private let normalizers = [TelegramNormalizer(botUsername: "StewardTestBot", botID: 7_000_000_001),
                           TelegramNormalizer(botUsername: "@stewardtestbot")]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTelegram(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(UnsafeBufferPointer(start: data, count: size))
    guard let update = try? JSONDecoder().decode(TelegramUpdate.self, from: body) else { return 0 }
    for normalizer in normalizers {
        _ = normalizer.normalize(update, receivedAt: Date(timeIntervalSince1970: 1_780_000_000))
    }
    return 0
}
