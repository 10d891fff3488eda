-- wrk script for bench/writes.sh: each wrk thread is one client with one
-- connection and one album of its own (ALBUMS, comma-separated ids). It
-- reads the album once for its ETag, then sends merge patches, each with
-- `If-Match` set to the ETag the previous answer carried: the loop of an
-- editor saving over and over, never a lost update, never a 412.

local next_album = 0
local albums = {}
for id in string.gmatch(os.getenv("ALBUMS") or "", "[^,]+") do
    albums[#albums + 1] = id
end

function setup(thread)
    next_album = next_album + 1
    thread:set("album", albums[next_album])
end

function init(args)
    auth = os.getenv("AUTH")
    path = "/api/albums/" .. album
    etag = nil
    take = 0
end

function request()
    if etag == nil then
        return wrk.format("GET", path, { ["Authorization"] = auth })
    end
    take = take + 1
    return wrk.format("PATCH", path, {
        ["Authorization"] = auth,
        ["If-Match"] = etag,
        ["Content-Type"] = "application/merge-patch+json",
    }, '{"title":"Take ' .. take .. '"}')
end

function response(status, headers, body)
    if status == 200 then
        etag = headers["etag"] or headers["ETag"]
    else
        etag = nil
    end
end
