import HeadroomCore

/// JVM-style sizes on a command line: `512m`, `2g`, `1024k`, `1073741824`.
public enum JVMSize {
    public static func bytes(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> Int64? in
            var cursor = ByteCursor(UnsafeBufferPointer(buffer))
            guard let size = cursor.parseSize(), cursor.isAtEnd else { return nil }
            return size
        }
    }
}
