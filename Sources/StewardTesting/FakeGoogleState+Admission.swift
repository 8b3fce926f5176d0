import Foundation

extension FakeGoogleState {
    /// What an API call passed before its method runs.
    struct Admission {
        var body: FakeJSON?
        var grant: AccessGrant
    }

    /// The checks every Calendar and Gmail call goes through, in Google's order: a JSON body that parses,
    /// query and body shaped as the discovery document says, an injected fault, a live access token
    /// with one of `scopes`. Returns the refusal as `.failure`.
    func admit(methodID: String, query: [(name: String, value: String)], body: Data, contentType: String,
               bearer: String?, scopes allowed: Set<String>,
               request: inout FakeGoogleRequest) -> Result<Admission, FakeGoogleReplyRefusal> {
        request.method = methodID
        var json: FakeJSON?
        if !body.isEmpty {
            guard contentType.lowercased().contains("application/json"), let parsed = FakeJSON.parse(body) else {
                return .failure(.init(Self.apiError(400, reason: "parseError", message: "Parse Error")))
            }
            json = parsed
            request.body = parsed
        }
        if let problem = FakeGoogleDiscovery.queryProblem(methodID: methodID, query: query) {
            return .failure(.init(Self.apiError(400, reason: "invalid", message: problem, location: "query")))
        }
        if let problem = FakeGoogleDiscovery.bodyProblem(methodID: methodID, body: json) {
            return .failure(.init(Self.apiError(400, reason: problem.hasPrefix("Missing") ? "required" : "invalid",
                                                message: problem)))
        }
        if let fault = takeFault(for: methodID) { return .failure(.init(Self.reply(for: fault))) }
        let token = bearer ?? query.first { $0.name == "oauth_token" || $0.name == "access_token" }?.value
        guard let grant = accessGrant(token) else {
            return .failure(.init(Self.apiError(401, reason: "authError", message: "Invalid Credentials",
                                                location: "Authorization", headers: [
                ("WWW-Authenticate", #"Bearer realm="https://accounts.google.com/", error="invalid_token""#),
            ])))
        }
        request.account = grant.email
        guard grant.scopes.contains(where: allowed.contains) else {
            return .failure(.init(Self.apiError(403, reason: "insufficientPermissions",
                                                message: "Request had insufficient authentication scopes.")))
        }
        return .success(Admission(body: json, grant: grant))
    }

    /// Records a schema mismatch of a successful answer (tests assert there are none).
    func checkResponse(_ reply: FakeGoogleReply, methodID: String, schema: String?) {
        if let schema, reply.status == 200, let produced = FakeJSON.parse(reply.body),
           let problem = FakeGoogleDiscovery.problem(produced, schema: schema) {
            responseProblems.append("\(methodID): \(problem)")
        }
    }
}

/// A refusal as an `Error`, so admission can be a `Result`.
struct FakeGoogleReplyRefusal: Error {
    let reply: FakeGoogleReply
    init(_ reply: FakeGoogleReply) { self.reply = reply }
}
