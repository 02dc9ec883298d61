import Testing

@testable import MetaDump

/// The `AUTO_INCREMENT` table option read from either server's `SHOW CREATE TABLE`.
@Suite struct AutoIncrementOptionTests {
    @Test("MariaDB's and the OceanBase kernel's spellings; the column attribute alone is not an option")
    func bothSpellings() {
        let mariadb = """
            CREATE TABLE `heatbeat_sequence` (
              `id` bigint(20) NOT NULL AUTO_INCREMENT,
              PRIMARY KEY (`id`)
            ) ENGINE=InnoDB AUTO_INCREMENT=10001 DEFAULT CHARSET=utf8mb3
            """
        let oceanBase = """
            CREATE TABLE `t` (
              `id` bigint(20) NOT NULL AUTO_INCREMENT,
              PRIMARY KEY (`id`)
            ) ORGANIZATION INDEX AUTO_INCREMENT = 4 DEFAULT CHARSET = utf8mb4 ROW_FORMAT = DYNAMIC
            """
        let none = """
            CREATE TABLE `t` (
              `id` bigint(20) NOT NULL AUTO_INCREMENT,
              PRIMARY KEY (`id`)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
            """
        #expect(HeartbeatPruner.autoIncrementOption(mariadb) == 10_001)
        #expect(HeartbeatPruner.autoIncrementOption(oceanBase) == 4)
        #expect(HeartbeatPruner.autoIncrementOption(none) == nil)
    }
}
