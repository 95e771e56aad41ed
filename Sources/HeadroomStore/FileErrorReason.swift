import Foundation
import HeadroomRender

/// The reason a file operation failed, as the C library says it (`No space left on device`),
/// rather than Foundation's general "The operation could not be completed".
package enum FileErrorReason {
    static func describe(_ error: Error) -> String {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }
}
