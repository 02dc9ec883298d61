/// A first-in, first-out queue of jobs: appends at the end, takes from the front in O(1).
struct JobQueue {
    private var jobs: [BlockingJob?] = []
    private var head = 0

    /// How many jobs wait.
    var count: Int { jobs.count - head }

    mutating func append(_ job: BlockingJob) {
        jobs.append(job)
    }

    /// The oldest job, removed; `nil` when none waits.
    mutating func popFirst() -> BlockingJob? {
        guard head < jobs.count else { return nil }
        let job = jobs[head]
        jobs[head] = nil
        head += 1
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024, head * 2 >= jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }
}
