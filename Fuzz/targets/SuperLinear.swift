import Foundation

// An oracle for super-linear parsing that needs no large input from the fuzzer: now and then a small
// input is also parsed repeated until it is about 32 KB long. Work that grows linearly (or n log n) with
// the input takes at most about k times as long for k copies; a parser that rescans (quadratic or worse)
// takes far longer. The input is reported as a crash when the repeated parse costs over 0.1 s of CPU
// and more than 8 k times the single one. CPU time, not wall time, so a busy machine raises no alarm.
enum SuperLinear {
    nonisolated(unsafe) private static var calls = 0
    /// Every how many inputs the check runs (it costs a 32 KB parse); `FUZZ_SUPERLINEAR_EVERY=1` checks
    /// each, `0` turns the check off.
    private static let every = ProcessInfo.processInfo.environment["FUZZ_SUPERLINEAR_EVERY"].flatMap(Int.init) ?? 128

    static func check(_ input: UnsafeBufferPointer<UInt8>, _ parse: ([UInt8]) -> Void) {
        calls += 1
        guard every > 0, calls % every == 0, (1...1_024).contains(input.count) else { return }
        let single = Array(input)
        let copies = max(2, 32_768 / single.count)
        var repeated: [UInt8] = []
        repeated.reserveCapacity(single.count * copies)
        for _ in 0..<copies { repeated += single }
        let rounds = 8
        let once = cpuSeconds { for _ in 0..<rounds { parse(single) } } / Double(rounds)
        let many = cpuSeconds { parse(repeated) }
        if many > 0.1, many > 8 * Double(copies) * max(once, 1e-7) {
            fatalError("super-linear: \(single.count) bytes parse in \(Int(once * 1e6)) µs; \(copies) copies "
                       + "(\(repeated.count) bytes) in \(Int(many * 1e3)) ms")
        }
    }

    private static func cpuSeconds(_ work: () -> Void) -> Double {
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        work()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    }
}
