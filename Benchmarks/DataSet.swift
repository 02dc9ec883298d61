import Foundation
import MetaDB

/// The benchmark's data, generated on the server (the sequence engine's `seq_1_to_N`), never sent row by row.
struct DataSet {
    /// Rows of the heartbeat tables (the "2M" and "10M" ones) and of each of rm and cm.
    var heartbeatSmall: Int
    var heartbeatLarge: Int
    var metadataRows: Int

    static let prefix = "bench_md_"
    static let rm = prefix + "rm"
    static let cm = prefix + "cm"
    static let hbSmall = prefix + "hb_small"

    static func full() -> DataSet {
        DataSet(heartbeatSmall: 2_000_000, heartbeatLarge: 10_000_000, metadataRows: 300_000)
    }
    static func quick() -> DataSet { DataSet(heartbeatSmall: 200_000, heartbeatLarge: 1_000_000, metadataRows: 30_000) }

    /// The three databases backed up, restored and rolled back: rm, cm and a heartbeat database.
    var metadataDatabases: [String] { [Self.rm, Self.cm, Self.hbSmall] }

    /// Creates `database` with `heatbeat_sequence` holding ids 1...rows (like OMS's table, utf8).
    static func heartbeat(_ server: BenchServer, database: String, rows: Int) throws {
        try server.drop([database])
        try server.run(["CREATE DATABASE \(SQL.quoteIdentifier(database))"])
        try server.run(
            [
                """
                CREATE TABLE heatbeat_sequence (id bigint NOT NULL AUTO_INCREMENT, gmt_created datetime DEFAULT NULL,
                  gmt_modified datetime DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8
                """,
                "SET SESSION unique_checks = 0",
                // One transaction into an empty table: MariaDB's bulk-insert path.
                "SET autocommit = 0",
                """
                INSERT INTO heatbeat_sequence (id, gmt_created, gmt_modified) SELECT seq, \
                TIMESTAMP'2024-01-01 00:00:00' + INTERVAL seq SECOND, TIMESTAMP'2024-01-01 00:00:00' + INTERVAL seq SECOND \
                FROM seq_1_to_\(rows)
                """,
                "COMMIT",
            ], database: database)
    }

    /// rm and cm: OMS-like tables with JSON-ish configuration text, `metadataRows` rows per database.
    func metadata(_ server: BenchServer) throws {
        let third = max(1, metadataRows / 3)
        try server.drop([Self.rm, Self.cm])
        for db in [Self.rm, Self.cm] {
            try server.run(["CREATE DATABASE \(SQL.quoteIdentifier(db)) CHARACTER SET utf8mb4"])
        }
        let bulk = ["SET SESSION unique_checks = 0", "SET autocommit = 0"]
        try server.run(
            bulk + [
                """
                CREATE TABLE oms_project (id bigint AUTO_INCREMENT PRIMARY KEY, project_id varchar(64) NOT NULL,
                  name varchar(128) NOT NULL, status varchar(32) NOT NULL, config longtext, owner varchar(64),
                  gmt_create datetime(3) NOT NULL, gmt_modified datetime(3) NOT NULL, UNIQUE KEY uk_project (project_id),
                  KEY idx_status (status)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
                """,
                """
                INSERT INTO oms_project (project_id, name, status, config, owner, gmt_create, gmt_modified)
                SELECT CONCAT('np_', LPAD(seq, 10, '0')), CONCAT('migrate-', SUBSTR(MD5(seq), 1, 12)),
                  ELT(1 + seq % 4, 'RUNNING', 'FINISHED', 'FAILED', 'SUSPEND'),
                  CONCAT('{"source":{"type":"MYSQL","host":"10.0.', seq % 250, '.', seq % 200, '","port":3306,"user":"oms_user",',
                    '"databases":["db_', seq % 97, '"]},"sink":{"type":"OB_MYSQL","tenant":"t', seq % 13, '",',
                    '"note":"it''s \\\\ a \\"quoted\\" ', SUBSTR(SHA2(seq, 256), 1, 40), '"},"steps":["STRUCT","FULL","INCR"]}'),
                  CONCAT('user', seq % 50), TIMESTAMP'2023-01-01 00:00:00' + INTERVAL seq SECOND,
                  TIMESTAMP'2023-06-01 00:00:00.123' + INTERVAL seq SECOND
                FROM seq_1_to_\(third)
                """,
                """
                CREATE TABLE oms_normal_config (id bigint AUTO_INCREMENT PRIMARY KEY, cfg_name varchar(128) NOT NULL,
                  cfg_value text, description varchar(255), UNIQUE KEY uk_name (cfg_name)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
                """,
                """
                INSERT INTO oms_normal_config (cfg_name, cfg_value, description)
                SELECT CONCAT('cfg.', SUBSTR(MD5(seq), 1, 8), '.', seq), CONCAT('{"enable":', IF(seq % 2, 'true', 'false'),
                  ',"value":"', REPEAT(SUBSTR(MD5(seq * 7), 1, 16), 4), '"}'), CONCAT('配置项 ', seq, ' — setting')
                FROM seq_1_to_\(metadataRows - third)
                """,
                "COMMIT",
            ], database: Self.rm)
        try server.run(
            bulk + [
                """
                CREATE TABLE config_job (id bigint AUTO_INCREMENT PRIMARY KEY, `key` varchar(128) NOT NULL, `value` text,
                  gmt_modified timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), KEY idx_key (`key`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
                """,
                """
                INSERT INTO config_job (`key`, `value`, gmt_modified)
                SELECT CONCAT('job.', seq % 1000, '.', seq), CONCAT('{"cron":"0 */', 1 + seq % 59, ' * * * ?","args":"',
                  SUBSTR(SHA2(seq, 256), 1, 48), '","retry":', seq % 5, '}'), TIMESTAMP'2024-01-01 00:00:00.5' + INTERVAL seq SECOND
                FROM seq_1_to_\(metadataRows - third)
                """,
                """
                CREATE TABLE host (id bigint AUTO_INCREMENT PRIMARY KEY, resource_group_id bigint NOT NULL, ip varchar(64) NOT NULL,
                  tags varchar(255), payload blob, KEY idx_rg (resource_group_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
                """,
                """
                INSERT INTO host (resource_group_id, ip, tags, payload)
                SELECT seq % 100, CONCAT('10.', seq % 256, '.', (seq DIV 256) % 256, '.', seq % 7), CONCAT('zone-', seq % 3),
                  UNHEX(SHA2(seq, 512)) FROM seq_1_to_\(third)
                """,
                "COMMIT",
            ], database: Self.cm)
    }
}
