import Testing

@testable import MetaDump

/// The definer clause of a `SHOW CREATE …` text, as each server writes it, becomes the one form the
/// dumpers write and verify accepts.
@Suite struct ObjectDefinitionDefinerTests {
    @Test("the OceanBase kernel's unquoted, spaced definer becomes DEFINER=`user`@`host`")
    func oceanBaseForm() {
        let shown = "CREATE DEFINER = OMS_SANDBOX @ % TRIGGER ops_stamp BEFORE INSERT ON ops FOR EACH ROW SET NEW.a = 1"
        #expect(
            ObjectDefinition.canonicalDefinerClause(shown)
                == "CREATE DEFINER=`OMS_SANDBOX`@`%` TRIGGER ops_stamp BEFORE INSERT ON ops FOR EACH ROW SET NEW.a = 1")
    }

    @Test("MariaDB's form, hostile names and a view's ALGORITHM stay as they are")
    func mariaDBFormUnchanged() {
        let view = "CREATE ALGORITHM=UNDEFINED DEFINER=`a``b`@`h@x` SQL SECURITY DEFINER VIEW `v` AS select 1"
        #expect(ObjectDefinition.canonicalDefinerClause(view) == view)
        let routine = "CREATE DEFINER=`app`@`%` PROCEDURE `p`() SELECT 'DEFINER = x @ y'"
        #expect(ObjectDefinition.canonicalDefinerClause(routine) == routine)
    }

    @Test("a statement without a definer clause, or one only in its body, is not touched")
    func noClause() {
        let body = "CREATE PROCEDURE p() SELECT 'DEFINER = x @ y'"
        #expect(ObjectDefinition.canonicalDefinerClause(body) == body)
    }

    @Test("information_schema's quoted definer of the OceanBase kernel becomes user@host; MariaDB's stays")
    func plainDefiner() {
        #expect(ObjectDefinition.plainDefiner("'oms_sandbox'@'%'") == "oms_sandbox@%")
        #expect(ObjectDefinition.plainDefiner("'o''k'@'h'") == "o'k@h")
        #expect(ObjectDefinition.plainDefiner("app@%") == "app@%")
        #expect(ObjectDefinition.plainDefiner("'broken") == "'broken")
    }

    @Test("a character set reported as a collation is no collation")
    func collationName() {
        #expect(ObjectDefinition.collationName("utf8mb4") == nil)
        #expect(ObjectDefinition.collationName("utf8mb4_general_ci") == "utf8mb4_general_ci")
    }
}
