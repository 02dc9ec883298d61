import Foundation
import Testing

@testable import MetaDump

@Suite struct ViewDefinitionTests {
    @Test func removesDefinerAndOwnDatabase() {
        let text =
            "CREATE ALGORITHM=UNDEFINED DEFINER=`ro``ot`@`%` SQL SECURITY DEFINER VIEW `v` AS select `rm`.`t`.`a` AS `a`,'`rm`.x' AS `b` from (`rm`.`t` join `other`.`u`)"
        let view = ViewDefinition(name: "v", showCreateView: text, database: "rm")
        #expect(view.definer == "`ro``ot`@`%`")
        #expect(
            view.statement
                == "CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select `t`.`a` AS `a`,'`rm`.x' AS `b` from (`t` join `other`.`u`)"
        )
    }

    @Test("a server that stores names in lower case names the own database so: removed whatever case it was given in")
    func removesTheOwnDatabaseInLowerCase() {
        let text = "CREATE VIEW `v` AS select `oms_rm`.`t`.`a` AS `a` from `oms_rm`.`t` join `Other`.`u`"
        let folded = ViewDefinition(name: "v", showCreateView: text, database: "OMS_RM", foldingCase: true)
        #expect(folded.statement == "CREATE VIEW `v` AS select `t`.`a` AS `a` from `t` join `Other`.`u`")
        // Where names keep their case, `oms_rm` is another database than `OMS_RM`.
        let kept = ViewDefinition(name: "v", showCreateView: text, database: "OMS_RM")
        #expect(kept.statement == text)
    }

    @Test func ordersViewsAfterTheViewsTheyUse() {
        let a = ViewDefinition(name: "a", statement: "CREATE VIEW `a` AS select * from `b`", definer: nil)
        let b = ViewDefinition(name: "b", statement: "CREATE VIEW `b` AS select * from `c`", definer: nil)
        let c = ViewDefinition(name: "c", statement: "CREATE VIEW `c` AS select * from `t`", definer: nil)
        #expect(ViewDefinition.dependencyOrder([a, b, c]).map(\.name) == ["c", "b", "a"])
    }

    @Test func stripsOnlyTheTableOptionAutoIncrement() {
        let text =
            "CREATE TABLE `t` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4"
        #expect(
            DefinitionHash.stripAutoIncrement(text)
                == "CREATE TABLE `t` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
        )
    }

    @Test func stripsTheOceanBaseAutoIncrementOption() {
        let text =
            "CREATE TABLE `t` (\n  `id` bigint(20) NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ORGANIZATION INDEX AUTO_INCREMENT = 1044 DEFAULT CHARSET = utf8mb4 PCTFREE = 0"
        #expect(
            DefinitionHash.stripAutoIncrement(text)
                == "CREATE TABLE `t` (\n  `id` bigint(20) NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ORGANIZATION INDEX DEFAULT CHARSET = utf8mb4 PCTFREE = 0"
        )
        #expect(
            DefinitionHash.createTable(text)
                == DefinitionHash.createTable(text.replacingOccurrences(of: "= 1044", with: "= 2001")))
    }
}
