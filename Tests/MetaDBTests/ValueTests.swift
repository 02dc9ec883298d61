import MetaDB
import Testing

@Suite("Value, Secret and error text (no server)")
struct ValueTests {
    @Test("NULL and the empty string are distinct")
    func nullVersusEmpty() {
        #expect(Value.null.isNull)
        #expect(Value.null.bytes == nil)
        #expect(Value.null.string == nil)
        #expect(!Value.bytes([]).isNull)
        #expect(Value.bytes([]).string == "")
        #expect(Value.null != Value.bytes([]))
    }

    @Test("integers parse strictly and within range")
    func integers() {
        #expect(Value("-9223372036854775808").int64 == .min)
        #expect(Value("9223372036854775807").int64 == .max)
        #expect(Value("9223372036854775808").int64 == nil)
        #expect(Value("18446744073709551615").uint64 == .max)
        #expect(Value("-1").uint64 == nil)
        #expect(Value("+7").int64 == 7)
        #expect(Value("12a").int64 == nil)
        #expect(Value(" 12").int64 == nil)
        #expect(Value("").int64 == nil)
        #expect(Value("1.5").int64 == nil)
        #expect(Value.null.int64 == nil)
    }

    @Test("doubles, invalid UTF-8 and BIT values")
    func otherAccessors() {
        #expect(Value("1.7976931348623157e308").double == .greatestFiniteMagnitude)
        #expect(Value("-0.5").double == -0.5)
        #expect(Value("x").double == nil)
        #expect(Value.bytes([0xFF, 0xFE]).string == nil)
        #expect(Value.bytes([0x01, 0x02]).bitValue == 0x0102)
        #expect(Value.bytes([UInt8](repeating: 0xFF, count: 8)).bitValue == .max)
        #expect(Value.bytes([UInt8](repeating: 0, count: 9)).bitValue == nil)
        #expect(Value.bytes([0xFF]).description == "0xff")
        #expect(Value.null.description == "NULL")
    }

    @Test("a Secret never prints its value")
    func secretIsHidden() {
        let secret = Secret("hunter2-very-secret")
        #expect("\(secret)" == "******")
        #expect(String(describing: secret) == "******")
        #expect(String(reflecting: secret) == "******")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        let options = ConnectionOptions(host: "10.0.0.5", port: 2881, user: "root@oms_tenant", password: secret)
        #expect(options.endpoint == "root@oms_tenant@10.0.0.5:2881")
        var dumpedOptions = ""
        dump(options, to: &dumpedOptions)
        #expect(!dumpedOptions.contains("hunter2"))
        #expect(!String(describing: options).contains("hunter2"))
        #expect(!String(reflecting: options).contains("hunter2"))
        #expect(secret.reveal() == "hunter2-very-secret")
        #expect(ConnectionOptions(host: "::1", port: 3306, user: "u", password: secret).endpoint == "u@[::1]:3306")
    }

    @Test("connection options have the documented defaults")
    func optionDefaults() {
        let options = ConnectionOptions(host: "h", port: 1, user: "u", password: Secret("p"))
        #expect(options.connectTimeout == 10)
        #expect(options.readTimeout == 600)
        #expect(options.writeTimeout == 600)
        #expect(options.tls == .preferred)
        #expect(options.database == nil)
    }

    @Test("errors scrub the password, truncate the statement and suggest a remedy")
    func errorText() {
        let password = Secret("s3cr3t-pa55")
        let error = MetaDBError(
            kind: .connect, code: 1045, sqlState: "28000",
            message: "Access denied for user 'root'@'10.0.0.9' (using password: YES) s3cr3t-pa55",
            endpoint: "root@10.0.0.5:2881", password: password)
        #expect(!error.description.contains("s3cr3t-pa55"))
        #expect(!error.message.contains("s3cr3t-pa55"))
        #expect(
            error.description.hasPrefix(
                "Cannot connect to the metadata database as root@10.0.0.5:2881: MySQL error 1045 (28000): Access denied"
            ))
        #expect(error.description.contains("oms_meta_password"))

        let long = "SELECT '" + String(repeating: "x", count: 500) + "' /* s3cr3t-pa55 */"
        let query = MetaDBError(
            kind: .query, code: 1064, sqlState: "42000", message: "syntax", endpoint: "u@h:1",
            statement: long, password: password)
        #expect(query.statement!.count <= MetaDBError.maxStatementLength + 1)
        #expect(query.statement!.hasSuffix("…"))
        #expect(query.description.contains("MySQL error 1064 (42000)"))
        #expect(query.remedy != nil)

        let scrubbed = MetaDBError(
            kind: .query, message: "m", endpoint: "e",
            statement: "SET PASSWORD = PASSWORD('s3cr3t-pa55')", password: password)
        #expect(scrubbed.statement == "SET PASSWORD = PASSWORD('******')")

        for code: UInt32 in [1045, 2002, 2003, 2013, 2006, 1049, 1142, 1044, 1064] {
            #expect(MetaDBError(kind: .query, code: code, message: "m", endpoint: "e").remedy != nil, "code \(code)")
        }
    }

    @Test("column types name themselves and classify")
    func columnTypes() {
        #expect(ColumnType.longlong.description == "LONGLONG")
        #expect(ColumnType(rawValue: 8) == .longlong)
        #expect(ColumnType.newdecimal.isNumeric)
        #expect(!ColumnType.bit.isNumeric)
        #expect(ColumnType.blob.isStringOrBlob)
        let binary = Column(name: "b", type: .blob, charsetNumber: 63)
        #expect(binary.isBinary)
        #expect(!Column(name: "t", type: .blob, charsetNumber: 45).isBinary)
        #expect(!Column(name: "n", type: .long, charsetNumber: 63).isBinary)
    }
}
