/// Which of the sandbox's two metadata servers a test runs on: the same test takes it as a
/// Swift Testing argument (`@Test(arguments: MetadataServer.allCases)`), so both servers run
/// the same code.
public enum MetadataServer: String, Sendable, CaseIterable, CustomStringConvertible {
    /// MariaDB 10.11 on 127.0.0.1:3306 (`OMS_SANDBOX_MYSQL_*` in `.sandbox/sandbox.env`).
    case mariadb
    /// The OceanBase kernel (seekdb 1.4, embedded) behind a bridge on 127.0.0.1:2881
    /// (`OMS_SANDBOX_OB_*` in `.sandbox/sandbox.env`).
    case oceanbase

    /// The prefix of this server's variables in `sandbox.env`.
    var environmentPrefix: String {
        switch self {
        case .mariadb: "OMS_SANDBOX_MYSQL_"
        case .oceanbase: "OMS_SANDBOX_OB_"
        }
    }

    /// The server's name for messages and test names.
    public var description: String {
        switch self {
        case .mariadb: "MariaDB"
        case .oceanbase: "OceanBase"
        }
    }
}
