import Foundation

/// Stops hammering a service that is down: after `failureThreshold` consecutive failures it *opens*
/// and refuses calls for `coolDown`; then it *half-opens* and lets one trial call through. The trial's
/// success closes it; its failure opens it again for another cool-down. `RemoteCall` keeps its books;
/// the clock is injected so the cool-down can be tested with a manual one.
public actor CircuitBreaker {
    public enum State: Sendable, Equatable {
        case closed, open, halfOpen
    }

    public let failureThreshold: Int
    public let coolDown: Duration
    private let clock: any RemoteClock
    private var consecutiveFailures = 0
    private var openedAt: Duration?
    private var trialInFlight = false

    public init(failureThreshold: Int = 5, coolDown: Duration = .seconds(30),
                clock: any RemoteClock = ContinuousRemoteClock()) {
        precondition(failureThreshold > 0, "failureThreshold must be positive")
        self.failureThreshold = failureThreshold
        self.coolDown = coolDown
        self.clock = clock
    }

    public var state: State {
        guard let openedAt else { return .closed }
        return clock.now - openedAt >= coolDown ? .halfOpen : .open
    }

    /// True when a call may go ahead now. In the half-open state only one trial call is allowed
    /// until its result is recorded.
    public func allowRequest() -> Bool {
        switch state {
        case .closed:
            return true
        case .open:
            return false
        case .halfOpen:
            guard !trialInFlight else { return false }
            trialInFlight = true
            return true
        }
    }

    public func recordSuccess() {
        consecutiveFailures = 0
        openedAt = nil
        trialInFlight = false
    }

    public func recordFailure() {
        consecutiveFailures += 1
        if trialInFlight || consecutiveFailures >= failureThreshold {
            openedAt = clock.now
        }
        trialInFlight = false
    }

    /// The result of a call that says nothing about the service's health (cancelled, a bad request):
    /// frees the half-open trial slot without changing the count.
    public func recordNeutral() {
        trialInFlight = false
    }
}
