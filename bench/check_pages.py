"""bench/run.sh's checks before timing: each page answers in full, and each deputy's tag is held.

Usage: check_pages.py PORT PEER_PORT WORK  (WORK holds `tokens` and `deputies`; writes `etags`, `get_path`)
"""
import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

port, peer, work = sys.argv[1], sys.argv[2], sys.argv[3]
tokens = open(f"{work}/tokens").read().split()
deputies = open(f"{work}/deputies").read().split()


def post(url, body, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    return json.load(urllib.request.urlopen(urllib.request.Request(url, json.dumps(body).encode(), headers)))


def get(path, token, etag=None):
    headers = {"accept": "application/json", "authorization": "Bearer " + token}
    if etag:
        headers["if-none-match"] = etag
    try:
        res = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers))
        return res.status, res.headers["etag"]
    except urllib.error.HTTPError as e:  # urllib raises on 304
        return e.code, e.headers["etag"]


ours = open("bench/list_total.graphql").read()
body = post(f"http://127.0.0.1:{port}/graphql", {"query": ours}, tokens[0])
assert "errors" not in body, body
page = body["data"]["suggestions"]
assert len(page["edges"]) == 20, page
print(f"check: 20 suggestions in the first page of {page['totalCount']}, first {page['edges'][0]['node']['serialNumber']}")

theirs = post(f"http://127.0.0.1:{peer}/graphql",
              {"query": open("bench/postgraphile/list.graphql").read(), "variables": {"deputy": deputies[0]}})
assert "errors" not in theirs, theirs
peer_page = theirs["data"]["allSuggestions"]
assert len(peer_page["edges"]) == 20, peer_page
print(f"check: PostGraphile's first page of {peer_page['totalCount']} (the suggestions the deputy leads)")

# Register the persisted document (Apollo's first request), then hold each deputy's tag.
ext = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(ours.encode()).hexdigest()}}
post(f"http://127.0.0.1:{port}/graphql", {"query": ours, "extensions": ext}, tokens[0])
path = "/graphql?" + urllib.parse.urlencode({"extensions": json.dumps(ext, separators=(",", ":"))})
held = []
for token in tokens:
    status, etag = get(path, token)
    assert status == 200 and etag, (status, etag)
    held.append((token, etag))
assert get(path, *held[0]) == (304, held[0][1]), "a held tag answers 304"
print(f"check: {len(held)} tags held, a held tag answers 304")
with open(f"{work}/etags", "w") as out:
    out.writelines(f"{token} {etag}\n" for token, etag in held)
open(f"{work}/get_path", "w").write(path)
