/// Hides credentials in option values a report quotes: the user and password part of a URL
/// (`grpcs://user:token@remote.example:443` becomes `grpcs://…@remote.example:443`). Reports
/// end up in pull requests and CI logs; a remote cache's token must not.
public enum CredentialMasking {
    /// `text` with the user information of every URL in it replaced by `…`.
    public static func masked(_ text: String) -> String {
        guard text.contains("://"), text.contains("@") else { return text }
        var result = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            result += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == " " || $0 == "?" || $0 == "#" } ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                result += "…"
                rest = rest[at...]
            }
        }
        return result + rest
    }
}
