//! `/openapi.json` and `/docs`, served only when the API opts in, each for
//! the caller's own audience or a lower one, never a higher one.

use bytes::Bytes;
use http::{Request, StatusCode};
use http_body_util::{BodyExt, Full};
use pale_core::Api;
use pale_server::PaleService;
use pale_tests::fixtures::{GetAlbum, Store};
use tower::ServiceExt;

async fn get(serve_docs: bool, uri: &str, token: Option<&str>) -> (StatusCode, String, String) {
    let mut api = Api::builder(Store).base_path("/api").mount::<GetAlbum>();
    if serve_docs {
        api = api.serve_docs();
    }
    let service = PaleService::new(api.build().unwrap()).unwrap();
    let mut request = Request::builder().uri(uri);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = service
        .oneshot(request.body(Full::new(Bytes::new())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        content_type,
        String::from_utf8(body.to_vec()).unwrap(),
    )
}

#[tokio::test]
async fn docs_are_off_unless_the_api_opts_in() {
    assert_eq!(
        get(false, "/api/openapi.json", None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(get(false, "/api/docs", None).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn each_caller_gets_their_own_audiences_document() {
    let (status, content_type, public) = get(true, "/api/openapi.json", None).await;
    assert_eq!(
        (status, content_type.as_str()),
        (StatusCode::OK, "application/json")
    );
    assert!(public.contains("\"openapi\":\"3.1"), "{public:.200}");
    assert!(!public.contains("units_sold"));

    let (_, _, owner) = get(true, "/api/openapi.json", Some("1")).await;
    assert!(owner.contains("units_sold"));
    assert!(!owner.contains("review_notes"), "admin-only");

    let (_, _, admin) = get(true, "/api/openapi.json", Some("admin")).await;
    assert!(admin.contains("review_notes"));

    // Lower on request, never higher.
    let (_, _, lowered) = get(true, "/api/openapi.json?audience=public", Some("admin")).await;
    assert_eq!(lowered, public);
    assert_eq!(
        get(true, "/api/openapi.json?audience=admin", Some("1"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(true, "/api/openapi.json?audience=admin", None).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(true, "/api/openapi.json?audience=god", None).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_html_reference_is_served_too() {
    let (status, content_type, page) = get(true, "/api/docs", None).await;
    assert_eq!(
        (status, content_type.as_str()),
        (StatusCode::OK, "text/html; charset=utf-8")
    );
    assert!(page.contains("id=\"resource-album\""), "{page:.300}");
    assert!(!page.contains("units_sold"));
    let (_, _, owner_page) = get(true, "/api/docs", Some("1")).await;
    assert!(owner_page.contains("units_sold"));
}
