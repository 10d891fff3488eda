//! The OpenAPI generator over a small API that uses every feature it
//! documents: an endpoint with every argument constraint and source, a
//! resource with public, owner, admin, write-only, optional and nested
//! fields, a PATCH, a 201, a 204, a page, an owner-only endpoint, declared
//! error statuses and a body written into another resource than the output.
//!
//! Set `PALE_OPENAPI_VALIDATOR` to an `openapi-spec-validator` executable
//! (CI does) and every document written here is also checked by it.

// The endpoints' arguments are read by the generator, not by the handlers.
#![expect(dead_code, reason = "the handlers ignore their arguments")]

use pale_core::OpenApiVersion;
use pale_core::describe::{self, OpenApi};
use pale_core::prelude::*;
use pale_tests::fixtures::Store;
use serde_json::{Value, json};

/// Where to find the artist elsewhere.
#[derive(Resource, Clone, Debug)]
struct Links {
    /// Bandcamp page.
    #[pale(write = Owner)]
    bandcamp: Option<WebUrl>,
    /// A field nobody writes.
    self_url: String,
}

/// An artist's profile.
#[derive(Resource, Clone, Debug)]
#[pale(name = "profile", default_fields(id, name, links))]
struct Profile {
    /// Identifier.
    id: u32,
    /// Display name.
    #[pale(write = Owner, len = 1..=40)]
    name: String,
    /// Units sold (the owner sees it; nobody writes it).
    #[pale(audience = Owner)]
    units_sold: u64,
    /// Staff notes.
    #[pale(audience = Admin, write = Admin)]
    notes: String,
    /// A new password: written, never shown.
    #[pale(write = Owner, write_only, len = 8..)]
    password: Option<String>,
    /// The handle, chosen once.
    #[pale(write = User, create_only, pattern = "[a-z0-9_]{3,20}")]
    handle: String,
    /// Links.
    #[pale(write = Owner, nested)]
    links: Links,
}

fn profile() -> Profile {
    Profile {
        id: 1,
        name: "Ann".into(),
        units_sold: 3,
        notes: String::new(),
        password: None,
        handle: "ann".into(),
        links: Links {
            bandcamp: None,
            self_url: "/profiles/1".into(),
        },
    }
}

/// Search profiles.
///
/// Every constraint, every source.
#[derive(Endpoint)]
#[pale(GET "/profiles/{group}", name = "search", tags("profiles"))]
struct Search {
    /// The group.
    group: u32,
    /// Text to look for.
    #[pale(len = 2..=30, pattern = "[a-z ]+")]
    q: String,
    /// How many.
    #[pale(range = 1..=100, default = 20)]
    limit: u32,
    /// The order.
    #[pale(one_of("name", "-name"), default = "name")]
    order: String,
    /// A trace id.
    #[pale(from = header("X-Trace-Id"))]
    trace: Option<String>,
    /// The page, from the query only.
    #[pale(from = query)]
    page: Option<u64>,
}

impl Handler<Store> for Search {
    type Output = Page<Profile>;
    async fn handle(self, _: &Context<Store>) -> Result<Self::Output, ApiError> {
        Ok(Page::new(vec![profile()], 1, 20, 1))
    }
}

/// Create a profile.
#[derive(Endpoint)]
#[pale(POST "/profiles", name = "create_profile", envelope = "profile")]
struct CreateProfile {
    /// The new profile.
    #[pale(from = document)]
    body: pale_core::argument::RawMap,
}

impl Handler<Store> for CreateProfile {
    type Output = Created<Profile>;
    async fn handle(self, _: &Context<Store>) -> Result<Self::Output, ApiError> {
        Ok(Created::at("/profiles/1".into(), profile()))
    }
}

/// Change a profile.
#[derive(Endpoint)]
#[pale(PATCH "/profiles/{id}", name = "patch_profile")]
struct PatchProfile {
    /// The profile.
    id: u32,
    /// The merge patch.
    #[pale(from = document)]
    patch: pale_core::argument::RawMap,
}

impl Handler<Store> for PatchProfile {
    type Output = Profile;
    async fn handle(self, _: &Context<Store>) -> Result<Self::Output, ApiError> {
        Ok(profile())
    }
}

/// Delete a profile.
#[derive(Endpoint)]
#[pale(DELETE "/profiles/{id}", name = "delete_profile", audience = Owner, errors(409))]
struct DeleteProfile {
    /// The profile.
    id: u32,
}

impl Handler<Store> for DeleteProfile {
    type Output = NoContent;
    async fn handle(self, _: &Context<Store>) -> Result<NoContent, ApiError> {
        Ok(NoContent)
    }
}

/// Replace a profile's links; answers the whole profile.
#[derive(Endpoint)]
#[pale(PUT "/profiles/{id}/links", name = "set_links", audience = Owner, writes = Links)]
struct SetLinks {
    /// The profile.
    id: u32,
    /// The links.
    #[pale(from = document)]
    links: pale_core::argument::RawMap,
}

impl Handler<Store> for SetLinks {
    type Output = Profile;
    async fn handle(self, _: &Context<Store>) -> Result<Self::Output, ApiError> {
        Ok(profile())
    }
}

fn api() -> Api<Store> {
    Api::builder(Store)
        .title("Profiles")
        .base_path("/v1")
        .mount::<Search>()
        .mount::<CreateProfile>()
        .mount::<PatchProfile>()
        .mount::<DeleteProfile>()
        .mount::<SetLinks>()
        .build()
        .unwrap()
}

fn document(audience: Option<Audience>) -> Value {
    let document: OpenApi = describe::openapi(&api(), audience);
    serde_json::to_value(document).unwrap()
}

fn properties(schema: &Value) -> Vec<&str> {
    schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn operations_carry_their_method_path_name_and_docs() {
    let doc = document(Some(Audience::Public));
    assert_eq!(doc["openapi"], "3.1.0");
    let search = &doc["paths"]["/v1/profiles/{group}"]["get"];
    assert_eq!(search["operationId"], "search");
    assert_eq!(search["summary"], "Search profiles.");
    assert_eq!(search["description"], "Every constraint, every source.");
    assert_eq!(search["tags"], json!(["profiles"]));
    assert_eq!(doc["tags"], json!([{"name": "profiles"}]));
}

#[test]
fn every_constraint_is_json_schema() {
    let doc = document(Some(Audience::Public));
    let params = doc["paths"]["/v1/profiles/{group}"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let find = |name: &str| params.iter().find(|p| p["name"] == name).unwrap();
    assert_eq!(find("group")["in"], "path");
    assert_eq!(find("group")["required"], true);
    let q = find("q");
    assert_eq!(
        (q["in"].as_str(), q["required"].as_bool()),
        (Some("query"), Some(true))
    );
    assert_eq!(q["schema"]["minLength"], 2);
    assert_eq!(q["schema"]["maxLength"], 30);
    assert_eq!(q["schema"]["pattern"], "[a-z ]+");
    let limit = &find("limit")["schema"];
    assert_eq!(
        (&limit["minimum"], &limit["maximum"], &limit["default"]),
        (&json!(1), &json!(100), &json!(20))
    );
    assert_eq!(limit["format"], "uint32");
    assert_eq!(find("limit")["required"], false);
    assert_eq!(find("order")["schema"]["enum"], json!(["name", "-name"]));
    assert_eq!(find("order")["schema"]["default"], "name");
    assert_eq!(find("X-Trace-Id")["in"], "header");
    assert_eq!(find("page")["in"], "query");
    assert_eq!(find("fields")["in"], "query");
}

#[test]
fn responses_match_what_the_server_can_answer() {
    let doc = document(Some(Audience::Admin));
    let statuses = |path: &str, method: &str| -> Vec<String> {
        doc["paths"][path][method]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    #[rustfmt::skip]
    let cases: &[(&str, &str, &[&str])] = &[
        ("/v1/profiles/{group}", "get", &["200", "400", "403", "404", "406", "422", "429", "500"]),
        ("/v1/profiles", "post", &["201", "400", "403", "404", "406", "413", "415", "422", "429", "500"]),
        ("/v1/profiles/{id}", "patch", &["200", "400", "403", "404", "406", "413", "415", "422", "429", "500"]),
        // 409 is the endpoint's own `errors(409)`.
        ("/v1/profiles/{id}", "delete", &["204", "400", "401", "403", "404", "406", "409", "422", "429", "500"]),
    ];
    // A 429 says when to come back (failed authentications are throttled).
    let throttled = &doc["components"]["responses"]["TooManyRequests"]["headers"];
    for header in ["Retry-After", "RateLimit", "RateLimit-Policy"] {
        assert!(throttled[header].is_object(), "{header}");
    }
    for (path, method, expected) in cases {
        assert_eq!(statuses(path, method), *expected, "{method} {path}");
    }
    let created = &doc["paths"]["/v1/profiles"]["post"]["responses"]["201"];
    assert!(created["headers"]["Location"].is_object());
    assert_eq!(
        created["content"]["application/json"]["schema"]["properties"]["profile"]["anyOf"],
        json!([
            {"$ref": "#/components/schemas/Profile"},
            {"$ref": "#/components/schemas/ProfilePartial"}
        ])
    );
    assert!(doc["paths"]["/v1/profiles/{id}"]["delete"]["responses"]["204"]["content"].is_null());
    let problem = &doc["components"]["responses"]["NotFound"]["content"];
    for media in ["application/problem+json", "application/problem+xml"] {
        assert_eq!(
            problem[media]["schema"]["$ref"],
            "#/components/schemas/Problem"
        );
    }
    let fields = properties(&doc["components"]["schemas"]["Problem"]);
    for member in ["type", "title", "status", "code", "request_id", "errors"] {
        assert!(fields.contains(&member), "{member}");
    }
}

#[test]
fn pages_lists_and_nested_resources_are_references() {
    let doc = document(Some(Audience::Public));
    let ok = &doc["paths"]["/v1/profiles/{group}"]["get"]["responses"]["200"]["content"];
    assert_eq!(
        ok["application/json"]["schema"]["anyOf"],
        json!([
            {"$ref": "#/components/schemas/ProfilePage"},
            {"$ref": "#/components/schemas/ProfilePagePartial"}
        ])
    );
    let page = &doc["components"]["schemas"]["ProfilePage"];
    assert_eq!(
        properties(page),
        ["items", "page", "per_page", "total", "pages", "links"]
    );
    assert_eq!(
        page["properties"]["items"]["items"]["$ref"],
        "#/components/schemas/Profile"
    );
    // Without `fields=`, every member is there; a selected page may have any.
    assert_eq!(
        page["required"],
        json!(["items", "page", "per_page", "total", "pages", "links"])
    );
    let partial = &doc["components"]["schemas"]["ProfilePagePartial"];
    assert!(partial["required"].is_null());
    assert_eq!(
        partial["properties"]["items"]["items"]["$ref"],
        "#/components/schemas/ProfilePartial"
    );
    // Lists are wrapped in XML, as Pale writes and reads them.
    assert_eq!(page["properties"]["items"]["xml"], json!({"wrapped": true}));
    let links = &doc["components"]["schemas"]["Profile"]["properties"]["links"];
    assert_eq!(links["$ref"], "#/components/schemas/LinksPartial");
    assert_eq!(links["x-pale-default"], true);
}

#[test]
fn each_audience_sees_its_own_fields_and_endpoints() {
    let fields = |audience| {
        properties(&document(Some(audience))["components"]["schemas"]["Profile"])
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(fields(Audience::Public), ["id", "name", "handle", "links"]);
    assert_eq!(
        fields(Audience::Owner),
        ["id", "name", "units_sold", "handle", "links"]
    );
    assert_eq!(
        fields(Audience::Admin),
        ["id", "name", "units_sold", "notes", "handle", "links"]
    );
    // The owner-only endpoint is absent below its audience.
    let public = document(Some(Audience::Public));
    assert!(public["paths"]["/v1/profiles/{id}"]["delete"].is_null());
    assert!(!public.to_string().contains("units_sold"));
    let owner = document(Some(Audience::Owner));
    assert!(owner["paths"]["/v1/profiles/{id}"]["delete"].is_object());
    // Opt-in fields are named in the resource's description.
    let profile = &owner["components"]["schemas"]["Profile"];
    assert!(
        profile["description"]
            .as_str()
            .unwrap()
            .contains("Opt-in with `fields=`: `units_sold` and `handle`"),
        "{profile}"
    );
    assert_eq!(
        profile["properties"]["units_sold"].get("x-pale-default"),
        None
    );
}

#[test]
fn write_schemas_hold_what_the_audience_may_write() {
    let write = |audience, name: &str| {
        let doc = document(Some(audience));
        let schema = doc["components"]["schemas"][name].clone();
        (
            properties(&schema)
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>(),
            schema,
        )
    };
    // The public may write nothing: no write schema, a free-form body.
    let public = document(Some(Audience::Public));
    assert!(public["components"]["schemas"]["ProfileCreate"].is_null());
    let body = &public["paths"]["/v1/profiles"]["post"]["requestBody"]["content"];
    assert_eq!(
        body["application/json"]["schema"],
        json!({"type": "object"})
    );
    let (user, schema) = write(Audience::User, "ProfileCreate");
    assert_eq!(user, ["handle"]);
    assert_eq!(schema["required"], json!(["handle"]));
    let (owner, schema) = write(Audience::Owner, "ProfileCreate");
    assert_eq!(owner, ["name", "password", "handle", "links"]);
    // A nested writable resource is written field by field: never required whole.
    assert_eq!(schema["required"], json!(["name", "handle"]));
    assert_eq!(schema["properties"]["password"]["writeOnly"], true);
    // An optional field may be left out of a create: its schema is the
    // value's, with no null and no "" branch (docs/writes.md).
    assert_eq!(schema["properties"]["password"]["type"], "string");
    assert_eq!(schema["properties"]["password"]["minLength"], 8);
    assert!(schema["properties"]["password"]["anyOf"].is_null());
    // Unknown fields are refused, so the schema is closed.
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(
        schema["properties"]["links"]["$ref"],
        "#/components/schemas/LinksCreate"
    );
    // A patch never requires, and create-only fields are not in it.
    let (patch, schema) = write(Audience::Owner, "ProfilePatch");
    assert_eq!(patch, ["name", "password", "links"]);
    assert!(schema["required"].is_null());
    // A merge patch clears an optional field with null.
    assert_eq!(
        schema["properties"]["password"]["anyOf"],
        json!([{"type": "string", "minLength": 8}, {"type": "null"}])
    );
    let doc = document(Some(Audience::Owner));
    let body = &doc["paths"]["/v1/profiles/{id}"]["patch"]["requestBody"]["content"];
    assert_eq!(
        body.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["application/merge-patch+json"]
    );
    assert_eq!(
        body["application/merge-patch+json"]["schema"]["$ref"],
        "#/components/schemas/ProfilePatch"
    );
    // A form cannot carry the nested `links` (nor a null): not offered.
    let body = &doc["paths"]["/v1/profiles"]["post"]["requestBody"]["content"];
    assert_eq!(
        body.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["application/json", "application/xml"]
    );
    // The user's write schema is flat (`handle`): a form carries it.
    let user = document(Some(Audience::User));
    let body = &user["paths"]["/v1/profiles"]["post"]["requestBody"]["content"];
    assert_eq!(
        body.as_object().unwrap().keys().collect::<Vec<_>>(),
        [
            "application/json",
            "application/xml",
            "application/x-www-form-urlencoded"
        ]
    );
}

#[test]
fn optional_fields_are_nullable() {
    let doc = document(Some(Audience::Owner));
    let links = &doc["components"]["schemas"]["LinksPartial"]["properties"];
    assert_eq!(
        links["bandcamp"],
        json!({
            "description": "Bandcamp page.",
            "anyOf": [{"type": "string", "format": "uri"}, {"type": "null"}],
            "x-pale-default": true
        })
    );
    assert_eq!(links["self_url"]["type"], "string");
    assert!(links["self_url"]["anyOf"].is_null());
}

#[test]
fn a_body_written_into_another_resource_has_that_resources_schema() {
    let doc = document(Some(Audience::Owner));
    let body = &doc["paths"]["/v1/profiles/{id}/links"]["put"]["requestBody"]["content"];
    assert_eq!(
        body["application/json"]["schema"]["$ref"],
        "#/components/schemas/LinksCreate"
    );
    let ok = &doc["paths"]["/v1/profiles/{id}/links"]["put"]["responses"]["200"]["content"];
    assert_eq!(
        ok["application/json"]["schema"]["anyOf"][0]["$ref"],
        "#/components/schemas/Profile"
    );
}

#[test]
fn the_fields_parameter_spells_out_the_selections_accepted() {
    let pattern = |audience| {
        let doc = document(Some(audience));
        let params = doc["paths"]["/v1/profiles/{group}"]["get"]["parameters"].clone();
        let fields = params
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "fields")
            .unwrap()
            .clone();
        regex_lite::Regex::new(fields["schema"]["pattern"].as_str().unwrap()).unwrap()
    };
    let (public, owner) = (pattern(Audience::Public), pattern(Audience::Owner));
    for text in [
        "",
        "*",
        "id",
        "name, links(bandcamp,self_url)",
        "links( * )",
    ] {
        assert!(public.is_match(text), "{text:?}");
    }
    // Hidden, unknown, a scalar's sub-selection, broken syntax.
    for text in ["units_sold", "nope", "id(x)", "links(", ",id", "password"] {
        assert!(!public.is_match(text), "{text:?}");
    }
    assert!(owner.is_match("id,units_sold"));
}

#[test]
fn the_full_document_marks_who_reads_and_writes() {
    let doc = document(None);
    assert_eq!(doc["info"]["x-pale-audience"], "full");
    let profile = &doc["components"]["schemas"]["Profile"]["properties"];
    assert_eq!(
        profile["notes"]["x-pale-audience"],
        json!({"read": "admin", "write": "admin"})
    );
    assert_eq!(
        profile["id"]["x-pale-audience"],
        json!({"read": "public", "write": null})
    );
    assert_eq!(profile["password"]["writeOnly"], true);
    assert_eq!(
        doc["paths"]["/v1/profiles/{id}"]["delete"]["x-pale-audience"],
        "owner"
    );
}

#[test]
fn the_description_lists_endpoints_and_fields() {
    let description =
        serde_json::to_value(describe::description(&api(), Some(Audience::Public))).unwrap();
    let names: Vec<&str> = description["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["search", "create_profile", "patch_profile"]);
    assert_eq!(
        description["endpoints"][0]["arguments"][1]["schema"]["minLength"],
        2
    );
    let profile = &description["resources"]["profile"];
    assert_eq!(profile["default_fields"], json!(["id", "name", "links"]));
    let fields: Vec<&str> = profile["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["id", "name", "handle", "links"]);
    assert!(description["resources"]["links"].is_object());
}

/// Every document, checked by an independent validator when CI names one.
#[test]
fn every_document_passes_the_validator() {
    let Some(validator) = std::env::var_os("PALE_OPENAPI_VALIDATOR") else {
        return;
    };
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("openapi");
    std::fs::create_dir_all(&dir).unwrap();
    let versions = [OpenApiVersion::V3_1, OpenApiVersion::V3_0];
    for audience in Audience::ALL.map(Some).into_iter().chain([None]) {
        for version in versions {
            let name = format!("{}-{version:?}", audience.map_or("full", Audience::as_str));
            let path = dir.join(format!("{name}.json"));
            let document = describe::openapi_in(&api(), audience, version);
            std::fs::write(&path, serde_json::to_vec_pretty(&document).unwrap()).unwrap();
            let output = std::process::Command::new(&validator)
                .arg(&path)
                .output()
                .expect("the validator runs");
            assert!(
                output.status.success(),
                "{name}: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

#[test]
fn the_3_0_document_says_null_with_nullable() {
    let document = describe::openapi_in(&api(), Some(Audience::Owner), OpenApiVersion::V3_0);
    let doc = serde_json::to_value(document).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    let text = doc.to_string();
    assert!(!text.contains(r#""type":"null""#), "{text}");
    let bandcamp = &doc["components"]["schemas"]["LinksPartial"]["properties"]["bandcamp"];
    assert_eq!(
        (
            &bandcamp["type"],
            &bandcamp["format"],
            &bandcamp["nullable"]
        ),
        (&json!("string"), &json!("uri"), &json!(true))
    );
    // The rest is the 3.1 document's: the same operations and components.
    let v31 = document_paths_and_components(&document_value(OpenApiVersion::V3_1));
    assert_eq!(document_paths_and_components(&doc), v31);
}

fn document_value(version: OpenApiVersion) -> Value {
    serde_json::to_value(describe::openapi_in(&api(), Some(Audience::Owner), version)).unwrap()
}

/// The operations and the component names of a document.
fn document_paths_and_components(doc: &Value) -> (Vec<String>, Vec<String>) {
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    (keys(&doc["paths"]), keys(&doc["components"]["schemas"]))
}

#[test]
fn operations_that_need_a_caller_declare_the_bearer_scheme() {
    let owner = document(Some(Audience::Owner));
    let scheme = &owner["components"]["securitySchemes"]["bearer"];
    assert_eq!(
        (&scheme["type"], &scheme["scheme"]),
        (&json!("http"), &json!("bearer"))
    );
    let delete = &owner["paths"]["/v1/profiles/{id}"]["delete"];
    assert_eq!(delete["security"], json!([{"bearer": []}]));
    assert!(delete["responses"]["401"].is_object());
    // This API does not declare `bearer_auth`: its public operations read
    // no token, so they neither declare the scheme nor answer 401.
    let patch = &owner["paths"]["/v1/profiles/{id}"]["patch"];
    assert!(patch["security"].is_null());
    assert!(patch["responses"]["401"].is_null());
    let public = document(Some(Audience::Public));
    assert!(public["components"]["securitySchemes"].is_null());
}

#[test]
fn every_response_documents_its_request_id() {
    let doc = document(Some(Audience::Owner));
    let delete = &doc["paths"]["/v1/profiles/{id}"]["delete"]["responses"];
    assert!(delete["204"]["headers"]["x-request-id"].is_object());
    for (name, response) in doc["components"]["responses"].as_object().unwrap() {
        assert!(response["headers"]["x-request-id"].is_object(), "{name}");
    }
}

#[test]
fn the_json_only_document_lists_one_json_media_type_per_body() {
    let full = document_value(OpenApiVersion::V3_0);
    let json_only = describe::json_only(describe::openapi_in(
        &api(),
        Some(Audience::Owner),
        OpenApiVersion::V3_0,
    ));
    let doc = serde_json::to_value(json_only).unwrap();
    let media = |body: &Value| {
        body["content"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    // The full document: JSON, XML and forms for a POST, a merge patch for
    // a PATCH; the JSON-only one: `application/json` alone, the PATCH's
    // merge patch included (the server reads it as `application/json`).
    let create = |d: &Value| d["paths"]["/v1/profiles"]["post"]["requestBody"].clone();
    let patch = |d: &Value| d["paths"]["/v1/profiles/{id}"]["patch"]["requestBody"].clone();
    assert!(media(&create(&full)).len() > 1, "{}", create(&full));
    assert_eq!(media(&patch(&full)), ["application/merge-patch+json"]);
    assert_eq!(media(&create(&doc)), ["application/json"]);
    assert_eq!(media(&patch(&doc)), ["application/json"]);
    assert_eq!(
        patch(&doc)["content"]["application/json"],
        patch(&full)["content"]["application/merge-patch+json"]
    );
    // Responses: JSON and JSON problems only, the statuses unchanged.
    let responses = |d: &Value| d["paths"]["/v1/profiles/{id}"]["patch"]["responses"].clone();
    for (status, answer) in responses(&doc).as_object().unwrap() {
        if let Some(content) = answer["content"].as_object() {
            for media_type in content.keys() {
                assert!(
                    ["application/json", "application/problem+json"].contains(&media_type.as_str()),
                    "{status}: {media_type}"
                );
            }
        }
    }
    let statuses = |d: &Value| {
        responses(d)
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(statuses(&doc), statuses(&full));
    for (name, answer) in doc["components"]["responses"].as_object().unwrap() {
        assert_eq!(
            answer["content"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["application/problem+json"],
            "{name}"
        );
    }
    // The same operations and schemas.
    assert_eq!(
        document_paths_and_components(&doc),
        document_paths_and_components(&full)
    );
}
