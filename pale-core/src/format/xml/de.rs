//! The XML decoder: `quick_xml`'s pull parser into the [`Raw`] tree.
//!
//! The document is walked with an explicit stack of open elements, never
//! by recursion, so a hostile 10,000-deep document costs a bounded stack
//! and is refused as soon as it passes the depth limit. Everything a
//! conforming parser would fetch or expand beyond the document itself — a
//! DTD, its entities, external references — is refused instead: that is
//! where the billion-laughs and XXE attacks live, and no API body needs it.
//!
//! Error messages say what is wrong and where (line and column, counted in
//! characters from 1), and never quote the input back.

use quick_xml::errors::{Error as XmlError, IllFormedError, SyntaxError};
use quick_xml::escape::EscapeError;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::argument::{Raw, RawMap};
use crate::format::DecodeLimits;

const UTF8_BOM: &str = "\u{FEFF}";

/// Decodes `body`; see the module docs of `format::xml` for the mapping.
/// The error is the detail of a `400 malformed_body`.
pub(super) fn from_slice(body: &[u8], limits: &DecodeLimits) -> Result<Raw, String> {
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(e) => {
            return Err(malformed(
                body,
                Some(e.valid_up_to()),
                "the body is not valid UTF-8",
            ));
        }
    };
    if let Some(at) = forbidden_char(text.as_bytes()) {
        return Err(malformed(
            body,
            Some(at),
            "the document contains a character XML does not allow",
        ));
    }
    let (offset, text) = match text.strip_prefix(UTF8_BOM) {
        Some(rest) => (UTF8_BOM.len(), rest),
        None => (0, text),
    };
    if text.bytes().all(is_xml_space) {
        return Err(malformed(body, None, "the body is empty"));
    }
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.expand_empty_elements = false;
    config.allow_dangling_amp = false;
    config.allow_unmatched_ends = false;
    config.trim_text(false);

    let mut decoder = Decoder {
        max_depth: limits.max_depth,
        stack: Vec::new(),
        root: None,
    };
    decoder
        .run(&mut reader)
        .map_err(|(at, what)| malformed(body, at.map(|at| at + offset), what))
}

/// A problem and the byte offset (into the text after any BOM) where it is.
type Failure = (Option<usize>, &'static str);

struct Decoder {
    max_depth: usize,
    stack: Vec<Frame>,
    root: Option<Raw>,
}

/// An element that is open.
struct Frame {
    /// Its key in its parent's map (unused for the root).
    key: String,
    /// Where its start tag is.
    at: usize,
    /// Its children, once it has one.
    children: Option<RawMap>,
    /// Its text, while it has no children.
    text: String,
    /// Where its first non-whitespace text is, if it has any.
    text_at: Option<usize>,
}

impl Decoder {
    fn run(&mut self, reader: &mut Reader<&[u8]>) -> Result<Raw, Failure> {
        loop {
            let at = position(reader.buffer_position());
            let event = reader
                .read_event()
                .map_err(|e| (Some(position(reader.error_position())), describe(&e)))?;
            match event {
                Event::Decl(decl) => {
                    if at != 0 {
                        return Err((Some(at), "the XML declaration is not at the start"));
                    }
                    check_declaration(&decl).map_err(|what| (Some(at), what))?;
                }
                Event::DocType(_) => return Err((Some(at), "DTDs are not allowed")),
                Event::PI(_) | Event::Comment(_) => {}
                Event::Start(start) => self.open(&start, at)?,
                Event::Empty(start) => {
                    self.open(&start, at)?;
                    self.close(at)?;
                }
                Event::End(_) => self.close(at)?,
                Event::Text(text) => self.text(&text.xml10_content(), at)?,
                Event::CData(cdata) => self.text(&cdata.xml10_content(), at)?,
                Event::GeneralRef(reference) => {
                    let c = resolve(&reference).map_err(|what| (Some(at), what))?;
                    self.text(c.encode_utf8(&mut [0; 4]), at)?;
                }
                Event::Eof => break,
            }
        }
        if let Some(open) = self.stack.last() {
            return Err((Some(open.at), "an element is not closed"));
        }
        self.root
            .take()
            .ok_or((None, "the document has no root element"))
    }

    fn open(&mut self, start: &BytesStart<'_>, at: usize) -> Result<(), Failure> {
        if self.root.is_some() {
            return Err((Some(at), "the document has more than one root element"));
        }
        // The root element does not count: `max_depth` bounds the nesting
        // *inside* it, as it bounds lists and maps in JSON.
        if self.stack.len() > self.max_depth {
            return Err((Some(at), "the document nests too deeply"));
        }
        let name = start.name();
        let local =
            local_name(name.as_ref()).ok_or((Some(at), "an element has an invalid name"))?;
        let key = element_key(start, local).map_err(|what| (Some(at), what))?;
        if let Some(parent) = self.stack.last_mut() {
            if let Some(text_at) = parent.text_at {
                return Err((Some(text_at), "text is mixed with child elements"));
            }
            if parent.children.is_none() {
                parent.text = String::new();
                parent.children = Some(RawMap::new());
            }
        }
        self.stack.push(Frame {
            key,
            at,
            children: None,
            text: String::new(),
            text_at: None,
        });
        Ok(())
    }

    fn close(&mut self, at: usize) -> Result<(), Failure> {
        let frame = self
            .stack
            .pop()
            .ok_or((Some(at), "a closing tag has no opening tag"))?;
        let value = match frame.children {
            Some(children) => Raw::Map(children),
            None => Raw::Text(frame.text.into()),
        };
        match self.stack.last_mut() {
            Some(parent) => parent
                .children
                .get_or_insert_with(RawMap::new)
                .append(frame.key, value),
            None => self.root = Some(value),
        }
        Ok(())
    }

    fn text(&mut self, text: &str, at: usize) -> Result<(), Failure> {
        let blank = text.bytes().all(is_xml_space);
        let Some(frame) = self.stack.last_mut() else {
            return if blank {
                Ok(())
            } else {
                Err((Some(at), "there is text outside the root element"))
            };
        };
        if !blank && frame.text_at.is_none() {
            if frame.children.is_some() {
                return Err((Some(at), "text is mixed with child elements"));
            }
            frame.text_at = Some(at);
        }
        if frame.children.is_none() {
            frame.text.push_str(text);
        }
        Ok(())
    }
}

/// The key an element is stored under: the `key` attribute of an `entry`
/// (how the encoder writes keys that are not element names), else its
/// local name. Every attribute is checked, so a malformed or unknown
/// entity in an ignored attribute is still refused.
fn element_key(start: &BytesStart<'_>, local: &str) -> Result<String, &'static str> {
    let is_entry = local == "entry";
    let mut key = None;
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| describe_attr(&e))?;
        if attribute.value.contains('<') {
            return Err("an attribute value contains `<`");
        }
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| describe(&e))?;
        if value.bytes().any(|b| b < 0x20 && !is_xml_space(b)) {
            return Err("a character reference names a character XML does not allow");
        }
        if is_entry && attribute.key.as_ref() == "key" {
            key = Some(value.into_owned());
        }
    }
    Ok(key.unwrap_or_else(|| local.to_owned()))
}

/// The local part of a qualified name, if the name is a valid XML name
/// (`prefix:local` or `local`, each part an NCName).
fn local_name(qname: &str) -> Option<&str> {
    let (prefix, local) = match qname.split_once(':') {
        Some((prefix, local)) => (Some(prefix), local),
        None => (None, qname),
    };
    let valid = is_ncname(local) && prefix.is_none_or(is_ncname);
    valid.then_some(local)
}

/// An XML name without colons (Namespaces in XML 1.0, `NCName`).
fn is_ncname(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// XML 1.0 (5th edition) `NameStartChar`, less the colon.
fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 (5th edition) `NameChar`, less the colon.
fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// The character an entity or character reference stands for. Only the
/// five predefined entities exist without a DTD, and DTDs are refused.
fn resolve(reference: &BytesRef<'_>) -> Result<char, &'static str> {
    if reference.is_char_ref() {
        return match reference.resolve_char_ref() {
            Ok(Some(c)) if is_xml_char(c) => Ok(c),
            Ok(_) => Err("a character reference names a character XML does not allow"),
            Err(_) => Err("a character reference is malformed"),
        };
    }
    match &**reference {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        _ => Err("only the five predefined entities and character references are allowed"),
    }
}

/// XML 1.0 `Char`.
fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Checks the XML declaration: version 1.x, and UTF-8 if an encoding is
/// named (the body was already read as UTF-8; a document that says
/// otherwise was mislabelled and its text cannot be trusted).
fn check_declaration(decl: &quick_xml::events::BytesDecl<'_>) -> Result<(), &'static str> {
    let version = decl
        .version()
        .map_err(|_| "the XML declaration has no version")?;
    if !version.starts_with("1.") {
        return Err("the XML version is not 1.x");
    }
    match decl.encoding() {
        None => Ok(()),
        Some(Ok(encoding)) if encoding.eq_ignore_ascii_case("utf-8") => Ok(()),
        Some(Ok(_)) => Err("the declared encoding is not UTF-8"),
        Some(Err(_)) => Err("the XML declaration is malformed"),
    }
}

/// The first character XML 1.0 forbids anywhere in a document: controls
/// other than tab, newline and carriage return, U+FFFE and U+FFFF.
fn forbidden_char(bytes: &[u8]) -> Option<usize> {
    bytes.iter().enumerate().position(|(i, &b)| {
        (b < 0x20 && !is_xml_space(b))
            || (b == 0xEF && matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])))
    })
}

fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn position(offset: u64) -> usize {
    usize::try_from(offset).unwrap_or(usize::MAX)
}

/// A bounded description of a parser error. `quick_xml`'s own messages
/// quote tag names and entities from the input, so they are not used.
fn describe(error: &XmlError) -> &'static str {
    match error {
        XmlError::Syntax(e) => match e {
            SyntaxError::InvalidBangMarkup => "markup starting with `<!` is not a comment or CDATA",
            SyntaxError::UnclosedPI => "a processing instruction is not closed",
            SyntaxError::UnclosedXmlDecl => "the XML declaration is not closed",
            SyntaxError::UnclosedComment => "a comment is not closed",
            SyntaxError::UnclosedDoctype => "DTDs are not allowed",
            SyntaxError::UnclosedCData => "a CDATA section is not closed",
            SyntaxError::UnclosedTag => "a tag is not closed",
            SyntaxError::UnclosedSingleQuotedAttributeValue
            | SyntaxError::UnclosedDoubleQuotedAttributeValue => "an attribute value is not closed",
        },
        XmlError::IllFormed(e) => match e {
            IllFormedError::MissingDeclVersion(_) => "the XML declaration has no version",
            IllFormedError::UnknownVersion => "the XML version is not 1.x",
            IllFormedError::MissingDoctypeName => "DTDs are not allowed",
            IllFormedError::MissingEndTag(_) => "an element is not closed",
            IllFormedError::UnmatchedEndTag(_) => "a closing tag has no opening tag",
            IllFormedError::MismatchedEndTag { .. } => {
                "a closing tag does not match the open element"
            }
            IllFormedError::DoubleHyphenInComment => "a comment contains `--`",
            IllFormedError::UnclosedReference => "an entity reference is not closed with `;`",
        },
        XmlError::InvalidAttr(e) => describe_attr(e),
        XmlError::Encoding(_) => "the body is not valid UTF-8",
        XmlError::Escape(e) => match e {
            EscapeError::UnrecognizedEntity(..) => {
                "only the five predefined entities and character references are allowed"
            }
            EscapeError::UnterminatedEntity(_) => "an entity reference is not closed with `;`",
            EscapeError::InvalidCharRef(_) => "a character reference is malformed",
            EscapeError::TooManyNestedEntities => "entities nest too deeply",
        },
        XmlError::Io(_) | XmlError::Namespace(_) => "the document is not well-formed",
    }
}

fn describe_attr(error: &AttrError) -> &'static str {
    match error {
        AttrError::Duplicated(..) => "an element repeats an attribute",
        _ => "an attribute is malformed",
    }
}

/// The detail of the `400 malformed_body` for a problem at byte `at` of
/// `body`.
fn malformed(body: &[u8], at: Option<usize>, what: &str) -> String {
    match at {
        Some(at) => {
            let (line, column) = line_and_column(body, at);
            format!("malformed XML: {what} at line {line} column {column}")
        }
        None => format!("malformed XML: {what}"),
    }
}

/// The 1-based line and column (in characters) of byte `at` of `body`.
fn line_and_column(body: &[u8], at: usize) -> (usize, usize) {
    let before = &body[..at.min(body.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    // Count characters, not bytes: skip UTF-8 continuation bytes.
    let column = 1 + before[line_start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count();
    (line, column)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::error::ApiError;

    /// Decodes through the format's entry point, to see the `ApiError`
    /// (boxed only to keep `clippy::result_large_err` quiet in tests).
    fn from_slice(body: &[u8], limits: &DecodeLimits) -> Result<Raw, Box<ApiError>> {
        super::super::decode(body, limits).map_err(Box::new)
    }

    fn parse(text: &str) -> Result<Raw, Box<ApiError>> {
        from_slice(text.as_bytes(), &DecodeLimits::default())
    }

    fn text(s: &str) -> Raw {
        Raw::Text(s.into())
    }

    fn map<'a>(entries: impl IntoIterator<Item = (&'a str, Raw)>) -> Raw {
        let mut map = RawMap::new();
        for (k, v) in entries {
            map.insert(k, v);
        }
        Raw::Map(map)
    }

    #[test]
    fn decodes_each_rule() {
        let cases: Vec<(&str, Raw)> = vec![
            // The root's name is ignored; its text is the value.
            ("<anything>42</anything>", text("42")),
            // Text is kept exactly, entity-unescaped, CDATA included.
            ("<a>  two  words \n</a>", text("  two  words \n")),
            (
                "<a>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F600;</a>",
                text("<>&'\"AB\u{1F600}"),
            ),
            (
                "<a>x<![CDATA[<not & markup>]]>y</a>",
                text("x<not & markup>y"),
            ),
            ("<a>x<!-- note -->y<?pi data?></a>", text("xy")),
            ("<a>line\r\nnext\rlast&#13;</a>", text("line\nnext\nlast\r")),
            // Empty elements are empty text.
            ("<a/>", text("")),
            ("<a></a>", text("")),
            ("<a>   </a>", text("   ")),
            // Children become a map, whitespace between them is ignored.
            (
                "<a>\n  <b>1</b>\n  <c/>\n</a>",
                map([("b", text("1")), ("c", text(""))]),
            ),
            (
                "<a><b><c>deep</c></b></a>",
                map([("b", map([("c", text("deep"))]))]),
            ),
            // A repeated name becomes a list.
            (
                "<a><t>1</t><u/><t>2</t><t><x>3</x></t></a>",
                map([
                    (
                        "t",
                        Raw::List(vec![text("1"), text("2"), map([("x", text("3"))])]),
                    ),
                    ("u", text("")),
                ]),
            ),
            // `entry` with a `key` is that key; without one it is `entry`.
            (
                r#"<a><entry key="a b">1</entry><entry key="&lt;&#9;">2</entry><entry>3</entry></a>"#,
                map([("a b", text("1")), ("<\t", text("2")), ("entry", text("3"))]),
            ),
            // Prefixes and other attributes are ignored.
            (
                r#"<p:a xmlns:p="urn:x" id="1"><p:b q:z='2'>x</p:b><entry q="k">y</entry></p:a>"#,
                map([("b", text("x")), ("entry", text("y"))]),
            ),
            // Declarations, BOMs, comments and whitespace around the root.
            (
                "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- c -->\n<a>1</a>\n<?pi?>\n",
                text("1"),
            ),
            ("<?xml version='1.0'?><a>1</a>", text("1")),
            ("<a> <ñ>x</ñ></a>", map([("ñ", text("x"))])),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse(input).unwrap_or_else(|e| panic!("{input}: {:?}", e.detail())),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn rejects_malformed_documents_with_400() {
        let cases: Vec<(&[u8], &str)> = vec![
            (b"", "the body is empty"),
            (b" \n\t", "the body is empty"),
            (b"\xEF\xBB\xBF", "the body is empty"),
            (b"<a>\xFF</a>", "not valid UTF-8 at line 1 column 4"),
            (
                b"\xFF\xFE<\0a\0/\0>\0",
                "not valid UTF-8 at line 1 column 1",
            ),
            (
                b"<a>\x01</a>",
                "character XML does not allow at line 1 column 4",
            ),
            ("<a>\u{FFFF}</a>".as_bytes(), "character XML does not allow"),
            (
                b"<a>&#1;</a>",
                "character XML does not allow at line 1 column 4",
            ),
            (b"<a>&#0;</a>", "malformed"),
            (b"<a>&#xZZ;</a>", "malformed"),
            (
                b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>",
                "encoding is not UTF-8 at line 1 column 1",
            ),
            (
                b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>",
                "encoding is not UTF-8",
            ),
            (b"<?xml version=\"2.0\"?><a/>", "version"),
            (b"<?xml encoding=\"UTF-8\"?><a/>", "version"),
            (
                b" <?xml version=\"1.0\"?><a/>",
                "declaration is not at the start",
            ),
            (
                b"<a/><?xml version=\"1.0\"?>",
                "declaration is not at the start",
            ),
            (
                b"<!DOCTYPE a><a/>",
                "DTDs are not allowed at line 1 column 1",
            ),
            (
                b"<a>\n<!DOCTYPE a></a>",
                "DTDs are not allowed at line 2 column 1",
            ),
            (
                b"<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>",
                "DTDs are not allowed",
            ),
            (b"<!DOCTYPE", "DTDs are not allowed"),
            (
                b"<a>&nbsp;</a>",
                "references are allowed at line 1 column 4",
            ),
            (b"<a x=\"&nbsp;\"/>", "predefined entities"),
            (b"<a x=\"&#1;\"/>", "character XML does not allow"),
            (b"<a x=\"<\"/>", "contains `<`"),
            (b"<a x=\"1\" x=\"2\"/>", "repeats an attribute"),
            (b"<a x=1/>", "attribute is malformed"),
            (b"<a x=\"1/>", "not closed"),
            (b"<a>&amp</a>", "not closed with `;`"),
            (b"<a>& b</a>", "not closed with `;`"),
            (b"text", "text outside the root element at line 1 column 1"),
            (
                b"<a/>text",
                "text outside the root element at line 1 column 5",
            ),
            (b"x<a/>", "text outside the root element"),
            (b"<a/>&amp;", "text outside the root element"),
            (b"<![CDATA[x]]><a/>", "text outside the root element"),
            (b"<a/><b/>", "more than one root element at line 1 column 5"),
            (b"<a>", "not closed at line 1 column 1"),
            (b"<a>\n  <b>", "not closed at line 2 column 3"),
            (
                b"<a><b></a>",
                "does not match the open element at line 1 column 7",
            ),
            (b"<a></b>", "does not match"),
            (b"<a/></a>", "no opening tag"),
            (b"</a>", "no opening tag"),
            (b"<a", "tag is not closed"),
            (b"<a><!-- x", "comment is not closed"),
            (b"<a><!-- a -- b --></a>", "`--`"),
            (b"<a><![CDATA[x</a>", "CDATA section is not closed"),
            (b"<a><!x></a>", "`<!`"),
            (b"<a><?pi</a>", "processing instruction is not closed"),
            (
                b"<a>text<b/></a>",
                "text is mixed with child elements at line 1 column 4",
            ),
            (
                b"<a><b/>text</a>",
                "text is mixed with child elements at line 1 column 8",
            ),
            (b"<a><b/><![CDATA[x]]></a>", "text is mixed"),
            (b"<a><b/>&amp;</a>", "text is mixed"),
            (
                b"<a>\n<b/>\n  x\n</a>",
                "text is mixed with child elements at line 2 column 5",
            ),
            (b"<></>", "invalid name"),
            (b"<1a/>", "invalid name"),
            (b"<a:b:c/>", "invalid name"),
            (b"<a:/>", "invalid name"),
            (b"<a&b/>", "invalid name"),
            ("<é>\n  <ü>\u{1F600}</b>".as_bytes(), "line 2 column 7"),
        ];
        for (input, needle) in cases {
            let shown = String::from_utf8_lossy(input);
            let err = from_slice(input, &DecodeLimits::default()).expect_err(&shown);
            assert_eq!(err.status().as_u16(), 400, "{shown}");
            assert_eq!(err.code(), "malformed_body", "{shown}");
            let detail = err.detail().unwrap();
            assert!(detail.starts_with("malformed XML: "), "{shown}: {detail}");
            assert!(detail.contains(needle), "{shown}: {detail}");
        }
    }

    #[test]
    fn error_messages_never_echo_the_input() {
        for input in [
            "<secret></terces>",
            "<a>&secret;</a>",
            "<a secret=\"1\" secret=\"2\"/>",
            "<!DOCTYPE secret>",
            "<a/>secret",
            "<a>secret<b/></a>",
            "<?xml version=\"1.0\" encoding=\"secret\"?><a/>",
        ] {
            let err = parse(input).unwrap_err();
            assert!(
                !err.detail().unwrap().contains("secret"),
                "{input}: {:?}",
                err.detail()
            );
        }
    }

    #[test]
    fn refuses_billion_laughs_for_its_dtd() {
        let mut doc =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        for i in 1..10 {
            let prev = if i == 1 {
                "lol".to_owned()
            } else {
                format!("lol{}", i - 1)
            };
            doc.push_str(&format!(
                " <!ENTITY lol{i} \"{}\">\n",
                format!("&{prev};").repeat(10)
            ));
        }
        doc.push_str("]>\n<lolz>&lol9;</lolz>");
        let err = parse(&doc).unwrap_err();
        assert_eq!(err.status().as_u16(), 400);
        assert_eq!(
            err.detail(),
            Some("malformed XML: DTDs are not allowed at line 2 column 1")
        );
    }

    #[test]
    fn depth_limit_counts_below_the_root() {
        let nested = |levels: usize| "<a>".repeat(levels) + &"</a>".repeat(levels);
        // The root plus `max_depth` levels inside it.
        assert!(parse(&nested(33)).is_ok());
        let err = parse(&nested(34)).unwrap_err();
        assert_eq!(
            err.detail(),
            Some("malformed XML: the document nests too deeply at line 1 column 100")
        );
        let shallow = DecodeLimits::with_max_depth(1);
        assert!(from_slice(b"<r><a>1</a></r>", &shallow).is_ok());
        assert!(from_slice(b"<r><a><b/></a></r>", &shallow).is_err());
        assert!(from_slice(b"<r>1</r>", &DecodeLimits::with_max_depth(0)).is_ok());
        assert!(from_slice(b"<r><a/></r>", &DecodeLimits::with_max_depth(0)).is_err());
    }

    #[test]
    fn refuses_ten_thousand_levels_without_overflowing() {
        let open = "<a>".repeat(10_000);
        let err = parse(&open).unwrap_err();
        assert!(err.detail().unwrap().contains("nests too deeply"));
        let closed = open + &"</a>".repeat(10_000);
        assert!(
            parse(&closed)
                .unwrap_err()
                .detail()
                .unwrap()
                .contains("nests too deeply")
        );
        // With the limit lifted, the decoder's explicit stack copes too (the
        // resulting `Raw` is kept shallow enough for its recursive `Drop`).
        let limits = DecodeLimits::with_max_depth(usize::MAX);
        let deep = "<a>".repeat(1_000) + &"</a>".repeat(1_000);
        assert_eq!(from_slice(deep.as_bytes(), &limits).unwrap().depth(), 999);
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_and_column(b"abc", 0), (1, 1));
        assert_eq!(line_and_column(b"a\nbc", 3), (2, 2));
        assert_eq!(line_and_column("é\nüx".as_bytes(), 5), (2, 2));
        assert_eq!(line_and_column(b"ab", 99), (1, 3));
    }

    /// Fragments that make structurally interesting documents when glued
    /// together at random.
    const FRAGMENTS: &[&str] = &[
        "<a>",
        "</a>",
        "<b>",
        "</b>",
        "<a/>",
        "<entry key=\"k\">",
        "</entry>",
        "<p:a>",
        "</p:a>",
        "text",
        " ",
        "\n",
        "&amp;",
        "&lt;",
        "&#65;",
        "&#x0;",
        "&bogus;",
        "&",
        "<![CDATA[",
        "]]>",
        "<!--",
        "-->",
        "<?xml version=\"1.0\"?>",
        "<?pi",
        "?>",
        "<!DOCTYPE a [",
        "<!ENTITY e \"x\">",
        "]>",
        "<",
        ">",
        "/>",
        "=\"",
        "\"",
        "'",
        "<a x=\"1\"",
        "\u{FEFF}",
        "é",
        "\r\n",
        "\0",
    ];

    proptest! {
        #[test]
        fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = from_slice(&bytes, &DecodeLimits::default());
        }

        #[test]
        fn never_panics_on_xmlish_text(
            parts in proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..48),
            depth in 0usize..4,
        ) {
            let doc = parts.concat();
            match from_slice(doc.as_bytes(), &DecodeLimits::with_max_depth(depth)) {
                Ok(raw) => prop_assert!(raw.depth() <= 2 * depth + 2),
                Err(e) => prop_assert_eq!(e.status().as_u16(), 400),
            }
        }
    }
}
