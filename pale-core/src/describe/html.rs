//! A self-contained HTML reference page of an API, one per audience.
//!
//! The page is built from the same [`Description`] as the JSON description
//! (so the same per-audience rule applies: what the audience cannot see is
//! absent), plus the registry's tags and write rules. It needs nothing
//! from the network: one inline stylesheet, no scripts, no fonts, an empty
//! `data:` icon, no links but the page's own `#resource-…` anchors.
//!
//! Every piece of text and every attribute value goes through [`Page`],
//! which escapes it; markup is never put together with `format!`.

use std::collections::HashMap;

use indexmap::IndexMap;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

use super::{ArgumentDescription, Description, EndpointDescription, JsonSchema, description};
use crate::api::Api;
use crate::audience::Audience;
use crate::context::App;
use crate::resource::{ResourceMeta, WriteRule};

/// The inline stylesheet: small, readable, print-friendly.
const STYLE: &str = "
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1, h2, h3 { line-height: 1.2; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2.5rem; }
section.endpoint, section.resource { margin: 1.5rem 0; }
code, .path { font-family: ui-monospace, monospace; font-size: 90%; }
.method { display: inline-block; min-width: 4.5em; font-weight: bold; font-family: ui-monospace, monospace; }
.audience, .marker { display: inline-block; padding: 0 .4em; border-radius: .3em; background: #eee; font-size: 85%; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
p.description { white-space: pre-line; }
";

/// The page's stylesheet as a Content-Security-Policy source
/// (`'sha256-…'`, the base64 SHA-256 of its text): a policy that lists it
/// in `style-src` lets the page's one inline stylesheet apply, and no other
/// inline style. pale-server's default policy for HTML responses does;
/// write it into your own policy if you serve the page under another.
/// A test recomputes it, so an edit of the stylesheet cannot forget it.
pub const STYLE_HASH: &str = "'sha256-nghLCL3Q3qwekhX4j7fHadEKgSy6g755ZoLbsZnWMFg='";

/// Characters escaped in an example URL's query values.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The HTML reference page of `api` as `audience` sees it; `None` for
/// everything, each field and endpoint marked with its audience.
pub fn html<A: App>(api: &Api<A>, audience: Option<Audience>) -> String {
    let doc = description(api, audience);
    let mut tags: HashMap<&'static str, &'static str> = HashMap::new();
    let mut metas: HashMap<&'static str, &'static ResourceMeta> = HashMap::new();
    for route in api.routes() {
        tags.insert(
            route.endpoint.name,
            route.endpoint.tags.first().copied().unwrap_or("other"),
        );
        if let Some(resource) = route.output.resource {
            gather(resource, &mut metas);
        }
    }
    let mut page = Page::default();
    page.raw("<!DOCTYPE html>\n");
    page.open("html", &[("lang", "en")]);
    page.open("head", &[]);
    page.void("meta", &[("charset", "utf-8")]);
    page.void(
        "meta",
        &[
            ("name", "viewport"),
            ("content", "width=device-width, initial-scale=1"),
        ],
    );
    page.leaf("title", &[], &format!("{} {}", doc.title, doc.version));
    // An empty icon: without one, browsers ask for /favicon.ico, and the
    // 404 shows as a console error (and a request off the page).
    page.void("link", &[("rel", "icon"), ("href", "data:,")]);
    page.open("style", &[]);
    // The stylesheet is a constant of this file, with no `<` in it.
    page.raw(STYLE);
    page.close("style");
    page.close("head");
    page.open("body", &[]);
    header(&mut page, &doc);
    // Everything but the header is the main landmark, so assistive
    // technology can jump past the header to the reference itself.
    page.open("main", &[]);
    endpoints(&mut page, &doc, &tags);
    resources(&mut page, &doc, &metas);
    page.close("main");
    page.close("body");
    page.close("html");
    page.out
}

/// Adds `meta` and the resources it nests to `out`, by name.
fn gather(meta: &'static ResourceMeta, out: &mut HashMap<&'static str, &'static ResourceMeta>) {
    if out.insert(meta.name, meta).is_some() {
        return;
    }
    for field in meta.fields {
        if let Some(nested) = field.nested {
            gather(nested, out);
        }
    }
}

fn header(page: &mut Page, doc: &Description) {
    page.open("header", &[]);
    page.leaf("h1", &[], &doc.title);
    page.open("p", &[]);
    page.text("Version ");
    page.leaf("code", &[], &doc.version);
    page.text(" · audience ");
    page.leaf("span", &[("class", "audience")], doc.audience);
    page.text(" · base path ");
    page.leaf("code", &[], &doc.base_path);
    page.close("p");
    if !doc.description.is_empty() {
        page.leaf("p", &[("class", "description")], &doc.description);
    }
    page.close("header");
}

fn endpoints(page: &mut Page, doc: &Description, tags: &HashMap<&'static str, &'static str>) {
    let mut groups: IndexMap<&str, Vec<&EndpointDescription>> = IndexMap::new();
    for endpoint in &doc.endpoints {
        let tag = tags.get(endpoint.name).copied().unwrap_or("other");
        groups.entry(tag).or_default().push(endpoint);
    }
    page.leaf("h2", &[("id", "endpoints")], "Endpoints");
    for (tag, endpoints) in groups {
        page.leaf("h3", &[("class", "tag")], tag);
        for endpoint in endpoints {
            self::endpoint(page, endpoint);
        }
    }
}

fn endpoint(page: &mut Page, endpoint: &EndpointDescription) {
    let id = format!("endpoint-{}", endpoint.name);
    page.open("section", &[("class", "endpoint"), ("id", &id)]);
    page.open("h4", &[]);
    page.leaf("span", &[("class", "method")], endpoint.method);
    page.text(" ");
    page.leaf("span", &[("class", "path")], &endpoint.path);
    page.close("h4");
    page.open("p", &[]);
    page.text("Route ");
    page.leaf("code", &[], endpoint.name);
    page.text(" · requires ");
    page.leaf("span", &[("class", "audience")], endpoint.audience.as_str());
    page.text(" · returns ");
    match endpoint.returns {
        Some(resource) => {
            let href = format!("#resource-{resource}");
            let what = if endpoint.page {
                "a page of "
            } else if endpoint.many {
                "a list of "
            } else {
                ""
            };
            page.text(what);
            page.leaf("a", &[("href", &href)], resource);
        }
        None => page.text("no resource"),
    }
    page.text(&format!(" ({})", endpoint.status));
    page.close("p");
    if !endpoint.summary.is_empty() {
        page.leaf("p", &[("class", "summary")], endpoint.summary);
    }
    if !endpoint.description.is_empty() {
        page.leaf("p", &[("class", "description")], endpoint.description);
    }
    if !endpoint.arguments.is_empty() {
        page.open("table", &[("class", "arguments")]);
        row(
            page,
            "th",
            &[
                "Argument",
                "Source",
                "Type",
                "Required",
                "Default",
                "Constraints",
                "Description",
            ],
        );
        for arg in &endpoint.arguments {
            let default = arg.schema.default.as_ref().map(literal).unwrap_or_default();
            row(
                page,
                "td",
                &[
                    arg.name,
                    arg.source,
                    &kind(&arg.schema),
                    if arg.required { "yes" } else { "no" },
                    &default,
                    &constraints(&arg.schema),
                    arg.description,
                ],
            );
        }
        page.close("table");
    }
    page.open("p", &[]);
    page.text("Example: ");
    page.leaf("code", &[("class", "example")], &example(endpoint));
    page.close("p");
    page.close("section");
}

fn resources(
    page: &mut Page,
    doc: &Description,
    metas: &HashMap<&'static str, &'static ResourceMeta>,
) {
    if doc.resources.is_empty() {
        return;
    }
    page.open("section", &[("class", "resources")]);
    page.leaf("h2", &[("id", "resources")], "Resources");
    for (name, resource) in &doc.resources {
        let meta = metas.get(name).copied();
        page.open("section", &[("class", "resource")]);
        page.leaf("h3", &[], name);
        if !resource.description.is_empty() {
            page.leaf("p", &[("class", "description")], resource.description);
        }
        let id = format!("resource-{name}");
        page.open("table", &[("class", "fields"), ("id", &id)]);
        row(
            page,
            "th",
            &["Field", "Description", "Read", "Write", "Default", "Nested"],
        );
        for field in &resource.fields {
            let rule = meta
                .and_then(|m| m.index_of(field.name).map(|i| m.fields[i].write))
                .unwrap_or(WriteRule::READ_ONLY);
            let mut write = field.write.map(Audience::as_str).unwrap_or("").to_owned();
            for (on, marker) in [
                (rule.write_only, "write-only"),
                (rule.create_only, "create-only"),
            ] {
                if on {
                    if !write.is_empty() {
                        write.push_str(", ");
                    }
                    write.push_str(marker);
                }
            }
            let default = resource.default_fields.contains(&field.name);
            page.open("tr", &[("id", &format!("field-{name}-{}", field.name))]);
            page.open("td", &[]);
            page.leaf("code", &[], field.name);
            page.close("td");
            page.leaf("td", &[], field.description);
            page.leaf("td", &[], field.audience.as_str());
            page.leaf("td", &[], &write);
            page.leaf("td", &[], if default { "yes" } else { "no" });
            page.open("td", &[]);
            if let Some(nested) = field.resource {
                if field.many {
                    page.text("list of ");
                }
                page.leaf("a", &[("href", &format!("#resource-{nested}"))], nested);
            }
            page.close("td");
            page.close("tr");
        }
        page.close("table");
        page.close("section");
    }
    page.close("section");
}

/// A table row of `cells`, each a `cell` (`th` or `td`) element.
fn row(page: &mut Page, cell: &'static str, cells: &[&str]) {
    page.open("tr", &[]);
    for text in cells {
        page.leaf(cell, &[], text);
    }
    page.close("tr");
}

/// A JSON value as a short literal: strings without their quotes.
fn literal(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The type of a schema, as `integer`, `string (date)` or `array of string`.
fn kind(schema: &JsonSchema) -> String {
    if !schema.any_of.is_empty() {
        let kinds: Vec<String> = schema.any_of.iter().map(kind).collect();
        return kinds.join(" or ");
    }
    if let Some(reference) = &schema.reference {
        return reference.rsplit('/').next().unwrap_or("any").to_owned();
    }
    let base = schema.kind.unwrap_or("any");
    let mut text = match (&schema.items, schema.kind) {
        (Some(items), Some("array")) => format!("array of {}", kind(items)),
        _ => base.to_owned(),
    };
    if let Some(format) = schema.format {
        text.push_str(&format!(" ({format})"));
    }
    text
}

/// The constraints of a schema, as `1 ≤ value ≤ 100; length 2–30; …`.
fn constraints(schema: &JsonSchema) -> String {
    let mut parts = Vec::new();
    match (&schema.minimum, &schema.maximum) {
        (Some(min), Some(max)) => parts.push(format!("{min} ≤ value ≤ {max}")),
        (Some(min), None) => parts.push(format!("value ≥ {min}")),
        (None, Some(max)) => parts.push(format!("value ≤ {max}")),
        (None, None) => {}
    }
    match (schema.min_length, schema.max_length) {
        (Some(min), Some(max)) => parts.push(format!("length {min}–{max}")),
        (Some(min), None) => parts.push(format!("length ≥ {min}")),
        (None, Some(max)) => parts.push(format!("length ≤ {max}")),
        (None, None) => {}
    }
    match (schema.min_items, schema.max_items) {
        (Some(min), Some(max)) => parts.push(format!("{min}–{max} items")),
        (Some(min), None) => parts.push(format!("≥ {min} items")),
        (None, Some(max)) => parts.push(format!("≤ {max} items")),
        (None, None) => {}
    }
    if let Some(pattern) = &schema.pattern {
        parts.push(format!("matches {pattern}"));
    }
    if let Some(one_of) = &schema.one_of {
        parts.push(format!("one of {}", one_of.join(", ")));
    }
    parts.join("; ")
}

/// A value to show for `arg` in an example: its default, its first
/// choice, or one of its type.
fn sample(arg: &ArgumentDescription) -> String {
    let schema = &arg.schema;
    if let Some(default) = &schema.default {
        return literal(default);
    }
    if let Some(first) = schema.one_of.as_ref().and_then(|c| c.first()) {
        return (*first).to_owned();
    }
    match schema.kind {
        // 1, or the least value allowed when that is more.
        Some("integer" | "number") => schema
            .minimum
            .as_ref()
            .filter(|min| min.as_f64().is_some_and(|min| min > 1.0))
            .map_or_else(|| "1".to_owned(), ToString::to_string),
        Some("boolean") => "true".to_owned(),
        _ => arg.name.to_owned(),
    }
}

/// An example request URL: the path with its parameters filled in, and the
/// required query arguments (every required argument of a `GET` or `DELETE`).
fn example(endpoint: &EndpointDescription) -> String {
    let mut url = endpoint.path.clone();
    let mut query = Vec::new();
    let in_query = matches!(endpoint.method, "GET" | "DELETE");
    for arg in &endpoint.arguments {
        let placeholder = format!("{{{}}}", arg.name);
        if url.contains(&placeholder) {
            let value = sample(arg);
            url = url.replace(
                &placeholder,
                &utf8_percent_encode(&value, QUERY).to_string(),
            );
        } else if arg.required && (arg.source == "query" || (in_query && arg.source == "any")) {
            let value = sample(arg);
            query.push(format!(
                "{}={}",
                utf8_percent_encode(arg.name, QUERY),
                utf8_percent_encode(&value, QUERY)
            ));
        }
    }
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.join("&"));
    }
    url
}

/// A tiny element writer: tag and attribute names are constants of this
/// file; every text and attribute value is escaped.
#[derive(Default)]
struct Page {
    out: String,
}

impl Page {
    /// Markup from this file, written as is.
    fn raw(&mut self, markup: &'static str) {
        self.out.push_str(markup);
    }

    fn start(&mut self, tag: &'static str, attributes: &[(&'static str, &str)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attributes {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            escape(&mut self.out, value);
            self.out.push('"');
        }
    }

    fn open(&mut self, tag: &'static str, attributes: &[(&'static str, &str)]) {
        self.start(tag, attributes);
        self.out.push('>');
        if matches!(
            tag,
            "html" | "head" | "body" | "main" | "section" | "table" | "tr" | "header"
        ) {
            self.out.push('\n');
        }
    }

    fn void(&mut self, tag: &'static str, attributes: &[(&'static str, &str)]) {
        self.start(tag, attributes);
        self.out.push_str("/>\n");
    }

    fn close(&mut self, tag: &'static str) {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push_str(">\n");
    }

    fn text(&mut self, text: &str) {
        escape(&mut self.out, text);
    }

    fn leaf(&mut self, tag: &'static str, attributes: &[(&'static str, &str)], text: &str) {
        self.start(tag, attributes);
        self.out.push('>');
        self.text(text);
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        if !matches!(tag, "a" | "code" | "span") {
            self.out.push('\n');
        }
    }
}

/// Appends `text` to `out` with `&`, `<`, `>`, `"` and `'` escaped.
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(all(test, feature = "derive"))]
mod tests {
    #![expect(dead_code, reason = "the handlers ignore their arguments")]

    use crate::prelude::*;

    /// Where to hear the album <b>online</b>.
    #[derive(Resource, Clone, Debug)]
    struct Links {
        /// Bandcamp page.
        bandcamp: String,
    }

    /// An album.
    #[derive(Resource, Clone, Debug)]
    #[pale(name = "album", default_fields(id, title))]
    struct Album {
        /// Identifier.
        id: u32,
        /// The title <script>alert("x")</script> & more.
        #[pale(write = Owner, len = 1..=40)]
        title: String,
        /// Units sold (the owner sees it).
        #[pale(audience = Owner)]
        units_sold: u64,
        /// A secret: written, never shown.
        #[pale(write = Owner, write_only)]
        secret: Option<String>,
        /// The handle, chosen once.
        #[pale(write = User, create_only)]
        handle: String,
        /// Links.
        #[pale(nested)]
        links: Links,
    }

    fn album() -> Album {
        Album {
            id: 1,
            title: "A".into(),
            units_sold: 0,
            secret: None,
            handle: "a".into(),
            links: Links {
                bandcamp: String::new(),
            },
        }
    }

    /// Get an album.
    ///
    /// With every field you may see.
    #[derive(Endpoint)]
    #[pale(GET "/albums/{album_id}", name = "album", tags("albums"))]
    struct GetAlbum {
        /// The album.
        album_id: u32,
        /// How many tracks.
        #[pale(range = 1..=100, default = 20)]
        limit: u32,
        /// Text to look for.
        #[pale(len = 2..=30)]
        q: String,
    }

    impl Handler<()> for GetAlbum {
        type Output = Album;
        async fn handle(self, _: &Context<()>) -> Result<Album, ApiError> {
            Ok(album())
        }
    }

    /// Owner-only statistics.
    #[derive(Endpoint)]
    #[pale(GET "/stats", name = "stats", audience = Owner)]
    struct Stats {}

    impl Handler<()> for Stats {
        type Output = NoContent;
        async fn handle(self, _: &Context<()>) -> Result<NoContent, ApiError> {
            Ok(NoContent)
        }
    }

    fn api() -> Api<()> {
        Api::builder(())
            .title("Albums <&> \"co\"")
            .description("Try <script>alert(1)</script> here.")
            .base_path("/api")
            .mount::<GetAlbum>()
            .mount::<Stats>()
            .build()
            .unwrap()
    }

    /// The markup of the field table of resource `name`.
    fn table<'p>(page: &'p str, name: &str) -> &'p str {
        let start = page
            .find(&format!("<table class=\"fields\" id=\"resource-{name}\">"))
            .unwrap_or_else(|| panic!("no table for {name} in {page}"));
        let end = start + page[start..].find("</table>").unwrap();
        &page[start..end]
    }

    #[test]
    fn the_resource_table_has_a_row_per_visible_field() {
        let page = super::html(&api(), Some(Audience::Public));
        let album = table(&page, "album");
        for field in ["id", "title", "handle", "links"] {
            assert!(
                album.contains(&format!("<tr id=\"field-album-{field}\">")),
                "{field} missing in {album}"
            );
        }
        assert!(album.contains("<a href=\"#resource-links\">links</a>"));
        assert!(album.contains("create-only"));
        assert!(!album.contains("secret"), "write-only fields are not read");
        assert!(table(&page, "links").contains("field-links-bandcamp"));
        assert!(page.contains("<span class=\"path\">/api/albums/{album_id}</span>"));
        assert!(page.contains("/api/albums/1?q=q</code>"), "{page}");
        assert!(page.contains("1 ≤ value ≤ 100"));
        assert!(page.contains("length 2–30"));
        assert!(page.contains("<h3 class=\"tag\">albums</h3>"));
    }

    #[test]
    fn owner_fields_and_endpoints_are_only_on_the_owner_page() {
        let public = super::html(&api(), Some(Audience::Public));
        assert!(!public.contains("units_sold"));
        assert!(!public.contains("/api/stats"));
        let owner = super::html(&api(), Some(Audience::Owner));
        assert!(table(&owner, "album").contains("<tr id=\"field-album-units_sold\">"));
        assert!(owner.contains("<h3 class=\"tag\">other</h3>"));
        assert!(owner.contains("/api/stats"));
        let full = super::html(&api(), None);
        assert!(full.contains("units_sold"));
        assert!(full.contains("write-only"));
    }

    #[test]
    fn text_is_escaped() {
        let page = super::html(&api(), None);
        assert!(!page.contains("<script"), "{page}");
        assert!(!page.contains("<b>"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("Albums &lt;&amp;&gt; &quot;co&quot;"));
    }

    #[test]
    fn the_style_hash_is_the_stylesheets() {
        use sha2::{Digest, Sha256};
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let digest = Sha256::digest(super::STYLE.as_bytes());
        let mut base64 = String::new();
        for chunk in digest.chunks(3) {
            let bits = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..4 {
                if i <= chunk.len() {
                    base64.push(char::from(ALPHABET[(bits >> (18 - 6 * i) & 63) as usize]));
                } else {
                    base64.push('=');
                }
            }
        }
        assert_eq!(super::STYLE_HASH, format!("'sha256-{base64}'"));
        let page = super::html(&api(), None);
        assert_eq!(page.matches("<style>").count(), 1);
        assert!(page.contains(&format!("<style>{}</style>", super::STYLE)));
    }

    #[test]
    fn nothing_is_loaded_from_elsewhere() {
        for audience in [None, Some(Audience::Public), Some(Audience::Admin)] {
            let page = super::html(&api(), audience);
            assert!(page.starts_with("<!DOCTYPE html>"));
            assert!(!page.contains("http://") && !page.contains("https://"));
            assert!(!page.contains("src="));
            assert!(!page.contains("href=\"http"));
            assert_eq!(
                page.matches("<link").count(),
                page.matches("<link rel=\"icon\" href=\"data:,\"/>").count(),
                "the only link is the empty icon"
            );
            assert!(
                page.matches("href=\"").count() == page.matches("href=\"#").count() + 1,
                "only in-page links, and the icon"
            );
        }
    }
}
