"""A client developer's scenario against the live licensing server, using
only the clients openapi-python-client generated from the public and owner
documents (issue 19). Run by .ci/generated-clients.sh:

    python3 client-scenario.py ORIGIN ARTIST_TOKEN PUBLIC_DOCUMENT OWNER_DOCUMENT

`public` and `owner` are the generated packages. Every step asserts the
typed result: models, not dictionaries; enums, not strings; problems
parsed into the `Problem` model. And openapi-core validates every
response against the document its client came from (openapi_check.py)."""

import sys

from openapi_check import validator

import public
import owner
from public.api.albums import album as public_album
from public.api.albums import albums as public_albums
from public.models import Album as PublicAlbum
from public.models import AlbumPage as PublicAlbumPage
from owner.api.albums import album as owner_album
from owner.api.albums import create_album, patch_album
from owner.api.licensing import album_statement
from owner.models import (
    Album,
    AlbumCreate,
    AlbumPartial,
    AlbumPartialStatus,
    AlbumPatch,
    Problem,
    Statement,
)
from owner.types import UNSET

origin, token, public_document, owner_document = sys.argv[1:5]
public_check, owner_check = validator(public_document), validator(owner_document)
anonymous = public.Client(
    base_url=origin, httpx_args={"event_hooks": {"response": [public_check]}}
)
artist = owner.AuthenticatedClient(
    base_url=origin, token=token, httpx_args={"event_hooks": {"response": [owner_check]}}
)


def step(text):
    print(f"client scenario: {text}")


step("list albums anonymously")
page = public_albums.sync(client=anonymous, per_page=5)
assert isinstance(page, PublicAlbumPage), page
assert page.total >= 1 and page.items, page
first = page.items[0]
assert isinstance(first, PublicAlbum) and isinstance(first.id, int), first

step("read one album as the public")
read = public_album.sync(album_id=first.id, client=anonymous)
assert isinstance(read, PublicAlbum), read
assert read.id == first.id and isinstance(read.title, str), read

step("create a draft as its artist")
created = create_album.sync_detailed(
    client=artist, body=AlbumCreate(title="Generated client", price_cents=999)
)
assert created.status_code == 201, created
draft = created.parsed
assert isinstance(draft, Album) and isinstance(draft.id, int), draft
etag = created.headers["etag"]
assert created.headers["location"].endswith(f"/albums/{draft.id}"), created.headers

step("read it as its owner, selecting fields: a typed status")
mine = owner_album.sync(album_id=draft.id, client=artist, fields="id,title,status")
assert isinstance(mine, AlbumPartial), mine
assert mine.status == AlbumPartialStatus.DRAFT, mine.status
assert mine.price_cents is UNSET, mine

step("read it as its owner without fields=: the default representation")
whole = owner_album.sync(album_id=draft.id, client=artist)
assert isinstance(whole, Album) and whole.id == draft.id, whole
assert whole.price_cents == 999 and whole.tracks == [], whole

step("merge-patch it with If-Match")
patched = patch_album.sync_detailed(
    album_id=draft.id, client=artist, body=AlbumPatch(title="Renamed"), if_match=etag
)
assert patched.status_code == 200, patched
assert isinstance(patched.parsed, Album) and patched.parsed.title == "Renamed", patched
new_etag = patched.headers["etag"]
assert new_etag != etag

step("a stale If-Match is a typed 412")
stale = patch_album.sync_detailed(
    album_id=draft.id, client=artist, body=AlbumPatch(title="Again"), if_match=etag
)
assert stale.status_code == 412, stale
assert isinstance(stale.parsed, Problem) and stale.parsed.status == 412, stale.parsed

step("an invalid value is a typed 422 pointing at the field")
invalid = patch_album.sync_detailed(
    album_id=draft.id, client=artist, body=AlbumPatch(title=""), if_match=new_etag
)
assert invalid.status_code == 422, invalid
problem = invalid.parsed
assert isinstance(problem, Problem) and problem.status == 422, problem
assert [error.pointer for error in problem.errors] == ["/title"], problem.errors

step("read a royalty statement of the artist's first album")
statement = album_statement.sync(album_id=1, month="2024-10", client=artist)
assert isinstance(statement, Statement), statement
assert statement.month == "2024-10" and isinstance(statement.total_cents, int), statement

checked = public_check.checked + owner_check.checked
step(f"openapi-core found {len(checked)} responses valid: " + ", ".join(checked))
step("done")
