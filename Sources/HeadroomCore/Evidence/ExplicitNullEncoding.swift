/// Report models whose JSON lists every field, `null` included, so the keys a reader relies on
/// are there even when the input did not give a figure.
public protocol ExplicitNullEncoding: Encodable {}

extension ExplicitNullEncoding {
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        for child in Mirror(reflecting: self).children {
            guard let label = child.label, let value = child.value as? any Encodable else { continue }
            try container.encode(value, forKey: FieldKey(label))
        }
    }
}

/// A coding key made from a property name.
package struct FieldKey: CodingKey {
    package var stringValue: String
    package var intValue: Int? { nil }
    package init(_ name: String) { stringValue = name }
    package init?(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { nil }
}
