extension UpgradePlan {
    /// What decides whether a step runs, as this plan found it.
    var stepConditions: StepConditions { StepConditions(haEnabled: haEnabled) }

    /// Lists the steps of ``StepSequence/production`` the runner will execute, each with its
    /// summary, its downtime flag, its skip rule's reason and its manual commands; and the manual
    /// commands' prelude. Every plan gets its steps here, whatever its number of nodes.
    ///
    /// The manual commands are a one-node procedure: a plan of nodes named by `--node` lists the
    /// steps said for every node, without manual commands or their prelude.
    mutating func addSteps(from sequence: StepSequence = .production) {
        let digits = route.to.description.filter(\.isNumber)
        let manual = ManualCommands(
            databases: databases, backupDirectory: "/var/backups/oms-\(digits)",
            label: digits.isEmpty ? "upgrade" : digits, haKeys: haKeys)
        let node = ManualCommands.Node(
            newContainer: firstNode.newContainer, oldContainer: options.container,
            stopTimeout: options.stopTimeout, consoleURL: firstNode.newConsoleURL)
        let multiNode = isMultiNode
        let conditions = stepConditions
        manualPrelude =
            multiNode
            ? []
            : ManualCommands.prelude(
                host: metaServer.host, port: metaServer.port, user: metaServer.user, configPath: configPath)
        steps = sequence.upgrade.map { step in
            PlannedStep(
                id: step.id, summary: multiNode ? step.multiNodeSummary : step.summary,
                downtime: step.phase == .outage,
                manualCommands: multiNode ? [] : step.manualCommands(manual, node: node),
                skippedBecause: step.skipReason(conditions))
        }
    }
}
