import Testing

/// Tags of the tests that need the sandbox: `scripts/unit-tests.sh` runs everything without them.
///
/// Tag a suite (or a single test) with every service it uses; a test that needs neither stays
/// untagged and must pass with MariaDB and dockerd down.
extension Tag {
    /// Needs MariaDB: the sandbox's server (``Sandbox/mysql()``) or a private `mariadbd` the test starts.
    @Tag public static var mariadb: Self
    /// Needs dockerd: the fixture images, the busybox test image, or any `docker` command.
    @Tag public static var docker: Self
}
