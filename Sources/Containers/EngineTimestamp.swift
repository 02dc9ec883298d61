import Foundation

/// Reads the times a container engine and a container's tools print.
public enum EngineTimestamp {
    /// Parses an RFC 3339 time as docker prints it (`2026-12-07T03:56:45.759350515Z`) or one as
    /// `stat -c %y` does (`2026-12-07 03:56:45.432446392 +0000`); nil otherwise.
    public static func parse(_ text: String) -> Date? {
        let chars = Array(text.trimmingCharacters(in: .whitespaces))
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= chars.count else { return nil }
            return Int(String(chars[from..<from + count]))
        }
        guard chars.count >= 19, chars[4] == "-", chars[7] == "-", chars[10] == "T" || chars[10] == " ",
            chars[13] == ":", chars[16] == ":", let year = number(0, 4), let month = number(5, 2),
            let day = number(8, 2), let hour = number(11, 2), let minute = number(14, 2),
            let second = number(17, 2)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < chars.count, chars[index] == "." {
            index += 1
            var scale = 0.1
            while index < chars.count, let digit = chars[index].wholeNumberValue {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
        }
        while index < chars.count, chars[index] == " " { index += 1 }
        var offset = 0
        if index < chars.count, chars[index] != "Z" {
            let sign = chars[index] == "-" ? -1 : 1
            guard chars[index] == "+" || chars[index] == "-", let hours = number(index + 1, 2) else { return nil }
            let minuteAt = index + 3 < chars.count && chars[index + 3] == ":" ? index + 4 : index + 3
            offset = sign * (hours * 3600 + (number(minuteAt, 2) ?? 0) * 60)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let components = DateComponents(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let whole = calendar.date(from: components) else { return nil }
        return whole.addingTimeInterval(fraction - Double(offset))
    }

    /// Splits a `docker logs --timestamps` line into the time it was written and its text; the
    /// whole line and nil when it does not start with a time.
    public static func splitLogLine(_ line: String) -> (text: String, writtenAt: Date?) {
        guard let space = line.firstIndex(of: " "), let time = parse(String(line[..<space])) else {
            return (line, nil)
        }
        return (String(line[line.index(after: space)...]), time)
    }
}
