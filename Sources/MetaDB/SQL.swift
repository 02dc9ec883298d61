/// Helpers for writing SQL text: quoting of identifiers and literals.
///
/// Prefer these over string interpolation of untrusted values. They assume the
/// connection character set is utf8mb4 (as ``Connection`` sets it), in which no
/// multi-byte character can contain a quote or backslash byte.
public enum SQL {}
