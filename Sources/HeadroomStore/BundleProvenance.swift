import Foundation

#if canImport(Glibc)
import Glibc
#endif
import HeadroomRender

/// Where a bundle was recorded and by whom, against this machine and this user: `verify` replays
/// a recorded command beyond its allowlists only with `--trust-bundle` when the bundle comes from
/// elsewhere, or does not say where it comes from.
public struct BundleProvenance: Sendable, Equatable {
    public var recordedHost: String?
    public var recordedUser: String?
    public var recordedUID: UInt32?
    public var localHost: String
    public var localUID: UInt32

    public init(recordedHost: String?, recordedUser: String?, recordedUID: UInt32?, localHost: String, localUID: UInt32) {
        self.recordedHost = recordedHost
        self.recordedUser = recordedUser
        self.recordedUID = recordedUID
        self.localHost = localHost
        self.localUID = localUID
    }

    /// The provenance a manifest states, against this machine and user.
    public static func of(_ manifest: BundleManifest) -> BundleProvenance {
        BundleProvenance(
            recordedHost: manifest.host.hostname, recordedUser: manifest.host.user, recordedUID: manifest.host.uid,
            localHost: ProcessInfo.processInfo.hostName, localUID: currentUID)
    }

    /// Recorded here by this user. A bundle that names no host or no user (written by an older
    /// Headroom, or edited) does not count as local.
    public var isLocal: Bool {
        recordedHost == localHost && recordedUID == localUID
    }

    /// `host "ci-7", user "builder" (uid 1001)`, as the manifest says.
    public var recordedDescription: String {
        let host = recordedHost.map { "host \(Self.quoted($0))" } ?? "an unnamed host"
        let user = recordedUser.map { "user \(Self.quoted($0))" } ?? (recordedUID == nil ? "an unnamed user" : "a user")
        return "\(host), \(user)\(recordedUID.map { " (uid \($0))" } ?? "")"
    }

    /// `host "box", uid 0`: this machine and user.
    public var localDescription: String {
        "host \(Self.quoted(localHost)), uid \(localUID)"
    }

    private static func quoted(_ text: String) -> String {
        "\"" + VisibleText.oneLine(String(text.prefix(200))) + "\""
    }

    /// This process's real user ID.
    public static var currentUID: UInt32 { getuid() }

    /// The login name of this process's real user, when the user database has one.
    public static var currentUser: String? {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}
