extension ContainerRunSpec {
    /// The `docker run` command as an operator would paste it into a shell.
    ///
    /// One flag per line, every line but the last ending in ` \`, values shell-quoted, no
    /// comment lines inside the command (the vendor guide's slip), and no secret values:
    /// secret-looking variables appear as a bare `-e NAME`, taken from the caller's environment.
    public func shellCommand(executable: String = "docker") -> String {
        let groups = argumentGroups()
        var lines: [String] = []
        for (index, group) in groups.enumerated() {
            let words = (index == 0 ? [executable] : []) + group
            let text = words.map(ShellQuoting.quote).joined(separator: " ")
            lines.append(index == 0 ? text : "  " + text)
        }
        return lines.enumerated()
            .map { $0.offset == lines.count - 1 ? $0.element : $0.element + " \\" }
            .joined(separator: "\n")
    }
}
