import StewardCore

// The model glue in StewardApp reads and writes through these protocols, not through `SQLiteStore`
// (see SQLiteStore+Model.swift for the queries).
extension SQLiteStore: ModelTokenRepository, ConversationRepository {}
