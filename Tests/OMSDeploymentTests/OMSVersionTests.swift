import Foundation
import Testing

@testable import OMSDeployment

@Suite("OMS versions from image tags")
struct OMSVersionTests {
    @Test(
        "every tag seen in the field",
        arguments: [
            ("oms:feature_3.3.0_ce", OMSVersion(3, 3, 0)),
            ("feature_3.3.0-ce", OMSVersion(3, 3, 0)),
            ("oms:feature_3.3.0-ce", OMSVersion(3, 3, 0)),
            ("oms:feature_4.0.0-ce_bp1", OMSVersion(4, 0, 0, bugfixPack: 1)),
            ("oms:feature_4.2.7_ce", OMSVersion(4, 2, 7)),
            ("oms-ce:feature_4.2.11_ce", OMSVersion(4, 2, 11)),
            ("reg.example.com:5000/oceanbase/oms:feature_3.2.2_ce", OMSVersion(3, 2, 2)),
            ("reg.docker.alibaba-inc.com/oceanbase/oms:feature_3.2.2_ce", OMSVersion(3, 2, 2)),
            ("oms-fixture:3.2.2", OMSVersion(3, 2, 2)),
            ("3.2.2-CE", OMSVersion(3, 2, 2)),
            ("3.2.2", OMSVersion(3, 2, 2)),
            ("4.0.0-CE_BP1", OMSVersion(4, 0, 0, bugfixPack: 1)),
            ("oms:feature_3.2.2_ce@sha256:0123abcd", OMSVersion(3, 2, 2)),
        ])
    func parses(_ tag: String, _ expected: OMSVersion) {
        #expect(OMSVersion(parsing: tag) == expected)
    }

    @Test(
        "references that name no version",
        arguments: [
            "oms", "oms:latest", "reg.example.com:5000/oceanbase/oms", "sha256:a135ba3d5bb8", "feature_ce", "1.2", "",
            "reg.example.com:5000/oms3.2.2/oms:latest",
        ])
    func noVersion(_ tag: String) {
        #expect(OMSVersion(parsing: tag) == nil)
    }

    @Test("printed as X.Y.Z-CE")
    func printed() {
        #expect(OMSVersion(3, 3, 0).description == "3.3.0-CE")
        #expect(OMSVersion(parsing: "oms-ce:feature_4.2.11_ce")?.description == "4.2.11-CE")
        #expect(OMSVersion(4, 0, 0, bugfixPack: 1).description == "4.0.0-CE_BP1")
        #expect(OMSVersion(3, 3, 0).defaultContainerName == "oms_330")
    }

    @Test("ordered numerically, bug-fix packs after their release")
    func ordering() {
        #expect(OMSVersion(3, 2, 2) < OMSVersion(3, 3, 0))
        #expect(OMSVersion(4, 2, 9) < OMSVersion(4, 2, 11))
        #expect(OMSVersion(4, 0, 0) < OMSVersion(4, 0, 0, bugfixPack: 1))
        #expect(OMSVersion(4, 0, 0, bugfixPack: 1) < OMSVersion(4, 1, 0))
    }

    @Test("Codable as its printed form")
    func codable() throws {
        let data = try JSONEncoder().encode([OMSVersion(3, 3, 0)])
        #expect(String(decoding: data, as: UTF8.self) == #"["3.3.0-CE"]"#)
        #expect(try JSONDecoder().decode([OMSVersion].self, from: data) == [OMSVersion(3, 3, 0)])
    }
}
