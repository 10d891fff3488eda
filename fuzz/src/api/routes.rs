//! Endpoints whose handlers answer which route they are and the path
//! parameters they received, for the routing target: templates that share
//! prefixes, a literal beside a parameter, one path with two methods.

use pale_core::prelude::*;
use pale_core::{Api, PathTemplate};

/// What an endpoint answers: its route name and its parameters as text.
pub type Echo = Plain<(String, Vec<String>)>;

fn echo(route: &str, params: Vec<String>) -> Result<Echo, ApiError> {
    Ok(Plain::new("echo", (route.to_owned(), params)))
}

/// An item by number.
#[derive(Endpoint)]
#[pale(GET "/items/{id}", name = "item")]
pub struct GetItem {
    /// The item.
    pub id: u64,
}

impl Handler<()> for GetItem {
    type Output = Echo;
    async fn handle(self, _: &Context<()>) -> Result<Echo, ApiError> {
        echo("item", vec![self.id.to_string()])
    }
}

/// A note of an item.
#[derive(Endpoint)]
#[pale(GET "/items/{id}/notes/{note}", name = "item_note")]
pub struct GetItemNote {
    /// The item.
    pub id: u64,
    /// The note.
    pub note: String,
}

impl Handler<()> for GetItemNote {
    type Output = Echo;
    async fn handle(self, _: &Context<()>) -> Result<Echo, ApiError> {
        echo("item_note", vec![self.id.to_string(), self.note])
    }
}

/// The signed-in user: a literal beside `/users/{name}`.
#[derive(Endpoint)]
#[pale(GET "/users/me", name = "me")]
pub struct GetMe {}

impl Handler<()> for GetMe {
    type Output = Echo;
    async fn handle(self, _: &Context<()>) -> Result<Echo, ApiError> {
        echo("me", Vec::new())
    }
}

/// A user by name.
#[derive(Endpoint)]
#[pale(GET "/users/{name}", name = "user")]
pub struct GetUser {
    /// The user.
    pub name: String,
}

impl Handler<()> for GetUser {
    type Output = Echo;
    async fn handle(self, _: &Context<()>) -> Result<Echo, ApiError> {
        echo("user", vec![self.name])
    }
}

/// Replaces a user: the same path as [`GetUser`], another method.
#[derive(Endpoint)]
#[pale(PUT "/users/{login}", name = "put_user")]
pub struct PutUser {
    /// The user.
    pub login: String,
}

impl Handler<()> for PutUser {
    type Output = Echo;
    async fn handle(self, _: &Context<()>) -> Result<Echo, ApiError> {
        echo("put_user", vec![self.login])
    }
}

/// Two parameters side by side.
#[derive(Endpoint)]
#[pale(DELETE "/tags/{group}/{rank}", name = "tag")]
pub struct DeleteTag {
    /// The group.
    pub group: String,
    /// The rank.
    pub rank: i32,
}

impl Handler<()> for DeleteTag {
    type Output = Echo;
    async fn handle(self, _: &Context<()>) -> Result<Echo, ApiError> {
        echo("tag", vec![self.group, self.rank.to_string()])
    }
}

/// The API under `/api`.
pub fn api() -> Api<()> {
    Api::builder(())
        .base_path("/api")
        .mount::<GetItem>()
        .mount::<GetItemNote>()
        .mount::<GetMe>()
        .mount::<GetUser>()
        .mount::<PutUser>()
        .mount::<DeleteTag>()
        .build()
        .expect("the routing target's API builds")
}

/// The template of a route name, to check the echo against.
pub fn template(route: &str) -> Option<PathTemplate> {
    let path = match route {
        "item" => "/items/{id}",
        "item_note" => "/items/{id}/notes/{note}",
        "me" => "/users/me",
        "user" | "put_user" => "/users/{name}",
        "tag" => "/tags/{group}/{rank}",
        _ => return None,
    };
    PathTemplate::parse(path).ok()
}
