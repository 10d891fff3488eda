//! Every attribute name the derives understand, in one place: the parser
//! matches these constants and the "did you mean" notes list them.

/// The namespace: `#[pale(...)]`.
pub(crate) const PALE: &str = "pale";

// Container attributes.
pub(crate) const CONTEXT: &str = "context";
pub(crate) const VIEWER: &str = "viewer";
pub(crate) const DEFAULT_FIELDS: &str = "default_fields";
pub(crate) const NAME: &str = "name";
pub(crate) const DENY_UNKNOWN: &str = "deny_unknown";
pub(crate) const CACHE: &str = "cache";
pub(crate) const CORS: &str = "cors";
pub(crate) const ENVELOPE: &str = "envelope";
pub(crate) const AUDIENCE: &str = "audience";
pub(crate) const TAGS: &str = "tags";
pub(crate) const ERRORS: &str = "errors";
pub(crate) const WRITES: &str = "writes";
pub(crate) const RATE_LIMIT: &str = "rate_limit";
pub(crate) const RENAME_ALL: &str = "rename_all";
pub(crate) const CREATOR: &str = "creator";

// Field attributes.
pub(crate) const DEFAULT: &str = "default";
pub(crate) const RANGE: &str = "range";
pub(crate) const LEN: &str = "len";
pub(crate) const PATTERN: &str = "pattern";
pub(crate) const ONE_OF: &str = "one_of";
pub(crate) const RENAME: &str = "rename";
pub(crate) const SEPARATOR: &str = "separator";
pub(crate) const FROM: &str = "from";
pub(crate) const FLATTEN: &str = "flatten";
pub(crate) const SKIP: &str = "skip";
pub(crate) const VISIBLE: &str = "visible";
pub(crate) const SUBFIELDS: &str = "subfields";
pub(crate) const NESTED: &str = "nested";
pub(crate) const GETTER: &str = "getter";
pub(crate) const LINK: &str = "link";
pub(crate) const WRITE: &str = "write";
pub(crate) const CREATE_ONLY: &str = "create_only";
pub(crate) const WRITE_ONLY: &str = "write_only";
pub(crate) const ETAG: &str = "etag";
pub(crate) const MODIFIED: &str = "modified";

/// The attributes an argument field accepts.
pub(crate) const ARGUMENT_FIELD: &[&str] = &[
    DEFAULT, RANGE, LEN, PATTERN, ONE_OF, RENAME, SEPARATOR, FROM, FLATTEN,
];
/// The attributes a resource field accepts.
pub(crate) const RESOURCE_FIELD: &[&str] = &[
    RENAME,
    SKIP,
    AUDIENCE,
    VISIBLE,
    SUBFIELDS,
    NESTED,
    GETTER,
    LINK,
    WRITE,
    CREATE_ONLY,
    WRITE_ONLY,
    RANGE,
    LEN,
    PATTERN,
    ONE_OF,
];
/// The attributes of `#[derive(Arguments)]` on the struct.
pub(crate) const ARGUMENTS_CONTAINER: &[&str] = &[DENY_UNKNOWN];
/// The attributes of `#[derive(Resource)]` on the struct.
pub(crate) const RESOURCE_CONTAINER: &[&str] = &[
    CONTEXT,
    VIEWER,
    DEFAULT_FIELDS,
    NAME,
    ETAG,
    MODIFIED,
    CREATOR,
];
/// The attributes of `#[derive(Endpoint)]` on the struct, after the method
/// and path.
pub(crate) const ENDPOINT_CONTAINER: &[&str] = &[
    NAME,
    CACHE,
    CORS,
    ENVELOPE,
    AUDIENCE,
    DENY_UNKNOWN,
    TAGS,
    ERRORS,
    WRITES,
    RATE_LIMIT,
];
/// The attributes of `#[derive(ArgumentEnum)]` on the enum.
pub(crate) const ENUM_CONTAINER: &[&str] = &[RENAME_ALL];
/// The attributes of a variant.
pub(crate) const ENUM_VARIANT: &[&str] = &[RENAME];

/// The HTTP methods an endpoint can declare.
pub(crate) const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];
/// The audiences.
pub(crate) const AUDIENCES: &[&str] = &["Public", "User", "Owner", "Admin"];
/// The argument sources of `from = …`.
pub(crate) const SOURCES: &[&str] = &["path", "query", "body", "document", "header"];
