import Foundation

/// A busy period as seconds since the reference date: plain doubles keep the hot loop free of `Date` calls.
struct BusySpan {
    var start: TimeInterval
    var end: TimeInterval
}

/// The busy periods that touch the search range, in no particular order.
struct BusySpans {
    var spans: [BusySpan]
    let lower: TimeInterval
    let upper: TimeInterval

    /// Widens own timed events by the buffer, turns own all-day events into whole local days, adds the
    /// attendees' busy time, and keeps only what overlaps `[lower, upper)`.
    static func collect(_ request: FreeSlotRequest, from lower: TimeInterval, to upper: TimeInterval,
                        clock: ZoneClock) -> BusySpans {
        let zone = clock.zone
        let buffer = TimeInterval(max(request.settings.bufferMinutes, 0) * 60)
        // All-day events are clipped to the local days around the range: the clock knows no others.
        let firstDay = clock.dayNumber(of: lower) - 1, lastDay = clock.dayNumber(of: upper) + 1
        var spans: [BusySpan] = []
        spans.reserveCapacity(request.ownEvents.count + request.othersBusy.count)

        // Indexing instead of `for event in`: copying each event would retain and release its strings,
        // which costs more than everything else here put together.
        let events = request.ownEvents
        for index in events.indices where events[index].blocksTime {
            switch events[index].start {
            case .dateTime(let start, _):
                let end: TimeInterval
                if case .dateTime(let date, _) = events[index].end {
                    end = date.timeIntervalSinceReferenceDate
                } else {
                    end = events[index].end.instant(in: zone).timeIntervalSinceReferenceDate
                }
                let begin = start.timeIntervalSinceReferenceDate
                // A zero-length event is a marker (a reminder, a deadline), not a meeting.
                guard end > begin, end + buffer > lower, begin - buffer < upper else { continue }
                spans.append(BusySpan(start: begin - buffer, end: end + buffer))
            case .date(let first):
                // The end date is exclusive; a missing or inverted end means the one day.
                let day = CivilDays.number(year: first.year, month: first.month, day: first.day)
                var endDay = day + 1
                if case .date(let last) = events[index].end {
                    endDay = max(endDay, CivilDays.number(year: last.year, month: last.month, day: last.day))
                }
                let from = max(firstDay, day), to = min(lastDay, endDay)
                if from < to { spans.append(BusySpan(start: clock.startOfDay(from), end: clock.startOfDay(to))) }
            }
        }
        for interval in request.othersBusy {
            let span = BusySpan(start: interval.start.timeIntervalSinceReferenceDate,
                                end: interval.end.timeIntervalSinceReferenceDate)
            if span.end > span.start, span.end > lower, span.start < upper { spans.append(span) }
        }
        return BusySpans(spans: spans, lower: lower, upper: upper)
    }

    /// Groups the spans into equal-width time buckets by start (a counting sort: O(n), no comparisons),
    /// about four spans to a bucket. Each bucket is sorted only when the sweep reaches it, so a search that
    /// finds its slots early never pays for ordering the rest of the window.
    func orderedByStart() -> OrderedBusySpans {
        let bucketCount = min(max(spans.count / 4, 1), 1 << 14)
        let width = (upper - lower) / Double(bucketCount)
        func bucket(_ start: TimeInterval) -> Int {
            // Spans that began before the range share the first bucket; all starts are < upper.
            start <= lower ? 0 : min(Int((start - lower) / width), bucketCount - 1)
        }
        // ends[b] counts, then (prefix sums) marks where bucket b ends; the scatter below moves each
        // bucket's write position from its start to its end, so it needs no second table.
        var ends = [Int](repeating: 0, count: bucketCount)
        for span in spans { ends[bucket(span.start)] += 1 }
        var total = 0
        for index in ends.indices {
            total += ends[index]
            ends[index] = total - ends[index]  // for now: where bucket `index` starts
        }
        var ordered = [BusySpan](repeating: BusySpan(start: 0, end: 0), count: spans.count)
        for span in spans {
            let slot = bucket(span.start)
            ordered[ends[slot]] = span
            ends[slot] += 1
        }
        return OrderedBusySpans(spans: ordered, ends: ends)
    }
}

/// Busy spans grouped by start bucket; `sortBucket` finishes the order within one bucket.
struct OrderedBusySpans {
    var spans: [BusySpan]
    /// Bucket `b` holds the indices `ends[b - 1]..<ends[b]` (from 0 for the first).
    let ends: [Int]

    /// The non-empty buckets in time order. Captures only `ends`, so sorting a bucket while iterating
    /// does not copy `spans`.
    var buckets: some Sequence<Range<Int>> {
        let ends = ends
        return ends.indices.lazy.map { ($0 == 0 ? 0 : ends[$0 - 1])..<ends[$0] }.filter { !$0.isEmpty }
    }

    /// Insertion sort for the usual handful; the standard sort, in place, for a crowded bucket.
    mutating func sortBucket(_ range: Range<Int>) {
        guard range.count > 1 else { return }
        spans.withUnsafeMutableBufferPointer { buffer in
            guard range.count <= 24 else {
                buffer[range].sort { $0.start < $1.start }
                return
            }
            for index in range.dropFirst() {
                let span = buffer[index]
                var hole = index
                while hole > range.lowerBound && buffer[hole - 1].start > span.start {
                    buffer[hole] = buffer[hole - 1]
                    hole -= 1
                }
                buffer[hole] = span
            }
        }
    }
}
