import MetaDB
import Testing

@Suite("server kind from the version string (no server)")
struct ServerKindTests {
    @Test(
        "the OceanBase kernel is known by its full version string",
        arguments: [
            ("5.7.25-OceanBase seekdb-v1.4.0.0", true), ("5.7.25-OceanBase_CE-v4.2.1.2", true),
            ("10.11.19-MariaDB-0+deb12u1", false), ("8.0.36", false), ("5.7.25", false),
        ])
    func oceanBase(_ version: String, _ expected: Bool) {
        #expect(Connection.isOceanBase(serverVersion: version) == expected)
    }
}
