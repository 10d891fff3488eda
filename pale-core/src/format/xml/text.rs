//! What may appear in XML text, attribute values and element names.

/// U+FFFD, written in place of characters XML 1.0 does not allow.
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

/// Whether `name` may be used as an element name: ASCII letters, digits,
/// `_`, `-` and `.`, starting with a letter or `_`, and not starting with
/// `xml` in any case (reserved by the XML specification). Called for every
/// field, so it is a table lookup per byte.
#[inline]
pub(super) fn is_safe_name(name: &str) -> bool {
    let Some((&first, rest)) = name.as_bytes().split_first() else {
        return false;
    };
    if !NAME_START[first as usize] {
        return false;
    }
    // `| 0x20` lower-cases ASCII letters; no other byte maps onto these.
    if first | 0x20 == b'x'
        && let [m, l, ..] = rest
        && m | 0x20 == b'm'
        && l | 0x20 == b'l'
    {
        return false;
    }
    // A branch-free fold: names are short and almost always valid, so
    // checking every byte beats stopping early.
    rest.iter().fold(true, |ok, &b| ok & NAME_CHAR[b as usize])
}

static NAME_START: [bool; 256] = name_bytes(false);
static NAME_CHAR: [bool; 256] = name_bytes(true);

const fn name_bytes(later: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphabetic()
            || c == b'_'
            || (later && (c.is_ascii_digit() || c == b'-' || c == b'.'));
        b += 1;
    }
    table
}

/// Bytes that need attention in text: `&`, `<`, `>`, every control
/// character except tab and newline (`\r` is escaped so that it survives
/// end-of-line normalisation; the rest are not allowed in XML 1.0), and
/// `0xEF`, the lead byte of U+FFFE and U+FFFF.
pub(super) static TEXT: [bool; 256] = special_bytes(false);

/// Bytes that need attention in an attribute value: those of [`TEXT`],
/// `"`, and tab and newline, which attribute-value normalisation would
/// otherwise turn into spaces.
pub(super) static ATTRIBUTE: [bool; 256] = special_bytes(true);

const fn special_bytes(attribute: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = attribute || (b != b'\t' as usize && b != b'\n' as usize);
        b += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = attribute;
    table[0xEF] = true;
    table
}

/// Appends `text` to `out`, escaped by `special`, copying the runs between
/// special bytes in one go.
pub(super) fn escape(out: &mut Vec<u8>, text: &str, special: &[bool; 256]) {
    let bytes = text.as_bytes();
    // Most text needs no escaping: find that out branch-free, copy it whole.
    if !bytes
        .iter()
        .fold(false, |any, &b| any | special[b as usize])
    {
        out.extend_from_slice(bytes);
        return;
    }
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !special[b as usize] {
            i += 1;
            continue;
        }
        let (replacement, len): (&[u8], usize) = match b {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            b'"' => (b"&quot;", 1),
            b'\t' => (b"&#9;", 1),
            b'\n' => (b"&#10;", 1),
            b'\r' => (b"&#13;", 1),
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF; every other
            // character starting with EF is fine.
            0xEF => match bytes.get(i + 1..i + 3) {
                Some([0xBF, 0xBE | 0xBF]) => (REPLACEMENT, 3),
                _ => {
                    i += 1;
                    continue;
                }
            },
            _ => (REPLACEMENT, 1),
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(replacement);
        i += len;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
}
