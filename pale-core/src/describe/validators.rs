//! What the document says of conditional requests: a versioned resource's
//! `ETag` and `If-None-Match`, a dated one's `Last-Modified` and
//! `If-Modified-Since`, and the 304 a revalidating `GET` may get
//! (`reply::conditional` is what the server does).

use indexmap::IndexMap;

use super::{Header, JsonSchema, Parameter, Response};
use crate::reply::OutputMeta;

/// Which validators an operation's single resource carries.
pub(super) struct Validators {
    tagged: bool,
    dated: bool,
}

impl Validators {
    /// Those of `output`: none for lists and non-resources.
    pub(super) fn of(output: &OutputMeta) -> Self {
        let one = output.resource.filter(|_| !output.many);
        Self {
            tagged: one.is_some_and(|resource| resource.versioned),
            dated: one.is_some_and(|resource| resource.dated),
        }
    }

    /// Whether there is any.
    pub(super) fn any(&self) -> bool {
        self.tagged || self.dated
    }

    /// The success's headers.
    pub(super) fn headers(&self) -> IndexMap<String, Header> {
        let mut headers = IndexMap::new();
        if self.tagged {
            headers.insert("ETag".to_owned(), etag_header());
        }
        if self.dated {
            headers.insert("Last-Modified".to_owned(), last_modified_header());
        }
        headers
    }

    /// A `GET`'s conditional parameters.
    pub(super) fn parameters(&self) -> Vec<Parameter> {
        let mut parameters = Vec::new();
        if self.tagged {
            parameters.push(header_parameter(
                "If-None-Match",
                "The `ETag` of a copy the client holds: when it is still the \
                 representation this request would get, the answer is 304 with no body.",
            ));
        }
        if self.dated {
            parameters.push(header_parameter(
                "If-Modified-Since",
                "The `Last-Modified` of a copy the client holds (an HTTP date): when the \
                 resource has not changed since, the answer is 304 with no body. Ignored \
                 when `If-None-Match` is sent.",
            ));
        }
        parameters
    }

    /// The 304 a revalidating `GET` gets.
    pub(super) fn not_modified(&self) -> Response {
        Response {
            description: "Not Modified: the copy the client named is current; no body.".to_owned(),
            headers: {
                let mut headers = self.headers();
                headers.extend([super::error_responses::request_id_header()]);
                headers
            },
            content: IndexMap::new(),
        }
    }
}

/// The `ETag` of a versioned resource's response.
fn etag_header() -> Header {
    Header {
        description: "The representation sent: the resource's version and a hash of these \
                      bytes. Send it back as `If-None-Match` to revalidate, or as `If-Match` \
                      to write (any representation's tag names the version it was read at)."
            .to_owned(),
        schema: JsonSchema::of("string"),
    }
}

/// The `Last-Modified` of a dated resource's response.
fn last_modified_header() -> Header {
    Header {
        description: "When the resource last changed (an HTTP date, whole seconds). Send it \
                      back as `If-Modified-Since` to revalidate."
            .to_owned(),
        schema: JsonSchema::of("string"),
    }
}

fn header_parameter(name: &str, description: &str) -> Parameter {
    Parameter {
        name: name.to_owned(),
        location: "header",
        description: description.to_owned(),
        required: false,
        schema: JsonSchema::of("string"),
    }
}
