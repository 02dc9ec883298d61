import Testing

@testable import MetaDump

/// A view that a mysqldump file restored under another name is re-created as `CREATE OR REPLACE`.
@Suite struct ViewRequalifyTests {
    @Test("CREATE becomes CREATE OR REPLACE whatever the options; other text is no statement to replace")
    func orReplace() {
        #expect(Restorer.orReplace("CREATE VIEW `v` AS select 1") == "CREATE OR REPLACE VIEW `v` AS select 1")
        #expect(
            Restorer.orReplace("create ALGORITHM=UNDEFINED DEFINER=`a`@`%` VIEW `v` AS select 1")
                == "CREATE OR REPLACE ALGORITHM=UNDEFINED DEFINER=`a`@`%` VIEW `v` AS select 1")
        #expect(Restorer.orReplace("SELECT 1") == nil)
    }
}
