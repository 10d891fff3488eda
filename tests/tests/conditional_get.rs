//! Conditional requests over HTTP (issue 18): representation tags,
//! `If-None-Match` → 304, `Vary`, and `If-Match` comparing resource
//! versions whatever representation the client read. A real server on a
//! loopback port, raw HTTP/1.1 exchanges.

use std::net::SocketAddr;
use std::sync::Mutex;

use pale_core::argument::Raw;
use pale_core::prelude::*;
use pale_core::write::{WriteMode, apply, check_if_match_value};
use pale_server::Server;
use pale_tests::fixtures::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A song: a public title, an owner-only royalty figure, a version.
#[derive(Resource, Clone, Debug)]
#[pale(context = Store, viewer = Song::viewer, etag = Song::etag)]
struct Song {
    /// Identifier.
    id: u32,
    /// Title.
    #[pale(write = Owner, len = 1..=80)]
    title: String,
    /// Royalties earned, for its writer only.
    #[pale(audience = Owner)]
    royalties_cents: u64,
    #[pale(skip)]
    version: u32,
}

impl Song {
    fn viewer(&self, ctx: &Context<Store>) -> Audience {
        match ctx.user() {
            Some(caller) if caller.id == 1 => Audience::Owner,
            _ => ctx.audience(),
        }
    }

    fn etag(&self) -> Option<String> {
        Some(format!("\"v{}\"", self.version))
    }
}

/// The stored song (`None`: as at the start).
static SONG: Mutex<Option<Song>> = Mutex::new(None);

/// Held by each test: they share [`SONG`].
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn song() -> Song {
    SONG.lock().unwrap().clone().unwrap_or(Song {
        id: 1,
        title: "Night Ferry".into(),
        royalties_cents: 4200,
        version: 3,
    })
}

/// Read the song.
#[derive(Endpoint)]
#[pale(GET "/songs/1", name = "get_song")]
struct GetSong {}

impl Handler<Store> for GetSong {
    type Output = Song;
    async fn handle(self, _: &Context<Store>) -> Result<Song, ApiError> {
        Ok(song())
    }
}

/// Change the song (its writer, with `If-Match`).
#[derive(Endpoint)]
#[pale(PATCH "/songs/1", name = "patch_song", audience = User, errors(412, 428))]
struct PatchSong {
    #[pale(from = header("If-Match"))]
    if_match: Option<String>,
    #[pale(from = document)]
    patch: Raw,
}

impl Handler<Store> for PatchSong {
    type Output = Song;
    async fn handle(self, ctx: &Context<Store>) -> Result<Song, ApiError> {
        let before = song();
        let current = before.etag().unwrap();
        check_if_match_value(self.if_match.as_deref(), &current, true)?;
        let mut after = before;
        apply(&mut after, &self.patch, ctx, WriteMode::Patch)?;
        after.version += 1;
        *SONG.lock().unwrap() = Some(after.clone());
        Ok(after)
    }
}

/// A response off the wire.
#[derive(Debug)]
struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn etag(&self) -> String {
        self.header("etag").expect("an ETag").to_owned()
    }
}

async fn exchange(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut raw),
    )
    .await
    .expect("an answer within 10 s")
    .unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head[9..12].parse().unwrap();
    Reply {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

/// A setlist: says when it last changed, and has a version too.
#[derive(Resource, Clone, Debug)]
#[pale(context = Store, etag = Setlist::etag, modified = Setlist::modified)]
struct Setlist {
    /// Identifier.
    id: u32,
    /// The songs, in order.
    songs: Vec<String>,
}

/// 2026-03-01T12:00:00.5Z: half a second past the minute, as a database
/// clock would say.
const SETLIST_CHANGED: std::time::Duration = std::time::Duration::from_millis(1_772_366_400_500);

impl Setlist {
    fn etag(&self) -> Option<String> {
        Some("\"s7\"".to_owned())
    }

    fn modified(&self) -> Option<std::time::SystemTime> {
        Some(std::time::UNIX_EPOCH + SETLIST_CHANGED)
    }
}

/// A note: dated, with no version.
#[derive(Resource, Clone, Debug)]
#[pale(context = Store, modified = Note::modified)]
struct Note {
    /// The text.
    text: String,
}

impl Note {
    fn modified(&self) -> Option<std::time::SystemTime> {
        Some(std::time::UNIX_EPOCH + SETLIST_CHANGED)
    }
}

/// Read the setlist.
#[derive(Endpoint)]
#[pale(GET "/setlist", name = "get_setlist")]
struct GetSetlist {}

impl Handler<Store> for GetSetlist {
    type Output = Setlist;
    async fn handle(self, _: &Context<Store>) -> Result<Setlist, ApiError> {
        Ok(Setlist {
            id: 1,
            songs: vec!["Night Ferry".into()],
        })
    }
}

/// Read the note.
#[derive(Endpoint)]
#[pale(GET "/note", name = "get_note")]
struct GetNote {}

impl Handler<Store> for GetNote {
    type Output = Note;
    async fn handle(self, _: &Context<Store>) -> Result<Note, ApiError> {
        Ok(Note {
            text: "soundcheck at six".into(),
        })
    }
}

async fn serve() -> SocketAddr {
    let api = Api::builder(Store)
        .mount::<GetSong>()
        .mount::<PatchSong>()
        .mount::<GetSetlist>()
        .mount::<GetNote>()
        .build()
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = Server::from_listener(listener);
    let addr = server.local_addr().unwrap();
    tokio::spawn(server.serve(api));
    addr
}

/// Request headers, path, the status expected.
type Case = (Vec<(&'static str, String)>, &'static str, u16);

const OWNER: (&str, &str) = ("authorization", "Bearer 1");
const XML: (&str, &str) = ("accept", "application/xml");

#[tokio::test]
async fn conditional_gets_answer_304_only_for_the_same_representation() {
    let _alone = ONE_AT_A_TIME.lock().await;
    *SONG.lock().unwrap() = None;
    let addr = serve().await;
    let get = |headers: Vec<(&'static str, String)>, path: &'static str| async move {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        exchange(addr, "GET", path, &headers, "").await
    };
    let public = get(vec![], "/songs/1").await;
    assert_eq!(public.status, 200);
    assert_eq!(public.header("vary"), Some("Accept, Authorization"));
    let public_tag = public.etag();
    assert!(
        public_tag.starts_with("\"v3.") && public_tag.len() == "\"v3.\"".len() + 16,
        "{public_tag}"
    );
    let owner = get(vec![(OWNER.0, OWNER.1.into())], "/songs/1").await;
    let owner_tag = owner.etag();
    assert!(owner.body.contains("royalties_cents"), "{}", owner.body);
    assert_ne!(owner_tag, public_tag);
    let xml_tag = get(vec![(XML.0, XML.1.into())], "/songs/1").await.etag();
    let title_tag = get(vec![], "/songs/1?fields=title").await.etag();
    assert_ne!(xml_tag, public_tag);
    assert_ne!(title_tag, public_tag);

    // (request headers, path, expected status)
    let inm = "if-none-match";
    let cases: Vec<Case> = vec![
        (vec![(inm, public_tag.clone())], "/songs/1", 304),
        (vec![(inm, format!("W/{public_tag}"))], "/songs/1", 304),
        (
            vec![(inm, format!("\"v2.0000000000000000\", {public_tag}"))],
            "/songs/1",
            304,
        ),
        (vec![(inm, "*".into())], "/songs/1", 304),
        (vec![(inm, "\"v3\"".into())], "/songs/1", 200),
        (
            vec![(inm, "\"v2.0000000000000000\"".into())],
            "/songs/1",
            200,
        ),
        // Another viewer's, format's or selection's copy is not this one.
        (
            vec![(inm, public_tag.clone()), (OWNER.0, OWNER.1.into())],
            "/songs/1",
            200,
        ),
        (
            vec![(inm, owner_tag.clone()), (OWNER.0, OWNER.1.into())],
            "/songs/1",
            304,
        ),
        (vec![(inm, owner_tag.clone())], "/songs/1", 200),
        (
            vec![(inm, public_tag.clone()), (XML.0, XML.1.into())],
            "/songs/1",
            200,
        ),
        (
            vec![(inm, xml_tag.clone()), (XML.0, XML.1.into())],
            "/songs/1",
            304,
        ),
        (
            vec![(inm, public_tag.clone())],
            "/songs/1?fields=title",
            200,
        ),
        (vec![(inm, title_tag.clone())], "/songs/1?fields=title", 304),
    ];
    for (headers, path, expected) in cases {
        let reply = get(headers.clone(), path).await;
        assert_eq!(reply.status, expected, "{headers:?} {path}: {reply:?}");
        if expected == 304 {
            assert_eq!(reply.body, "", "{headers:?}");
            assert_eq!(reply.header("content-type"), None, "{reply:?}");
            assert_eq!(reply.header("content-length"), None, "{reply:?}");
            assert!(reply.header("etag").is_some(), "{reply:?}");
            assert_eq!(
                reply.header("vary"),
                Some("Accept, Authorization"),
                "{reply:?}"
            );
            assert_eq!(reply.header("cache-control"), Some("no-cache"), "{reply:?}");
        }
    }
    // HEAD revalidates as GET does.
    let head = exchange(
        addr,
        "HEAD",
        "/songs/1",
        &[("if-none-match", &public_tag)],
        "",
    )
    .await;
    assert_eq!(head.status, 304, "{head:?}");
}

#[tokio::test]
async fn if_match_takes_any_representations_tag_and_a_write_changes_them_all() {
    let _alone = ONE_AT_A_TIME.lock().await;
    *SONG.lock().unwrap() = None;
    let addr = serve().await;
    let public_tag = exchange(addr, "GET", "/songs/1", &[], "").await.etag();
    let xml_tag = exchange(addr, "GET", "/songs/1", &[XML], "").await.etag();
    let patch = |tag: String, title: &'static str| async move {
        let body = format!("{{\"title\": \"{title}\"}}");
        exchange(
            addr,
            "PATCH",
            "/songs/1",
            &[
                OWNER,
                ("content-type", "application/merge-patch+json"),
                ("if-match", &tag),
            ],
            &body,
        )
        .await
    };
    // The public JSON tag names version 3: the owner may write with it.
    let written = patch(public_tag.clone(), "Night Ferry Blues").await;
    assert_eq!(written.status, 200, "{written:?}");
    assert!(written.etag().starts_with("\"v4."), "{written:?}");
    // The XML tag named version 3 too: stale now.
    assert_eq!(patch(xml_tag, "Again").await.status, 412);
    assert_eq!(patch("W/\"v4\"".into(), "Weak").await.status, 412);
    // The old copy is no longer current.
    let reply = exchange(
        addr,
        "GET",
        "/songs/1",
        &[("if-none-match", &public_tag)],
        "",
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("Night Ferry Blues"), "{reply:?}");
}

/// A path, request headers, the status expected.
type DatedCase<'a> = (&'a str, Vec<(&'a str, &'a str)>, u16);

#[tokio::test]
async fn if_modified_since_answers_304_unless_if_none_match_decides() {
    let addr = serve().await;
    let first = exchange(addr, "GET", "/setlist", &[], "").await;
    assert_eq!(first.status, 200);
    // Whole seconds: the half second is dropped.
    let changed = "Sun, 01 Mar 2026 12:00:00 GMT";
    assert_eq!(first.header("last-modified"), Some(changed));
    let tag = first.etag();
    let ims = "if-modified-since";
    let inm = "if-none-match";
    #[rustfmt::skip]
    let cases: Vec<DatedCase<'_>> = vec![
        ("/setlist", vec![(ims, changed)], 304),
        ("/setlist", vec![(ims, "Sun, 01 Mar 2026 12:00:01 GMT")], 304),
        ("/setlist", vec![(ims, "Sun, 01 Mar 2026 11:59:59 GMT")], 200),
        // An invalid date, or two, is ignored.
        ("/setlist", vec![(ims, "yesterday")], 200),
        ("/setlist", vec![(ims, changed), (ims, changed)], 200),
        // If-None-Match is asked instead, when present: it decides.
        ("/setlist", vec![(ims, changed), (inm, "\"s6.0000000000000000\"")], 200),
        ("/setlist", vec![(ims, "Sun, 01 Mar 2026 11:00:00 GMT"), (inm, tag.as_str())], 304),
        // A resource with no version revalidates by its date alone.
        ("/note", vec![(ims, changed)], 304),
        ("/note", vec![(ims, "Sat, 28 Feb 2026 12:00:00 GMT")], 200),
        ("/note", vec![(inm, "*")], 200),
        // A resource that declares no date ignores the header.
        ("/songs/1", vec![(ims, "Fri, 01 Jan 2100 00:00:00 GMT")], 200),
    ];
    for (path, headers, expected) in cases {
        let reply = exchange(addr, "GET", path, &headers, "").await;
        assert_eq!(reply.status, expected, "{path} {headers:?}: {reply:?}");
        if expected == 304 {
            assert_eq!(reply.body, "", "{reply:?}");
            assert_eq!(reply.header("last-modified"), Some(changed), "{reply:?}");
        }
    }
}

#[test]
fn the_document_lists_each_resources_validators() {
    let api = Api::builder(Store)
        .mount::<GetSong>()
        .mount::<GetSetlist>()
        .mount::<GetNote>()
        .build()
        .unwrap();
    let doc = serde_json::to_value(pale_core::describe::openapi(&api, None)).unwrap();
    let names = |value: &serde_json::Value| -> Vec<String> {
        value
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|p| p["name"].as_str().unwrap().to_owned())
                    .collect()
            })
            .or_else(|| value.as_object().map(|map| map.keys().cloned().collect()))
            .unwrap_or_default()
    };
    let cases: [(&str, &[&str], &[&str]); 3] = [
        ("/songs/1", &["If-None-Match"], &["ETag"]),
        (
            "/setlist",
            &["If-None-Match", "If-Modified-Since"],
            &["ETag", "Last-Modified"],
        ),
        ("/note", &["If-Modified-Since"], &["Last-Modified"]),
    ];
    for (path, parameters, headers) in cases {
        let get = &doc["paths"][path]["get"];
        let params: Vec<String> = names(&get["parameters"])
            .into_iter()
            .filter(|n| n.starts_with("If-"))
            .collect();
        assert_eq!(params, parameters, "{path}");
        // Beside the request id every response documents.
        for status in ["200", "304"] {
            let listed: Vec<String> = names(&get["responses"][status]["headers"])
                .into_iter()
                .filter(|n| n != "x-request-id")
                .collect();
            assert_eq!(listed, headers, "{path} {status}");
        }
    }
}
