// A small typed use of the types openapi-typescript generated from the
// licensing owner document (owner.d.ts, written by
// .ci/generated-clients.sh). It is not run: `tsc --noEmit --strict` checks
// that the document gives a TypeScript client what it needs — typed
// fields, enums as unions of their texts, a default representation whose
// id is always there, problems with their pointers.
import type { components, operations } from "./owner";

type Album = components["schemas"]["Album"];
type AlbumPartial = components["schemas"]["AlbumPartial"];
type Problem = components["schemas"]["Problem"];
type Status = NonNullable<AlbumPartial["status"]>;

type ReadAlbum =
    operations["album"]["responses"][200]["content"]["application/json"];
type PatchHeaders = operations["patch_album"]["parameters"]["header"];
type PatchBody =
    operations["patch_album"]["requestBody"]["content"]["application/merge-patch+json"];

// The default representation: `id` is a number, never undefined.
export function albumId(album: Album): number {
    return album.id;
}

// A read is the default representation or a selection (`fields=`), in
// which every field is optional.
export function maybeId(read: ReadAlbum): number | undefined {
    return read.id;
}

// The status is a union of the texts the server renders.
export function isEditable(status: Status): boolean {
    const editable: Record<Status, boolean> = {
        draft: true,
        submitted: false,
        live: false,
    };
    return editable[status];
}

// `If-Match` must be given to patch; an optional field may be cleared.
export const headers: PatchHeaders = { "If-Match": '"v1"' };
export const patch: PatchBody = { title: "Renamed", release_date: null };

// A 422 lists every field that failed, each with its pointer.
export function pointers(problem: Problem): string[] {
    return (problem.errors ?? []).map((error) => error.pointer);
}
