//! Writes through the field declarations (issue: no mass assignment).
//!
//! One resource with public, owner-writable, admin-only, read-only,
//! create-only and write-only fields and a nested writable resource;
//! every accepted and rejected write for Public, User, Owner and Admin
//! viewers, asserting the status, the error pointers and codes, and that a
//! rejected write changed nothing.

use std::sync::Arc;

use pale_core::argument::Raw;
use pale_core::format::{DecodeLimits, Wire};
use pale_core::prelude::*;
use pale_core::write::{WriteMode, apply};
use pale_tests::fixtures::{Caller, Store};

/// Where to find the artist elsewhere.
#[derive(Resource, Clone, Debug, PartialEq)]
struct Links {
    /// Bandcamp page.
    #[pale(write = Owner)]
    bandcamp: Option<WebUrl>,
    /// A field nobody writes.
    self_url: String,
}

/// An artist's profile.
#[derive(Resource, Clone, Debug, PartialEq)]
#[pale(context = Store, viewer = Profile::viewer, etag = Profile::etag)]
struct Profile {
    /// Identifier.
    id: u32,
    /// Display name.
    #[pale(write = Owner, len = 1..=40)]
    name: String,
    /// A short biography.
    #[pale(write = Owner, len = ..=200)]
    bio: Option<String>,
    /// Verified by the staff.
    #[pale(write = Admin)]
    verified: bool,
    /// Staff notes.
    #[pale(audience = Admin, write = Admin)]
    notes: String,
    /// Units sold (the owner sees it; nobody writes it).
    #[pale(audience = Owner)]
    units_sold: u64,
    /// A new password: written, never shown.
    #[pale(write = Owner, write_only, len = 8..)]
    password: Option<String>,
    /// The handle, chosen once.
    #[pale(write = User, create_only, pattern = "[a-z0-9_]{3,20}")]
    handle: String,
    /// Links.
    #[pale(write = Owner, nested)]
    links: Links,
    #[pale(skip)]
    owner: u32,
    #[pale(skip)]
    version: u32,
}

impl Profile {
    fn viewer(&self, ctx: &Context<Store>) -> Audience {
        match ctx.user() {
            Some(c) if c.id == self.owner => ctx.audience().max(Audience::Owner),
            _ => ctx.audience(),
        }
    }

    fn etag(&self) -> Option<String> {
        Some(format!("\"v{}\"", self.version))
    }
}

fn profile() -> Profile {
    Profile {
        id: 1,
        name: "Ann".into(),
        bio: Some("Sings.".into()),
        verified: false,
        notes: "ok".into(),
        units_sold: 12,
        password: None,
        handle: "ann".into(),
        links: Links {
            bandcamp: None,
            self_url: "/artists/1".into(),
        },
        owner: 1,
        version: 3,
    }
}

#[derive(Clone, Copy, Debug)]
enum Who {
    Public,
    User,
    Owner,
    Admin,
}

fn ctx(who: Who) -> Context<Store> {
    let user = match who {
        Who::Public => None,
        Who::User => Some(Caller {
            id: 2,
            admin: false,
        }),
        Who::Owner => Some(Caller {
            id: 1,
            admin: false,
        }),
        Who::Admin => Some(Caller {
            id: 99,
            admin: true,
        }),
    };
    Context::new(Arc::new(Store)).with_user(user)
}

fn json(text: &str) -> Raw {
    Wire::Json
        .decode(text.as_bytes(), &DecodeLimits::default())
        .unwrap()
}

/// What a write should do.
enum Expect {
    /// Accepted; the check sees the result.
    Ok(fn(&Profile) -> bool),
    /// Rejected with this status and these (pointer, code) errors.
    Err(u16, &'static [(&'static str, &'static str)]),
}

#[test]
fn patches_by_viewer() {
    use Expect::*;
    use Who::*;
    #[rustfmt::skip]
    let cases: Vec<(Who, &str, Expect)> = vec![
        // The owner writes what is theirs.
        (Owner, r#"{"name": "Annie"}"#, Ok(|p| p.name == "Annie")),
        (Owner, r#"{"bio": null}"#, Ok(|p| p.bio.is_none())),
        (Owner, r#"{"password": "correct horse"}"#, Ok(|p| p.password.as_deref() == Some("correct horse"))),
        (Owner, r#"{"links": {"bandcamp": "https://ann.bandcamp.com/"}}"#,
            Ok(|p| p.links.bandcamp.as_ref().map(ToString::to_string).as_deref() == Some("https://ann.bandcamp.com/"))),
        (Owner, r#"{}"#, Ok(|p| *p == profile())),
        // Mass assignment is refused, and nothing changes.
        (Owner, r#"{"name": "X", "units_sold": 1000000}"#, Err(422, &[("/units_sold", "read_only")])),
        (Owner, r#"{"id": 2}"#, Err(422, &[("/id", "read_only")])),
        (Owner, r#"{"owner": 2}"#, Err(422, &[("/owner", "unknown")])),
        (Owner, r#"{"nmae": "X"}"#, Err(422, &[("/nmae", "unknown")])),
        (Owner, r#"{"handle": "new_one"}"#, Err(422, &[("/handle", "read_only")])),
        (Owner, r#"{"links": {"self_url": "/x"}}"#, Err(422, &[("/links/self_url", "read_only")])),
        (Owner, r#"{"verified": true}"#, Err(403, &[])),
        (Owner, r#"{"notes": "mine now"}"#, Err(403, &[])),
        (Owner, r#"{"name": "X", "verified": true}"#, Err(403, &[])),
        // Types and constraints, with pointers, all at once.
        (Owner, r#"{"name": "", "bio": 5, "password": "short"}"#,
            Err(422, &[("/name", "empty"), ("/bio", "invalid_type"), ("/password", "too_short")])),
        (Owner, r#"{"name": null}"#, Err(422, &[("/name", "not_nullable")])),
        (Owner, r#"{"links": {"bandcamp": "javascript:alert(1)"}}"#, Err(422, &[("/links/bandcamp", "invalid_url")])),
        (Owner, r#"[1, 2]"#, Err(422, &[("", "invalid_type")])),
        // Another artist may write nothing of this profile.
        (User, r#"{"name": "Mallory"}"#, Err(403, &[])),
        (User, r#"{"units_sold": 1}"#, Err(403, &[])),
        // The public neither.
        (Public, r#"{"name": "Mallory"}"#, Err(403, &[])),
        (Public, r#"{"notes": "x"}"#, Err(403, &[])),
        // Admins write everything writable, and still not read-only fields.
        (Admin, r#"{"verified": true, "notes": "checked", "name": "Ann B"}"#,
            Ok(|p| p.verified && p.notes == "checked" && p.name == "Ann B")),
        (Admin, r#"{"units_sold": 1}"#, Err(422, &[("/units_sold", "read_only")])),
    ];
    for (who, body, expect) in cases {
        let mut target = profile();
        let result = apply(&mut target, &json(body), &ctx(who), WriteMode::Patch);
        match expect {
            Ok(check) => {
                assert!(
                    result.is_ok(),
                    "{who:?} {body}: {:?}",
                    result.err().map(|e| e.errors().to_vec())
                );
                assert!(check(&target), "{who:?} {body}: {target:?}");
            }
            Err(status, errors) => {
                let err = result.expect_err(body);
                assert_eq!(err.status().as_u16(), status, "{who:?} {body}: {err}");
                let found: Vec<(&str, &str)> = err
                    .errors()
                    .iter()
                    .map(|e| (e.pointer.as_str(), &*e.code))
                    .collect();
                assert_eq!(found, errors, "{who:?} {body}");
                assert_eq!(
                    target,
                    profile(),
                    "{who:?} {body}: a rejected write changed the object"
                );
            }
        }
    }
}

#[test]
fn a_403_names_only_what_the_viewer_can_see() {
    let mut target = profile();
    let err = apply(
        &mut target,
        &json(r#"{"verified": true, "notes": "x"}"#),
        &ctx(Who::Owner),
        WriteMode::Patch,
    )
    .unwrap_err();
    assert_eq!(err.detail(), Some("you may not write: verified"));
    let err = apply(
        &mut target,
        &json(r#"{"notes": "x"}"#),
        &ctx(Who::User),
        WriteMode::Patch,
    )
    .unwrap_err();
    assert_eq!(
        err.detail(),
        Some("you may not write some of the fields given")
    );
}

#[test]
fn creates_need_required_fields_and_take_create_only_ones() {
    let blank = || Profile {
        name: String::new(),
        handle: String::new(),
        ..profile()
    };
    let mut target = blank();
    apply(
        &mut target,
        &json(r#"{"name": "Bo", "handle": "bo_b", "links": {}}"#),
        &ctx(Who::Owner),
        WriteMode::Create,
    )
    .unwrap();
    assert_eq!(
        (target.name.as_str(), target.handle.as_str()),
        ("Bo", "bo_b")
    );

    let mut target = blank();
    let err = apply(
        &mut target,
        &json(r#"{"bio": "x"}"#),
        &ctx(Who::Owner),
        WriteMode::Create,
    )
    .unwrap_err();
    let found: Vec<&str> = err.errors().iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(found, ["/name", "/handle"]);
    assert_eq!(target, blank());

    let err = apply(
        &mut blank(),
        &json(r#"{"name": "Bo", "handle": "B!", "links": {}}"#),
        &ctx(Who::Owner),
        WriteMode::Create,
    )
    .unwrap_err();
    assert_eq!(err.errors()[0].code, "pattern");
}

#[test]
fn write_only_fields_are_never_rendered_or_selectable() {
    let meta = <Profile as Resource>::META;
    let password = meta.index_of("password").unwrap();
    for audience in Audience::ALL {
        assert!(
            !meta.visible_to(audience).contains(password),
            "{audience:?}"
        );
    }
    assert!(meta.fields[password].write.write_only);
    assert_eq!(
        meta.fields[meta.index_of("name").unwrap()].write.audience,
        Some(Audience::Owner)
    );
    assert_eq!(
        meta.fields[meta.index_of("id").unwrap()].write.audience,
        None
    );
    assert!(
        meta.fields[meta.index_of("handle").unwrap()]
            .write
            .create_only
    );
    let name_input = meta.fields[meta.index_of("name").unwrap()].input.unwrap();
    assert_eq!(
        (name_input.min_length, name_input.max_length),
        (Some(1), Some(40))
    );
}

#[test]
fn etags_and_if_match() {
    let profile = profile();
    assert_eq!(Render::<Store>::etag(&profile).as_deref(), Some("\"v3\""));
    let with_if_match = |value: Option<&str>| {
        let mut request = http::Request::builder().uri("/");
        if let Some(v) = value {
            request = request.header("if-match", v);
        }
        let (parts, ()) = request.body(()).unwrap().into_parts();
        ctx(Who::Owner).with_request(parts)
    };
    use pale_core::write::check_if_match;
    assert!(check_if_match(&with_if_match(Some("\"v3\"")), "\"v3\"", true).is_ok());
    assert!(check_if_match(&with_if_match(Some("\"v1\", \"v3\"")), "\"v3\"", true).is_ok());
    assert!(check_if_match(&with_if_match(Some("*")), "\"v3\"", true).is_ok());
    assert_eq!(
        check_if_match(&with_if_match(Some("\"v2\"")), "\"v3\"", true)
            .unwrap_err()
            .status(),
        412
    );
    assert_eq!(
        check_if_match(&with_if_match(None), "\"v3\"", true)
            .unwrap_err()
            .status(),
        428
    );
    assert!(check_if_match(&with_if_match(None), "\"v3\"", false).is_ok());
}

mod over_http {
    //! The same rules through the server: merge patches with `If-Match`,
    //! creates answering 201 with `Location`, and the updated resource
    //! rendered for the same viewer.

    use std::sync::Mutex;

    use bytes::Bytes;
    use http::{Method, Request, header};
    use http_body_util::{BodyExt, Full};
    use pale_core::argument::Raw;
    use pale_core::prelude::*;
    use pale_core::write::{WriteMode, apply, check_if_match};
    use pale_server::PaleService;
    use pale_tests::fixtures::Store;
    use tower::ServiceExt;

    use super::{Profile, profile};

    static PROFILE: Mutex<Option<Profile>> = Mutex::new(None);

    fn stored() -> Profile {
        PROFILE.lock().unwrap().clone().unwrap_or_else(profile)
    }

    /// Read a profile.
    #[derive(Endpoint)]
    #[pale(GET "/profiles/{id}", name = "profile")]
    struct GetProfile {
        id: u32,
    }

    impl Handler<Store> for GetProfile {
        type Output = Profile;
        async fn handle(self, _: &Context<Store>) -> Result<Profile, ApiError> {
            let profile = stored();
            if profile.id == self.id {
                Ok(profile)
            } else {
                Err(ApiError::not_found("profile"))
            }
        }
    }

    /// Change a profile.
    #[derive(Endpoint)]
    #[pale(PATCH "/profiles/{id}", name = "patch_profile", audience = User)]
    struct PatchProfile {
        id: u32,
        #[pale(from = document)]
        patch: Raw,
    }

    impl Handler<Store> for PatchProfile {
        type Output = Profile;
        async fn handle(self, ctx: &Context<Store>) -> Result<Profile, ApiError> {
            let mut guard = PROFILE.lock().unwrap();
            let mut profile = guard.clone().unwrap_or_else(profile);
            if profile.id != self.id {
                return Err(ApiError::not_found("profile"));
            }
            let etag = Render::<Store>::etag(&profile).unwrap_or_default();
            check_if_match(ctx, &etag, true)?;
            apply(&mut profile, &self.patch, ctx, WriteMode::Patch)?;
            profile.version += 1;
            *guard = Some(profile.clone());
            Ok(profile)
        }
    }

    /// Sign up.
    #[derive(Endpoint)]
    #[pale(POST "/profiles", name = "create_profile", audience = User)]
    struct CreateProfile {
        #[pale(from = document)]
        body: Raw,
    }

    impl Handler<Store> for CreateProfile {
        type Output = Created<Profile>;
        async fn handle(self, ctx: &Context<Store>) -> Result<Created<Profile>, ApiError> {
            let owner = ctx.user().map_or(0, |u| u.id);
            let mut profile = Profile {
                id: 5,
                name: String::new(),
                handle: String::new(),
                owner,
                ..profile()
            };
            apply(&mut profile, &self.body, ctx, WriteMode::Create)?;
            Ok(Created::at(GetProfile::path(profile.id), profile))
        }
    }

    async fn send(
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, http::HeaderMap, String) {
        let api = Api::builder(Store)
            .mount::<GetProfile>()
            .mount::<PatchProfile>()
            .mount::<CreateProfile>()
            .build()
            .unwrap();
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = PaleService::new(api)
            .unwrap()
            .oneshot(
                request
                    .body(Full::new(Bytes::from(body.to_owned())))
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, String::from_utf8(body.to_vec()).unwrap())
    }

    const PATCH: &str = "application/merge-patch+json";

    #[tokio::test]
    async fn patch_with_if_match_then_read_back() {
        *PROFILE.lock().unwrap() = None;
        let (status, headers, _) = send(Method::GET, "/profiles/1", &[], "").await;
        assert_eq!(status, 200);
        // The version and a hash of the representation read.
        let read = headers[header::ETAG].to_str().unwrap().to_owned();
        assert!(read.starts_with("\"v3."), "{read}");

        let owner = ("authorization", "Bearer 1");
        let body = r#"{"name": "Annie", "bio": null}"#;
        // No If-Match: 428; a stale one: 412; nothing changed either time.
        let (status, _, _) = send(
            Method::PATCH,
            "/profiles/1",
            &[owner, ("content-type", PATCH)],
            body,
        )
        .await;
        assert_eq!(status, 428);
        let stale = ("if-match", "\"v2\"");
        let (status, _, _) = send(
            Method::PATCH,
            "/profiles/1",
            &[owner, stale, ("content-type", PATCH)],
            body,
        )
        .await;
        assert_eq!(status, 412);
        assert_eq!(stored(), profile());

        // An XML PATCH is not a merge patch: 415 with Accept-Patch.
        // The tag as read (any representation's names the version).
        let fresh = ("if-match", read.as_str());
        let (status, headers, _) = send(
            Method::PATCH,
            "/profiles/1",
            &[owner, fresh, ("content-type", "application/xml")],
            body,
        )
        .await;
        assert_eq!(
            (status, headers["accept-patch"].to_str().unwrap()),
            (415, "application/merge-patch+json, application/json")
        );

        // Mass assignment through HTTP: 422, nothing changed.
        let (status, _, problem) = send(
            Method::PATCH,
            "/profiles/1",
            &[owner, fresh, ("content-type", PATCH)],
            r#"{"name": "X", "units_sold": 1}"#,
        )
        .await;
        assert_eq!(status, 422, "{problem}");
        assert!(
            problem.contains(r#""pointer":"/units_sold","code":"read_only""#),
            "{problem}"
        );
        assert_eq!(stored(), profile());

        // Another artist: 403, naming nothing.
        let other = ("authorization", "Bearer 2");
        let (status, _, _) = send(
            Method::PATCH,
            "/profiles/1",
            &[other, fresh, ("content-type", PATCH)],
            body,
        )
        .await;
        assert_eq!(status, 403);

        // The owner with the right tag: 200, the updated resource for the
        // owner (units_sold visible with `*`), and a new tag.
        let (status, headers, json) = send(
            Method::PATCH,
            "/profiles/1?fields=name,bio,units_sold",
            &[owner, fresh, ("content-type", PATCH)],
            body,
        )
        .await;
        assert_eq!(status, 200, "{json}");
        assert_eq!(json, r#"{"name":"Annie","bio":null,"units_sold":12}"#);
        let written = headers[header::ETAG].to_str().unwrap();
        assert!(written.starts_with("\"v4."), "{written}");
        assert_eq!(stored().name, "Annie");
    }

    #[tokio::test]
    async fn create_answers_201_with_location() {
        let user = ("authorization", "Bearer 7");
        let json = ("content-type", "application/json");
        let (status, headers, body) = send(
            Method::POST,
            "/profiles?fields=id,name,handle",
            &[user, json],
            r#"{"name": "Cleo", "handle": "cleo", "links": {}}"#,
        )
        .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(headers[header::LOCATION], "/profiles/5");
        assert_eq!(body, r#"{"id":5,"name":"Cleo","handle":"cleo"}"#);

        let (status, _, body) = send(
            Method::POST,
            "/profiles",
            &[user, json],
            r#"{"name": "Cleo"}"#,
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            body.contains(r#""pointer":"/handle","code":"missing""#),
            "{body}"
        );
    }
}

mod creator {
    //! `creator = Owner`: whoever creates one writes it as its owner, the
    //! documents say so, and a handler whose starting value does not make
    //! the caller its owner is a 500 that logs why, never a silent 403.

    use pale_core::describe::openapi;
    use pale_core::prelude::*;

    use super::{Who, ctx, json};
    use pale_tests::fixtures::Store;

    /// A song; its creator is its owner.
    #[derive(Resource, Clone, Debug, PartialEq)]
    #[pale(context = Store, viewer = Song::viewer, creator = Owner)]
    struct Song {
        /// Identifier.
        id: u32,
        /// Title.
        #[pale(write = Owner, len = 1..=40)]
        title: String,
        /// Staff notes.
        #[pale(write = Admin)]
        notes: Option<String>,
        #[pale(skip)]
        owner: u32,
    }

    impl Song {
        fn viewer(&self, ctx: &Context<Store>) -> Audience {
            match ctx.user() {
                Some(c) if c.id == self.owner => ctx.audience().max(Audience::Owner),
                _ => ctx.audience(),
            }
        }
    }

    fn start(owner: u32) -> Song {
        Song {
            id: 3,
            title: String::new(),
            notes: None,
            owner,
        }
    }

    /// Create a song.
    #[derive(Endpoint)]
    #[pale(POST "/songs", name = "create_song", audience = User)]
    struct CreateSong {
        /// The song.
        #[pale(from = document)]
        song: Create<Song>,
    }

    impl Handler<Store> for CreateSong {
        type Output = Song;
        async fn handle(self, ctx: &Context<Store>) -> Result<Song, ApiError> {
            self.song
                .apply_to(start(ctx.user().map_or(0, |c| c.id)), ctx)
        }
    }

    #[test]
    fn the_creator_writes_as_the_owner() {
        // `Who::User` is artist 2; the song starts as theirs.
        let song = Create::<Song>::new(json(r#"{"title": "Ode"}"#))
            .apply_to(start(2), &ctx(Who::User))
            .unwrap();
        assert_eq!(song.title, "Ode");
        // Admin-only fields stay admin-only.
        let err = Create::<Song>::new(json(r#"{"title": "Ode", "notes": "x"}"#))
            .apply_to(start(2), &ctx(Who::User))
            .unwrap_err();
        assert_eq!(err.status(), 403);
        assert_eq!(err.detail(), Some("you may not write: notes"));
        // Every problem at once, as in a patch.
        let err = Create::<Song>::new(json(r#"{"title": ""}"#))
            .apply_to(start(2), &ctx(Who::User))
            .unwrap_err();
        assert_eq!(err.status(), 422);
        assert_eq!(err.errors()[0].pointer, "/title");
        assert_eq!(err.errors()[0].code, "empty");
    }

    #[test]
    fn a_starting_value_that_does_not_make_the_caller_its_owner_is_a_500() {
        let err = Create::<Song>::new(json(r#"{"title": "Ode"}"#))
            .apply_to(start(1), &ctx(Who::User))
            .unwrap_err();
        assert_eq!(err.status(), 500);
        assert_eq!(
            err.log_message(),
            Some(
                "`song` declares `creator = Owner`, but the starting value given \
                 to `Create::apply_to` makes the caller `User`: set its owner first"
            )
        );
        // The client learns nothing of it.
        assert_eq!(err.detail(), None);
    }

    #[test]
    fn the_user_document_shows_what_the_creator_sends() {
        let api = Api::builder(Store).mount::<CreateSong>().build().unwrap();
        let doc = serde_json::to_value(openapi(&api, Some(Audience::User))).unwrap();
        let body = &doc["paths"]["/songs"]["post"]["requestBody"]["content"]["application/json"];
        assert_eq!(body["schema"]["$ref"], "#/components/schemas/SongCreate");
        let schema = &doc["components"]["schemas"]["SongCreate"];
        let properties: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
        assert_eq!(properties, ["title"]);
        assert_eq!(schema["required"], serde_json::json!(["title"]));
        assert_eq!(schema["properties"]["title"]["maxLength"], 40);
        // The admin's document lists the admin's fields too.
        let doc = serde_json::to_value(openapi(&api, Some(Audience::Admin))).unwrap();
        let schema = &doc["components"]["schemas"]["SongCreate"];
        let properties: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
        assert_eq!(properties, ["title", "notes"]);
    }
}
