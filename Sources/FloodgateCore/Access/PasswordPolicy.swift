/// What a staff password must be: long enough, and not one that every guessing list starts with.
public enum PasswordPolicy {
    /// The fewest characters.
    public static let minimumLength = 10

    /// Why `password` is refused for the account `email`, or nil when it is acceptable.
    public static func problem(with password: String, email: String = "") -> String? {
        if password.count < Self.minimumLength {
            return "The password needs at least \(Self.minimumLength) characters."
        }
        if password.utf8.count > 72 {
            // bcrypt reads only the first 72 bytes: more would look stronger than it is.
            return "The password can have at most 72 bytes (about 70 Latin letters)."
        }
        let folded = password.lowercased()
        if Self.common.contains(folded) || Self.isRun(folded) {
            return "This password is among the most common ones; choose another."
        }
        let local = email.lowercased().split(separator: "@").first.map(String.init) ?? ""
        if local.count >= 4, folded.contains(local) {
            return "The password must not contain the email's name."
        }
        return nil
    }

    /// One character repeated, or a run such as `1234567890` or `abcdefghij`.
    static func isRun(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars.map(\.value))
        guard scalars.count > 1 else { return true }
        let steps = Set(zip(scalars, scalars.dropFirst()).map { Int($1) - Int($0) })
        return steps.count == 1 && steps.first.map { abs($0) <= 1 } == true
    }

    /// The most common passwords of at least ten characters from public breach lists (SecLists' top lists), and
    /// the ones a flower or farm shop would reach for first.
    static let common: Set<String> = [
        "1234567890", "0123456789", "1234567891", "12345678910", "123456789a", "a123456789", "1q2w3e4r5t",
        "1q2w3e4r5t6y", "qwertyuiop", "qwertyuiop[]", "qwerty1234", "qwerty12345", "qwerty123456", "1qaz2wsx3edc",
        "zaq12wsxcde3", "asdfghjkl;", "asdfghjkl1", "zxcvbnm123", "password12", "password123", "password1234",
        "password!1", "passw0rd12", "p@ssw0rd12", "p@ssword123", "iloveyou12", "iloveyou123", "football123",
        "baseball123", "welcome123", "welcome1234", "sunshine123", "princess123", "dragon1234", "monkey1234",
        "letmein123", "trustno1234", "1234qwerty", "123qweasdzxc", "qweasdzxc123", "11111111111", "1111111111",
        "0000000000", "9876543210", "987654321a", "abc1234567", "abcd123456", "abcdef1234", "administrator",
        "admin12345", "admin123456", "adminadmin", "changeme123", "changeme1234", "superman123", "batman1234",
        "starwars123", "computer123", "internet123", "michael123", "jennifer123", "charlie123", "liverpool1",
        "chelsea123", "arsenal123", "manchester", "whatever123", "freedom123", "shadow1234", "master1234",
        "killer1234", "hello12345", "hellohello", "loveyou123", "qwer1234qwer", "q1w2e3r4t5", "q1w2e3r4t5y6",
        "1a2b3c4d5e", "a1b2c3d4e5", "floodgate1", "floodgate123", "flowers123", "flowers2026", "roses12345",
        "valentine1", "valentine14", "valentines", "bouquet123", "florist123", "greenbox123", "petals12345",
        "spring2026", "winter2026", "summer2026", "autumn2026", "february14", "shop123456", "shopadmin1",
        "moscow1234", "zurich1234", "correcthorse", "correct horse battery staple", "ytrewq4321",
    ]
}
