//! A small element tree read with the quick-xml pull parser, for the XML schedule formats
//! (MS Project XML, GanttProject). Each element keeps the line it starts on, so readers can
//! say where a problem is. Subtrees a reader never looks at (MS Project's timephased data,
//! its bulk) are skipped while parsing. Malformed or truncated XML is a [`Diagnostic`] naming
//! the line, never a panic.

use std::borrow::Cow;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use quick_xml::XmlVersion;

use super::schedule;
use crate::error::Diagnostic;

/// One XML element: name without namespace prefix, attributes, text content (trimmed) and
/// child elements in document order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    /// Local name.
    pub name: String,
    /// Attributes (local names), unescaped.
    pub attrs: Vec<(String, String)>,
    /// The element's own text, trimmed.
    pub text: String,
    /// Child elements.
    pub children: Vec<Element>,
    /// 1-based line of the start tag.
    pub line: usize,
}

impl Element {
    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child called `name`.
    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child called `name`, when it is not empty.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.as_str())
            .filter(|t| !t.is_empty())
    }

    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads an XML file's bytes as text: the encoding of its byte order mark or declaration
/// (UTF-8 by default; Windows-1252, ISO-8859-1, UTF-16 … via encoding_rs). Bytes that are not
/// valid in that encoding, an unknown encoding or a binary file are a [`Diagnostic`].
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| super::source::read_error(path, e))?;
    if encoding_rs::Encoding::for_bom(&bytes).is_some() {
        return schedule::decode(path, &bytes, None);
    }
    let head = &bytes[..bytes.len().min(256)];
    let label = declared_encoding(head);
    match label.as_deref() {
        None => schedule::decode(path, &bytes, None),
        Some(l) if l.eq_ignore_ascii_case("utf-8") || l.eq_ignore_ascii_case("utf8") => {
            schedule::decode(path, &bytes, None)
        }
        Some(l) => match encoding_rs::Encoding::for_label(l.as_bytes()) {
            Some(enc) => {
                let (text, _, had_errors) = enc.decode(&bytes);
                if had_errors {
                    return Err(Diagnostic::file(
                        path,
                        format!("the file declares encoding {l:?} but holds bytes that are not valid in it; save it again as UTF-8"),
                    ));
                }
                Ok(text.into_owned())
            }
            None => Err(Diagnostic::at(
                path,
                1,
                None,
                format!("unknown encoding {l:?} in the XML declaration; save the file as UTF-8"),
            )),
        },
    }
}

/// The `encoding="…"` of an XML declaration at the start of `head`, if any.
fn declared_encoding(head: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(head);
    let decl = text.trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_string())
}

/// Counts lines up to byte offsets that only grow: O(file size) in all.
struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
}

impl Lines<'_> {
    fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.at {
            return self.text[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        }
        self.line += self.text[self.at..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.at = offset;
        self.line
    }
}

fn name_of(e: &BytesStart) -> String {
    e.local_name().as_ref().to_string()
}

/// The deepest element nesting [`parse`] accepts. The tree is walked (and dropped) recursively
/// by its readers, so a file nested 100,000 deep would overflow the stack; real schedules
/// nest a few dozen levels (GanttProject's summary tasks).
pub const MAX_DEPTH: usize = 1000;

/// Parses `text` (the contents of `path`) into its root element, skipping every element
/// called one of `skip` with all it holds; elements nested deeper than [`MAX_DEPTH`] are an
/// error at their line.
pub fn parse(path: &Path, text: &str, skip: &[&str]) -> Result<Element, Diagnostic> {
    let mut reader = Reader::from_str(text);
    let mut lines = Lines {
        text: text.as_bytes(),
        at: 0,
        line: 1,
    };
    let malformed = |lines: &mut Lines, offset: u64, what: String| {
        Diagnostic::at(
            path,
            lines.line_at(offset as usize),
            None,
            format!("the XML is malformed: {what}; is the file complete? save it again from the program that wrote it"),
        )
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let before = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = reader.error_position();
                return Err(malformed(&mut lines, at, e.to_string()));
            }
        };
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_some() && stack.is_empty() => {
                let _ = e;
                return Err(malformed(
                    &mut lines,
                    before,
                    "a second root element".to_string(),
                ));
            }
            Event::Start(e) => {
                let name = name_of(&e);
                let line = lines.line_at(before as usize);
                if skip.contains(&name.as_str()) {
                    if let Err(err) = reader.read_to_end(e.name()) {
                        let open = format!("<{name}> opened on line {line} is not closed ({err})");
                        return Err(malformed(&mut lines, reader.buffer_position(), open));
                    }
                    continue;
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(Diagnostic::at(
                        path,
                        line,
                        None,
                        format!(
                            "<{name}> is nested {} elements deep; p80 reads XML nested at most \
                             {MAX_DEPTH} deep (schedules need a few dozen levels)",
                            stack.len() + 1
                        ),
                    ));
                }
                let attrs = attributes(path, &e, line)?;
                stack.push(Element {
                    name,
                    attrs,
                    line,
                    ..Element::default()
                });
            }
            Event::Empty(e) => {
                let line = lines.line_at(before as usize);
                let element = Element {
                    name: name_of(&e),
                    attrs: attributes(path, &e, line)?,
                    line,
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::End(_) => {
                let Some(mut done) = stack.pop() else {
                    return Err(malformed(
                        &mut lines,
                        before,
                        "an end tag without a start tag".into(),
                    ));
                };
                let trimmed = done.text.trim();
                if trimmed.len() != done.text.len() {
                    done.text = trimmed.to_string();
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml_content(XmlVersion::Implicit1_0));
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml_content(XmlVersion::Implicit1_0));
                }
            }
            Event::GeneralRef(r) => {
                let resolved: Option<Cow<str>> = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(Cow::Owned(c.to_string())),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&r).map(Cow::Borrowed),
                    Err(_) => None,
                };
                let Some(resolved) = resolved else {
                    return Err(malformed(
                        &mut lines,
                        before,
                        format!("unknown entity `&{};`", &*r),
                    ));
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        let end = text.len();
        return Err(Diagnostic::at(
            path,
            lines.line_at(end),
            None,
            format!(
                "the file ends inside <{}> (opened on line {}): it is truncated; save it again \
                 from the program that wrote it",
                open.name, open.line
            ),
        ));
    }
    root.ok_or_else(|| {
        Diagnostic::file(
            path,
            "holds no XML element; is it empty or not an XML file?",
        )
    })
}

fn attributes(
    path: &Path,
    e: &BytesStart,
    line: usize,
) -> Result<Vec<(String, String)>, Diagnostic> {
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| {
            Diagnostic::at(path, line, None, format!("the XML is malformed: {err}"))
        })?;
        let key = a.key.local_name().as_ref().to_string();
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| {
                Diagnostic::at(
                    path,
                    line,
                    Some(&key),
                    format!("the XML is malformed: {err}"),
                )
            })?
            .into_owned();
        out.push((key, value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Element, String> {
        parse(Path::new("f.xml"), text, &["Skip"]).map_err(|d| d.to_string())
    }

    #[test]
    fn elements_text_attributes_and_lines() {
        let root = p("<?xml version=\"1.0\"?>\n<Project xmlns=\"x\">\n  <Name>A &amp; B&#33;</Name>\n  <Skip><Deep>1</Deep></Skip>\n  <task id=\"3\" name=\"x &lt; y\"/>\n</Project>\n").unwrap();
        assert_eq!(root.name, "Project");
        assert_eq!(root.line, 2);
        assert_eq!(root.text_of("Name"), Some("A & B!"));
        assert!(root.child("Skip").is_none());
        let t = root.child("task").unwrap();
        assert_eq!(
            (t.attr("id"), t.attr("name"), t.line),
            (Some("3"), Some("x < y"), 5)
        );
    }

    #[test]
    fn truncated_and_malformed_xml_name_the_line() {
        let e = p("<Project>\n<Tasks>\n<Task><UID>1</UID>").unwrap_err();
        assert_eq!(
            e,
            "f.xml:3: the file ends inside <Task> (opened on line 3): it is truncated; save it again from the program that wrote it"
        );
        let e = p("<Project>\n<Tasks>\n</Task>\n</Project>").unwrap_err();
        assert_eq!(e, "f.xml:3: the XML is malformed: ill-formed document: expected `</Tasks>`, but `</Task>` was found; is the file complete? save it again from the program that wrote it");
        let e = p("").unwrap_err();
        assert!(e.contains("holds no XML element"), "{e}");
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = |n: usize| "<t>".repeat(n) + &"</t>".repeat(n);
        assert!(p(&deep(MAX_DEPTH)).is_ok());
        let e = p(&deep(100_000)).unwrap_err();
        assert!(e.contains("nested 1001 elements deep"), "{e}");
    }

    #[test]
    fn declared_encodings() {
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding='windows-1252'?><a/>"),
            Some("windows-1252".to_string())
        );
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?><a/>"), None);
        assert_eq!(declared_encoding(b"<a/>"), None);
    }
}
